//! Recording and changing pledges: create, patch, withdraw.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::{Actor, PledgeStatus};
use pledgeboard_store::{PledgeChange, StoreError};

use crate::api::etag::if_match;
use crate::api::events::ChangeEvent;
use crate::api::pledge_json::PledgeResponse;
use crate::api::pledge_request::{CreatePledgeRequest, PledgePatch};
use crate::api::pledges::tagged;
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiPath};
use crate::{ApiError, AppState};

/// Retries of a change without `If-Match` that lost a race to another writer.
const UNCONDITIONAL_RETRIES: usize = 3;

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
    ApiJson(body): ApiJson<CreatePledgeRequest>,
) -> Result<(StatusCode, HeaderMap, Json<PledgeResponse>), ApiError> {
    actor.may_record_pledges()?;
    let catalog = state.catalog();
    let new = PledgeDraft::from(body)
        .validate(&catalog)
        .map_err(ApiError::Invalid)?;
    actor.may_write_pledge_of(&new.member_state)?;
    let pledge = state.store.create_pledge(&catalog, &new, &actor).await?;
    state.publish(ChangeEvent {
        entity: "pledge",
        id: pledge.id,
        version: pledge.version,
        action: "create",
    });
    let mut headers = tagged(pledge.version);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/pledges/{}", pledge.id)) {
        headers.insert(header::LOCATION, location);
    }
    Ok((StatusCode::CREATED, headers, Json(pledge.into())))
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
    ApiJson(patch): ApiJson<PledgePatch>,
) -> Result<(HeaderMap, Json<PledgeResponse>), ApiError> {
    let expected = if_match(&headers)?;
    change(&state, &actor, id, expected, "update", |draft| {
        patch.clone().apply(draft)
    })
    .await
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
    change(&state, &actor, id, expected, "withdraw", |mut draft| {
        draft.status = Some(PledgeStatus::Withdrawn.to_string());
        draft
    })
    .await
}

/// Applies `edit` to the current pledge under the access and workflow rules. With `If-Match`
/// the change applies only to that version; without, a lost race is retried on the new one.
async fn change(
    state: &AppState,
    actor: &Actor,
    id: i64,
    expected: Option<i32>,
    action: &'static str,
    edit: impl Fn(PledgeDraft) -> PledgeDraft,
) -> Result<(HeaderMap, Json<PledgeResponse>), ApiError> {
    actor.may_record_pledges()?;
    let catalog = state.catalog();
    let mut attempt = 0;
    loop {
        let current = state.store.find_pledge(id).await?;
        actor.may_write_pledge_of(&current.member_state)?;
        if let Some(version) = expected
            && version != current.version
        {
            return Err(ApiError::PreconditionFailed {
                current: current.version,
            });
        }
        let next = edit(current.to_draft())
            .validate(&catalog)
            .map_err(ApiError::Invalid)?;
        current.check_change(&next).map_err(ApiError::Invalid)?;
        match state
            .store
            .update_pledge(&catalog, &current, &next, actor, action)
            .await
        {
            Err(StoreError::Stale { .. })
                if expected.is_none() && attempt < UNCONDITIONAL_RETRIES =>
            {
                attempt += 1
            }
            result => {
                let pledge = match result? {
                    PledgeChange::Changed(p) => {
                        state.publish(ChangeEvent {
                            entity: "pledge",
                            id: p.id,
                            version: p.version,
                            action,
                        });
                        p
                    }
                    PledgeChange::Unchanged(p) => p,
                };
                return Ok((tagged(pledge.version), Json(pledge.into())));
            }
        }
    }
}
