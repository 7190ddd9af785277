//! A pledge's milestones: `GET|POST /api/v1/pledges/{id}/milestones` and an admin's
//! `DELETE /api/v1/pledges/{id}/milestones/{milestone_id}`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use chrono::{DateTime, NaiveDate, Utc};
use pledgeboard_domain::{Milestone, MilestoneDraft};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::etag::{if_match, tagged};
use crate::api::pledges::response::{PledgeResponse, pledge_response};
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiPath};
use crate::services::milestones::{delete_milestone as delete, record_milestone as record};
use crate::{ApiError, AppState};

/// A milestone to record. Missing fields are reported with every other problem.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMilestoneRequest {
    /// `nv_received`, `acknowledged`, `accepted`, `aav_completed` (raises the pledge to at
    /// least L2), `sur_aligned` (at least L3), `rdl_confirmed` (RDL), `selected` (names its
    /// `mission`) or `deployed` (status deployed).
    #[serde(default)]
    pub kind: String,
    /// `YYYY-MM-DD`: not in the future, on or after every earlier step recorded and on or
    /// before every later one.
    #[serde(default)]
    pub date: String,
    /// The mission of a `selected` milestone (required there, refused elsewhere).
    pub mission: Option<String>,
    /// At most 2,000 characters.
    pub note: Option<String>,
    /// Where it is written, such as a note verbale number; at most 120 characters.
    pub source_ref: Option<String>,
}

impl From<&RecordMilestoneRequest> for MilestoneDraft {
    fn from(r: &RecordMilestoneRequest) -> Self {
        Self {
            kind: r.kind.clone(),
            date: r.date.clone(),
            mission: r.mission.clone(),
            note: r.note.clone(),
            source_ref: r.source_ref.clone(),
        }
    }
}

/// A recorded milestone.
#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneResponse {
    pub id: i64,
    pub pledge_id: i64,
    pub kind: String,
    /// The kind in words ("Assessment and Advisory Visit completed").
    pub label: String,
    pub date: NaiveDate,
    pub mission: Option<String>,
    pub note: Option<String>,
    pub source_ref: Option<String>,
    /// The token name that recorded it.
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// The pledge version its recording made.
    pub pledge_version: i32,
    /// What the recording did, as the pledge's history says it.
    pub reason: String,
}

impl From<Milestone> for MilestoneResponse {
    fn from(m: Milestone) -> Self {
        Self {
            id: m.id,
            pledge_id: m.pledge_id,
            kind: m.kind.to_string(),
            label: m.kind.label().to_owned(),
            date: m.date,
            mission: m.mission.map(String::from),
            note: m.note,
            source_ref: m.source_ref,
            recorded_by: m.recorded_by,
            recorded_at: m.recorded_at,
            pledge_version: m.pledge_version,
            reason: m.reason,
        }
    }
}

/// A pledge's milestones, by date and then by their place in the sequence.
#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneListResponse {
    pub items: Vec<MilestoneResponse>,
}

/// A milestone just recorded, and the pledge as it left it (raised where it implies a level
/// or status).
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedMilestoneResponse {
    pub milestone: MilestoneResponse,
    pub pledge: PledgeResponse,
}

/// `GET /api/v1/pledges/{id}/milestones`: the pledge's timeline.
#[utoipa::path(get, path = "/pledges/{id}/milestones", tag = "pledges", params(("id" = i64, Path, description = "Pledge id")),
    responses((status = 200, body = MilestoneListResponse), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_milestones(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MilestoneListResponse>, ApiError> {
    let items = state.store.pledge_milestones(id).await?;
    Ok(Json(MilestoneListResponse {
        items: items.into_iter().map(MilestoneResponse::from).collect(),
    }))
}

/// `POST /api/v1/pledges/{id}/milestones`: records a milestone, a change of the pledge like
/// any other (a new version, audited); `201` with the pledge's new `ETag`; a stale `If-Match`
/// is `412`.
#[utoipa::path(post, path = "/pledges/{id}/milestones", tag = "pledges", request_body = RecordMilestoneRequest,
    params(("id" = i64, Path, description = "Pledge id"), ("If-Match" = Option<String>, Header, description = "The pledge's ETag the milestone is based on")),
    responses(
        (status = 201, body = RecordedMilestoneResponse, headers(("ETag" = String, description = "The pledge's new version"), ("Location" = String))),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 412, body = Problem), (status = 413, body = Problem),
        (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn record_milestone(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RecordMilestoneRequest>,
) -> Result<(StatusCode, HeaderMap, Json<RecordedMilestoneResponse>), ApiError> {
    let expected = if_match(&headers)?;
    let (pledge, milestone) =
        record(&state, &actor, id, expected, &MilestoneDraft::from(&body)).await?;
    let mut headers = tagged(pledge.version);
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/pledges/{id}/milestones")) {
        headers.insert(header::LOCATION, location);
    }
    let answer = RecordedMilestoneResponse {
        milestone: milestone.into(),
        pledge: pledge_response(&state, pledge).await?,
    };
    Ok((StatusCode::CREATED, headers, Json(answer)))
}

/// `DELETE /api/v1/pledges/{id}/milestones/{milestone_id}` (admins): the milestone leaves the
/// timeline (audited); the pledge keeps its level and status, its history its reason.
#[utoipa::path(delete, path = "/pledges/{id}/milestones/{milestone_id}", tag = "pledges",
    params(("id" = i64, Path, description = "Pledge id"), ("milestone_id" = i64, Path, description = "Milestone id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_milestone(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath((id, milestone_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    delete(&state, &actor, id, milestone_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
