//! Every path the server answers, in one place.

use axum::Router;
use axum::routing::get;

use crate::api::{health, pledges, reference};
use crate::{ApiError, AppState, telemetry};

/// The whole application: API routes, fallbacks, tracing.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/member-states", get(reference::list_member_states))
        .route("/capabilities", get(reference::list_capabilities))
        .route("/missions", get(reference::list_missions))
        .route("/conferences", get(reference::list_conferences))
        .route("/pledges", get(pledges::list_pledges))
        .route("/pledges/{id}", get(pledges::find_pledge));
    let app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .nest("/api/v1", api)
        .fallback(not_found)
        .with_state(state);
    telemetry::traced(app)
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("there is no page or endpoint at {}", uri.path()))
}
