//! Requirements: everyone reads; admins create, replace and delete.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::NaiveDate;
use pledgeboard_domain::Requirement;
use pledgeboard_domain::requirement::RequirementDraft;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::etag::if_match;
use crate::api::etag::tagged;
use crate::api::reference::read::Items;
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::services::recording::save_requirement;
use crate::{ApiError, AppState};

/// A requirement as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequirementResponse {
    pub id: i64,
    pub mission: String,
    pub capability: String,
    pub quantity: u32,
    pub personnel: u32,
    pub needed_by: NaiveDate,
    /// `critical`, `high` or `normal`.
    pub priority: String,
    pub version: i32,
}

impl From<Requirement> for RequirementResponse {
    fn from(r: Requirement) -> Self {
        Self {
            id: r.id,
            mission: r.mission.into(),
            capability: r.capability.into(),
            quantity: r.quantity.get(),
            personnel: r.personnel,
            needed_by: r.needed_by,
            priority: r.priority.to_string(),
            version: r.version,
        }
    }
}

/// A requirement to create, or the whole of one to replace.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementRequest {
    #[serde(default)]
    pub mission: String,
    #[serde(default)]
    pub capability: String,
    pub quantity: Option<i64>,
    pub personnel: Option<i64>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub needed_by: String,
    /// `critical`, `high` or `normal`.
    #[serde(default)]
    pub priority: String,
}

impl From<RequirementRequest> for RequirementDraft {
    fn from(r: RequirementRequest) -> Self {
        Self {
            mission: r.mission,
            capability: r.capability,
            quantity: r.quantity,
            personnel: r.personnel,
            needed_by: r.needed_by,
            priority: r.priority,
        }
    }
}

/// Filters of the requirement list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequirementListQuery {
    /// Only this mission's requirements.
    pub mission: Option<String>,
}

/// `GET /api/v1/requirements`
#[utoipa::path(get, path = "/requirements", tag = "requirements", params(RequirementListQuery),
    responses((status = 200, body = Items<RequirementResponse>), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_requirements(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<RequirementListQuery>,
) -> Result<Json<Items<RequirementResponse>>, ApiError> {
    let mission = match query
        .mission
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(m) => Some(
            state
                .catalog()
                .mission(m)
                .map_err(|e| ApiError::invalid_field("mission", m, e))?
                .acronym
                .clone(),
        ),
        None => None,
    };
    let items = state.store.list_requirements(mission.as_ref()).await?;
    Ok(Json(Items {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// `GET /api/v1/requirements/{id}`
#[utoipa::path(get, path = "/requirements/{id}", tag = "requirements", params(("id" = i64, Path, description = "Requirement id")),
    responses((status = 200, body = RequirementResponse, headers(("ETag" = String))), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn find_requirement(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<(HeaderMap, Json<RequirementResponse>), ApiError> {
    let r = state.store.find_requirement(id).await?;
    Ok((tagged(r.version), Json(r.into())))
}

/// `POST /api/v1/requirements` (admins): one per (mission, capability), else `409`.
#[utoipa::path(post, path = "/requirements", tag = "requirements", request_body = RequirementRequest,
    responses((status = 201, body = RequirementResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_requirement(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(body): ApiJson<RequirementRequest>,
) -> Result<(StatusCode, HeaderMap, Json<RequirementResponse>), ApiError> {
    let r = save_requirement(&state, &actor, None, None, RequirementDraft::from(body)).await?;
    Ok((StatusCode::CREATED, tagged(r.version), Json(r.into())))
}

/// `PUT /api/v1/requirements/{id}` (admins): replaces every field; honours `If-Match`.
#[utoipa::path(put, path = "/requirements/{id}", tag = "requirements", request_body = RequirementRequest,
    params(("id" = i64, Path, description = "Requirement id"), ("If-Match" = Option<String>, Header, description = "The ETag the change is based on")),
    responses((status = 200, body = RequirementResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn replace_requirement(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RequirementRequest>,
) -> Result<(HeaderMap, Json<RequirementResponse>), ApiError> {
    let expected = if_match(&headers)?;
    let r = save_requirement(
        &state,
        &actor,
        Some(id),
        expected,
        RequirementDraft::from(body),
    )
    .await?;
    Ok((tagged(r.version), Json(r.into())))
}

/// `DELETE /api/v1/requirements/{id}` (admins): past reports still show it.
#[utoipa::path(delete, path = "/requirements/{id}", tag = "requirements", params(("id" = i64, Path, description = "Requirement id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_requirement(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    actor.may_administer()?;
    let r = state.store.delete_requirement(id, &actor).await?;
    state
        .publish_change("requirement", r.id, r.version, "delete")
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
