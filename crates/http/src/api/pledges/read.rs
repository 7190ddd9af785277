//! Reading pledges: list, one, and its history.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use pledgeboard_domain::PledgeStatus;
use pledgeboard_domain::status::VersionEvent;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::etag::tagged;
use crate::api::pledges::query::PledgeListQuery;
use crate::api::pledges::response::{
    PledgePageResponse, PledgeResponse, pledge_response, pledge_responses,
};
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiError, AppState};

/// `GET /api/v1/pledges`: filtered, paged with an opaque cursor.
#[utoipa::path(get, path = "/pledges", tag = "pledges", params(PledgeListQuery),
    responses((status = 200, body = PledgePageResponse), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_pledges(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<PledgeListQuery>,
) -> Result<Json<PledgePageResponse>, ApiError> {
    let filter = query
        .to_filter(&state.catalog())
        .map_err(ApiError::Invalid)?;
    let page = state.store.list_pledges(&filter).await?;
    Ok(Json(PledgePageResponse {
        items: pledge_responses(&state, page.items).await?,
        next_cursor: page.next_after_id.map(|id| id.to_string()),
    }))
}

/// `GET /api/v1/pledges/{id}`, with its version as `ETag`.
#[utoipa::path(get, path = "/pledges/{id}", tag = "pledges", params(("id" = i64, Path, description = "Pledge id")),
    responses(
        (status = 200, body = PledgeResponse, headers(("ETag" = String, description = "The pledge's version, for If-Match"))),
        (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn find_pledge(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<(HeaderMap, Json<PledgeResponse>), ApiError> {
    let pledge = state.store.find_pledge(id).await?;
    let version = pledge.version;
    Ok((
        tagged(version),
        Json(pledge_response(&state, pledge).await?),
    ))
}

/// One field that differs between two versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// One version of a pledge and what changed from the one before.
#[derive(Debug, Serialize, ToSchema)]
pub struct PledgeVersionResponse {
    pub version: i32,
    pub valid_from: chrono::DateTime<chrono::Utc>,
    /// Null for the current version.
    pub valid_to: Option<chrono::DateTime<chrono::Utc>>,
    /// The token name that made this version.
    pub changed_by: String,
    /// `recorded` (the first version), `withdrawn`, `reinstated`, `milestone` (a milestone's
    /// recording made it), or `changed`.
    pub event: &'static str,
    /// Why the version was made, for a milestone's: "Assessment and Advisory Visit completed
    /// on 2025-06-01: readiness raised from L1 to L2". Null otherwise.
    pub reason: Option<String>,
    /// The pledge's values in this version.
    #[schema(value_type = Object)]
    pub values: serde_json::Value,
    /// Fields that differ from the previous version (empty for the first).
    pub changes: Vec<FieldChange>,
}

/// A pledge's versions, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PledgeHistoryResponse {
    pub items: Vec<PledgeVersionResponse>,
}

fn changes(before: &serde_json::Value, after: &serde_json::Value) -> Vec<FieldChange> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| k.as_str() != "version" && b.get(*k) != Some(*v))
        .map(|(k, v)| FieldChange {
            field: k.clone(),
            before: b.get(k).cloned().unwrap_or_default(),
            after: v.clone(),
        })
        .collect()
}

/// `GET /api/v1/pledges/{id}/history`: every version, who made it, and what changed.
#[utoipa::path(get, path = "/pledges/{id}/history", tag = "pledges", params(("id" = i64, Path, description = "Pledge id")),
    responses((status = 200, body = PledgeHistoryResponse), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn pledge_history(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PledgeHistoryResponse>, ApiError> {
    let versions = state.store.pledge_history(id).await?;
    let mut items = Vec::with_capacity(versions.len());
    let mut previous: Option<(serde_json::Value, PledgeStatus)> = None;
    for v in versions {
        let changes = previous
            .as_ref()
            .map(|(p, _)| changes(p, &v.values))
            .unwrap_or_default();
        let event = VersionEvent::of_version(
            previous.as_ref().map(|(_, s)| *s),
            v.status,
            v.reason.is_some(),
        );
        previous = Some((v.values.clone(), v.status));
        items.push(PledgeVersionResponse {
            version: v.version,
            valid_from: v.valid_from,
            valid_to: v.valid_to,
            changed_by: v.changed_by,
            event: event.as_str(),
            reason: v.reason,
            values: v.values,
            changes,
        });
    }
    Ok(Json(PledgeHistoryResponse { items }))
}
