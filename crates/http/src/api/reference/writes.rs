//! Admins' writes to missions and conferences.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use pledgeboard_domain::pledge_draft::parse_iso_date;
use pledgeboard_domain::{Conference, ConferenceCode, FieldError, Mission, MissionAcronym};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::reference::read::{ConferenceResponse, MissionResponse};
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::{ApiJson, ApiPath};
use crate::{ApiError, AppState};

/// A mission to add or replace.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MissionRequest {
    /// Required when creating; taken from the path when replacing.
    #[serde(default)]
    pub acronym: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub location: String,
    /// `YYYY-MM-DD`.
    pub established_on: Option<String>,
}

/// A conference to add or replace.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConferenceRequest {
    /// Required when creating; taken from the path when replacing.
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    /// Host states (alpha-3, alpha-2 or name).
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
}

fn required(errors: &mut Vec<FieldError>, field: &str, value: &str) -> String {
    if value.trim().is_empty() {
        errors.push(FieldError::new(
            field,
            value,
            format!("{} is required", field.replace('_', " ")),
        ));
    }
    value.trim().to_owned()
}

fn to_mission(body: MissionRequest) -> Result<Mission, ApiError> {
    let mut e = Vec::new();
    let acronym = MissionAcronym::parse(&body.acronym)
        .map_err(|x| e.push(FieldError::new("acronym", &body.acronym, x)))
        .ok();
    let name = required(&mut e, "name", &body.name);
    let location = required(&mut e, "location", &body.location);
    let established_on = match body
        .established_on
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        Some(d) => parse_iso_date(d)
            .map_err(|x| e.push(FieldError::new("established_on", d, x)))
            .ok(),
        None => None,
    };
    match acronym {
        Some(acronym) if e.is_empty() => Ok(Mission {
            acronym,
            name,
            location,
            established_on,
        }),
        _ => Err(ApiError::Invalid(e)),
    }
}

fn to_conference(state: &AppState, body: ConferenceRequest) -> Result<Conference, ApiError> {
    let catalog = state.catalog();
    let mut e = Vec::new();
    let code = ConferenceCode::parse(&body.code)
        .map_err(|x| e.push(FieldError::new("code", &body.code, x)))
        .ok();
    let name = required(&mut e, "name", &body.name);
    let location = required(&mut e, "location", &body.location);
    let hosts: Vec<_> = body
        .hosts
        .iter()
        .filter_map(|h| {
            catalog
                .member_state(h)
                .map(|s| s.code.clone())
                .map_err(|x| e.push(FieldError::new("hosts", h, x)))
                .ok()
        })
        .collect();
    let starts_on = parse_iso_date(&body.starts_on)
        .map_err(|x| e.push(FieldError::new("starts_on", &body.starts_on, x)))
        .ok();
    let ends_on = parse_iso_date(&body.ends_on)
        .map_err(|x| e.push(FieldError::new("ends_on", &body.ends_on, x)))
        .ok();
    match (code, starts_on, ends_on) {
        (Some(code), Some(starts_on), Some(ends_on)) if e.is_empty() => {
            Conference::new(code, name, hosts, location, starts_on, ends_on)
                .map_err(|x| ApiError::invalid_field("ends_on", &body.ends_on, x))
        }
        _ => Err(ApiError::Invalid(e)),
    }
}

fn mission_response(m: &Mission) -> MissionResponse {
    MissionResponse {
        acronym: m.acronym.to_string(),
        name: m.name.clone(),
        location: m.location.clone(),
        established_on: m.established_on,
    }
}

fn conference_response(c: &Conference) -> ConferenceResponse {
    ConferenceResponse {
        code: c.code.to_string(),
        name: c.name.clone(),
        hosts: c.hosts.iter().map(ToString::to_string).collect(),
        location: c.location.clone(),
        starts_on: c.starts_on,
        ends_on: c.ends_on,
    }
}

/// `POST /api/v1/missions` (admins)
#[utoipa::path(post, path = "/missions", tag = "reference data", request_body = MissionRequest,
    responses((status = 201, body = MissionResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_mission(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(body): ApiJson<MissionRequest>,
) -> Result<(StatusCode, Json<MissionResponse>), ApiError> {
    actor.may_administer()?;
    let mission = to_mission(body)?;
    state.store.create_mission(&mission, &actor).await?;
    state.reference_changed().await?;
    Ok((StatusCode::CREATED, Json(mission_response(&mission))))
}

/// `PUT /api/v1/missions/{acronym}` (admins)
#[utoipa::path(put, path = "/missions/{acronym}", tag = "reference data", request_body = MissionRequest,
    params(("acronym" = String, Path, description = "Mission acronym")),
    responses((status = 200, body = MissionResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn replace_mission(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(acronym): ApiPath<String>,
    ApiJson(body): ApiJson<MissionRequest>,
) -> Result<Json<MissionResponse>, ApiError> {
    actor.may_administer()?;
    let mission = to_mission(MissionRequest { acronym, ..body })?;
    state.store.update_mission(&mission, &actor).await?;
    state.reference_changed().await?;
    Ok(Json(mission_response(&mission)))
}

/// `POST /api/v1/conferences` (admins)
#[utoipa::path(post, path = "/conferences", tag = "reference data", request_body = ConferenceRequest,
    responses((status = 201, body = ConferenceResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_conference(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiJson(body): ApiJson<ConferenceRequest>,
) -> Result<(StatusCode, Json<ConferenceResponse>), ApiError> {
    actor.may_administer()?;
    let conference = to_conference(&state, body)?;
    state.store.create_conference(&conference, &actor).await?;
    state.reference_changed().await?;
    Ok((StatusCode::CREATED, Json(conference_response(&conference))))
}

/// `PUT /api/v1/conferences/{code}` (admins)
#[utoipa::path(put, path = "/conferences/{code}", tag = "reference data", request_body = ConferenceRequest,
    params(("code" = String, Path, description = "Conference code")),
    responses((status = 200, body = ConferenceResponse), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn replace_conference(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<ConferenceRequest>,
) -> Result<Json<ConferenceResponse>, ApiError> {
    actor.may_administer()?;
    let conference = to_conference(&state, ConferenceRequest { code, ..body })?;
    state.store.update_conference(&conference, &actor).await?;
    state.reference_changed().await?;
    Ok(Json(conference_response(&conference)))
}
