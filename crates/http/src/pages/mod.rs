//! Server-rendered pages for the meeting room: compiled templates, every asset served by the
//! binary, nothing loaded from another host.

pub mod assets;
pub mod board;
pub mod session;
pub mod tables;

use axum::Router;
use axum::routing::get;

use crate::AppState;

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(board::show_board))
        .route("/countries", get(tables::show_countries))
        .route("/renewals", get(tables::show_renewals))
        .route("/login", get(session::login_page).post(session::log_in))
        .route("/logout", axum::routing::post(session::log_out))
        .route("/assets/pledgeboard.css", get(assets::stylesheet))
        .route("/assets/board.js", get(assets::board_script))
}
