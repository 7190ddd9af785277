//! Every path the server answers, in one place. API routes are registered with their OpenAPI
//! descriptions, so the document cannot miss one.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, map_request};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Router};
use pledgeboard_domain::message;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::pledges::{milestones, read as pledges, writes as pledge_writes};
use crate::api::reference::{read as reference, requirements, writes as reference_writes};
use crate::api::reports::{
    allocation, countries, country, coverage, follow_through, outcome, renewals,
};
use crate::api::{audit, event_stream, exports, health, imports, openapi};
use crate::{ApiError, AppState, security_headers, telemetry, uniform_errors, uri_limit};

/// Upload routes, with their own (larger) body limit.
fn uploads(max_import_bytes: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(imports::import_pledges))
        .routes(routes!(imports::import_requirements))
        .layer(DefaultBodyLimit::max(max_import_bytes))
}

/// The `/api/v1` routes with their descriptions.
fn api(max_import_bytes: usize) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(uploads(max_import_bytes))
        .routes(routes!(imports::pledge_template))
        .routes(routes!(exports::export_pledges))
        .routes(routes!(exports::export_pledges_xlsx))
        .routes(routes!(coverage::coverage_report))
        .routes(routes!(coverage::coverage_report_csv))
        .routes(routes!(coverage::coverage_report_xlsx))
        .routes(routes!(allocation::allocation_report))
        .routes(routes!(allocation::allocation_report_csv))
        .routes(routes!(allocation::allocation_report_xlsx))
        .routes(routes!(countries::countries_report))
        .routes(routes!(countries::countries_report_csv))
        .routes(routes!(countries::countries_report_xlsx))
        .routes(routes!(country::country_report))
        .routes(routes!(renewals::renewals_report))
        .routes(routes!(follow_through::follow_through_report))
        .routes(routes!(follow_through::follow_through_report_csv))
        .routes(routes!(follow_through::follow_through_report_xlsx))
        .routes(routes!(renewals::renewals_report_csv))
        .routes(routes!(renewals::renewals_report_xlsx))
        .routes(routes!(outcome::outcome_report_json))
        .routes(routes!(outcome::outcome_report_csv))
        .routes(routes!(outcome::outcome_report_xlsx))
        .routes(routes!(reference::list_member_states))
        .routes(routes!(reference::list_capabilities))
        .routes(routes!(
            reference::list_missions,
            reference_writes::create_mission
        ))
        .routes(routes!(reference_writes::replace_mission))
        .routes(routes!(
            reference::list_conferences,
            reference_writes::create_conference
        ))
        .routes(routes!(reference_writes::replace_conference))
        .routes(routes!(
            requirements::list_requirements,
            requirements::create_requirement
        ))
        .routes(routes!(
            requirements::find_requirement,
            requirements::replace_requirement,
            requirements::delete_requirement
        ))
        .routes(routes!(pledges::list_pledges, pledge_writes::create_pledge))
        .routes(routes!(pledges::find_pledge, pledge_writes::update_pledge))
        .routes(routes!(pledge_writes::withdraw_pledge))
        .routes(routes!(pledge_writes::reinstate_pledge))
        .routes(routes!(pledges::pledge_history))
        .routes(routes!(
            milestones::list_milestones,
            milestones::record_milestone
        ))
        .routes(routes!(milestones::delete_milestone))
        .routes(routes!(audit::list_audit))
        .routes(routes!(event_stream::stream_events))
        .routes(routes!(openapi::openapi_json))
}

/// The whole application and its OpenAPI document.
pub fn router_with_openapi(state: AppState) -> (Router, Arc<utoipa::openapi::OpenApi>) {
    let max_body_bytes = state.settings.max_body_bytes;
    let (routes, mut doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .nest("/api/v1", api(state.settings.max_import_bytes))
        .split_for_parts();
    openapi::describe_responses(&mut doc);
    let doc = Arc::new(doc);
    let app = routes
        .merge(crate::pages::routes(state.settings.max_import_bytes))
        .fallback(not_found)
        .layer(Extension(Arc::clone(&doc)))
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .with_state(state);
    (shaped(telemetry::traced(app)), doc)
}

/// What every answer goes through, outermost first. These wrap the router (they run before
/// routing), so an address too long, a method not allowed and a fallback get them too: the
/// request id (the client's when fit, else a fresh one) set and echoed, the security headers,
/// the address length limit, and bare error answers put in the shape of every other error.
fn shaped(app: Router) -> Router {
    let service = ServiceBuilder::new()
        .layer(map_request(telemetry::drop_unfit_request_id))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(from_fn(security_headers::add_security_headers))
        .layer(from_fn(uri_limit::refuse_long_uris))
        .layer(from_fn(crate::i18n::page_language))
        .layer(from_fn(uniform_errors::dress_bare_errors))
        .service(app);
    Router::new().fallback_service(service)
}

/// The whole application: API routes, pages, fallbacks, tracing and the layers every answer
/// goes through.
pub fn router(state: AppState) -> Router {
    router_with_openapi(state).0
}

/// An unknown address: a page in the usual frame for a browser, problem details for the rest
/// (and always under `/api/`, whose clients read JSON whatever they accept).
async fn not_found(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    let error = ApiError::NotFound(message!(
        "err-no-such-address",
        "there is no page or endpoint at {path}",
        path = uri.path()
    ));
    let wants_page = !uri.path().starts_with("/api/")
        && headers
            .get(axum::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    if wants_page {
        crate::pages::error_page::PageError(error).into_response()
    } else {
        error.into_response()
    }
}
