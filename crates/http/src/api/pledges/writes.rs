//! Recording and changing pledges: create, patch, withdraw, reinstate.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use pledgeboard_domain::FieldError;
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_store::StoreError;

use crate::api::etag::if_match;
use crate::api::etag::tagged;
use crate::api::pledges::request::{CreatePledgeRequest, PledgePatch, PledgeReference};
use crate::api::pledges::response::{PledgeResponse, pledge_response};
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiPath};
use crate::services::recording::{
    change_pledge, record_pledge, reinstate_pledge as reinstate, withdraw_pledge as withdraw,
};
use crate::{ApiError, AppState};

/// The pledge a request names as superseded, by key: an id is looked up (an unknown id is a
/// refusal of the `supersedes` field).
async fn resolve_supersedes(
    state: &AppState,
    given: Option<PledgeReference>,
) -> Result<Option<PledgeReference>, ApiError> {
    match given {
        Some(PledgeReference::Id(id)) => match state.store.find_pledge(id).await {
            Ok(p) => Ok(Some(PledgeReference::Key(p.key().to_string()))),
            Err(StoreError::NotFound(_)) => Err(ApiError::Invalid(vec![FieldError::new(
                "supersedes",
                &id.to_string(),
                format!("there is no pledge with id {id} to supersede"),
            )])),
            Err(e) => Err(e.into()),
        },
        other => Ok(other),
    }
}

/// `POST /api/v1/pledges`: records a pledge; `201` with its `ETag` and `Location`.
#[utoipa::path(post, path = "/pledges", tag = "pledges", request_body = CreatePledgeRequest,
    responses(
        (status = 201, body = PledgeResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_pledge(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(mut body): ApiJson<CreatePledgeRequest>,
) -> Result<(StatusCode, HeaderMap, Json<PledgeResponse>), ApiError> {
    body.supersedes = resolve_supersedes(&state, body.supersedes).await?;
    let pledge = record_pledge(&state, &actor, PledgeDraft::from(body)).await?;
    let mut headers = tagged(pledge.version);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/pledges/{}", pledge.id)) {
        headers.insert(header::LOCATION, location);
    }
    Ok((
        StatusCode::CREATED,
        headers,
        Json(pledge_response(&state, pledge).await?),
    ))
}

/// `PATCH /api/v1/pledges/{id}`: changes the fields given; a stale `If-Match` is `412`.
#[utoipa::path(patch, path = "/pledges/{id}", tag = "pledges", request_body = PledgePatch,
    params(("id" = i64, Path, description = "Pledge id"), ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, body = PledgeResponse, headers(("ETag" = String))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_pledge(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(mut patch): ApiJson<PledgePatch>,
) -> Result<(HeaderMap, Json<PledgeResponse>), ApiError> {
    let expected = if_match(&headers)?;
    if let Some(given) = patch.supersedes.take() {
        patch.supersedes = Some(resolve_supersedes(&state, given).await?);
    }
    let pledge = change_pledge(&state, &actor, id, expected, "update", |draft| {
        patch.clone().apply(draft)
    })
    .await?;
    Ok((
        tagged(pledge.version),
        Json(pledge_response(&state, pledge).await?),
    ))
}

/// `POST /api/v1/pledges/{id}/withdraw`: withdraws a pledge (it is kept, never deleted).
#[utoipa::path(post, path = "/pledges/{id}/withdraw", tag = "pledges",
    params(("id" = i64, Path, description = "Pledge id"), ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, body = PledgeResponse, headers(("ETag" = String))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem)),
    security(("bearer" = [])))]
pub async fn withdraw_pledge(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<(HeaderMap, Json<PledgeResponse>), ApiError> {
    let expected = if_match(&headers)?;
    let pledge = withdraw(&state, &actor, id, expected).await?;
    Ok((
        tagged(pledge.version),
        Json(pledge_response(&state, pledge).await?),
    ))
}

/// `POST /api/v1/pledges/{id}/reinstate`: returns a withdrawn pledge to the status it had
/// before withdrawal (admins only; versioned and audited as `reinstate`).
#[utoipa::path(post, path = "/pledges/{id}/reinstate", tag = "pledges",
    params(("id" = i64, Path, description = "Pledge id"), ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses(
        (status = 200, body = PledgeResponse, headers(("ETag" = String))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn reinstate_pledge(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<(HeaderMap, Json<PledgeResponse>), ApiError> {
    let expected = if_match(&headers)?;
    let pledge = reinstate(&state, &actor, id, expected).await?;
    Ok((
        tagged(pledge.version),
        Json(pledge_response(&state, pledge).await?),
    ))
}
