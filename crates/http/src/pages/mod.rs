//! Server-rendered pages for the meeting room: compiled templates, every asset served by the
//! binary, nothing loaded from another host.

pub mod assets;
pub mod board;
pub mod choices;
pub mod country;
pub mod coverage_view;
pub mod error_page;
pub mod filters;
pub mod follow_through;
pub mod form;
pub mod import;
pub mod milestone_delete_form;
pub mod milestone_form;
pub mod mission;
pub mod outcome;
pub mod pledge_detail;
pub mod pledge_form;
pub mod pledge_list;
pub mod pledge_status_forms;
pub mod requirements;
pub mod session;
pub mod slips;
pub mod tables;
pub mod version_diff;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::AppState;

/// The page routes; `/import` takes files up to `max_import_bytes`.
pub fn routes(max_import_bytes: usize) -> Router<AppState> {
    let uploads = Router::new()
        .route(
            "/import",
            get(import::import_form).post(import::import_file),
        )
        .layer(DefaultBodyLimit::max(max_import_bytes));
    Router::new()
        .merge(uploads)
        .route("/", get(board::show_board))
        .route("/pledges", get(pledge_list::list_pledges))
        .route(
            "/pledges/new",
            get(pledge_form::new_pledge_form).post(pledge_form::record_from_form),
        )
        .route(
            "/pledges/{id}",
            get(pledge_detail::show_pledge).post(pledge_detail::edit_pledge),
        )
        .route(
            "/pledges/{id}/withdraw",
            post(pledge_status_forms::withdraw_from_form),
        )
        .route(
            "/pledges/{id}/reinstate",
            post(pledge_status_forms::reinstate_from_form),
        )
        .route(
            "/pledges/{id}/milestones",
            post(milestone_form::record_from_form),
        )
        .route(
            "/pledges/{id}/milestones/{milestone_id}/delete",
            post(milestone_delete_form::delete_from_form),
        )
        .route("/countries", get(tables::show_countries))
        .route("/countries/{iso3}", get(country::show_country))
        .route(
            "/conferences/{code}/follow-through",
            get(follow_through::show_follow_through),
        )
        .route("/countries/{iso3}/slip", get(slips::show_slip))
        .route(
            "/conferences/{code}/slips",
            get(slips::show_conference_slips),
        )
        .route("/missions/{acronym}", get(mission::show_mission))
        .route("/renewals", get(tables::show_renewals))
        .route("/conferences/{code}/outcome", get(outcome::show_outcome))
        .route(
            "/requirements",
            get(requirements::list_requirements).post(requirements::save_from_form),
        )
        .route("/login", get(session::login_page).post(session::log_in))
        .route("/logout", post(session::log_out))
        .route("/assets/pledgeboard.css", get(assets::stylesheet))
        .route("/assets/board.js", get(assets::board_script))
        .route("/assets/pledge_form.js", get(assets::pledge_form_script))
        .route("/assets/import.js", get(assets::import_script))
        .route("/assets/nav.js", get(assets::nav_script))
        .route("/assets/favicon.svg", get(assets::favicon))
        .route("/favicon.ico", get(assets::favicon))
}
