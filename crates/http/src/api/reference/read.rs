//! Reference data: member states, capabilities, missions, conferences (every item, unpaged).

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::error::Problem;

use crate::AppState;

/// `{"items": [...]}`, the shape of every reference list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// A member state.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberStateResponse {
    pub code: String,
    pub alpha2: String,
    pub name: String,
}

/// A capability of the taxonomy.
#[derive(Debug, Serialize, ToSchema)]
pub struct CapabilityResponse {
    pub code: String,
    pub name: String,
    pub category: String,
    pub unit_of_measure: String,
    pub standard_personnel: u32,
    pub gender_category: Option<String>,
    /// Whether pledges of this capability count toward mission requirements.
    pub counts_toward_coverage: bool,
}

/// A peacekeeping mission.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionResponse {
    pub acronym: String,
    pub name: String,
    pub location: String,
    pub established_on: Option<NaiveDate>,
}

/// A pledging conference.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConferenceResponse {
    pub code: String,
    pub name: String,
    pub hosts: Vec<String>,
    pub location: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

/// `GET /api/v1/member-states`: every item, unpaged.
#[utoipa::path(get, path = "/member-states", tag = "reference data",
    responses((status = 200, body = Items<MemberStateResponse>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_member_states(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
) -> Json<Items<MemberStateResponse>> {
    let catalog = state.catalog();
    let items = catalog
        .member_states()
        .all()
        .iter()
        .map(|s| MemberStateResponse {
            code: s.code.to_string(),
            alpha2: s.alpha2.clone(),
            name: s.name.clone(),
        })
        .collect();
    Json(Items { items })
}

/// `GET /api/v1/capabilities`: every item, unpaged.
#[utoipa::path(get, path = "/capabilities", tag = "reference data",
    responses((status = 200, body = Items<CapabilityResponse>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_capabilities(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
) -> Json<Items<CapabilityResponse>> {
    let items = state
        .catalog()
        .capabilities()
        .map(|c| CapabilityResponse {
            code: c.code.to_string(),
            name: c.name.clone(),
            category: c.category.to_string(),
            unit_of_measure: c.unit_of_measure.to_string(),
            standard_personnel: c.standard_personnel,
            gender_category: c.gender_category.map(|g| g.to_string()),
            counts_toward_coverage: c.category.is_capacity(),
        })
        .collect();
    Json(Items { items })
}

/// `GET /api/v1/missions`: every item, unpaged.
#[utoipa::path(get, path = "/missions", tag = "reference data",
    responses((status = 200, body = Items<MissionResponse>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_missions(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
) -> Json<Items<MissionResponse>> {
    let items = state
        .catalog()
        .missions()
        .map(|m| MissionResponse {
            acronym: m.acronym.to_string(),
            name: m.name.clone(),
            location: m.location.clone(),
            established_on: m.established_on,
        })
        .collect();
    Json(Items { items })
}

/// `GET /api/v1/conferences`: every item, unpaged.
#[utoipa::path(get, path = "/conferences", tag = "reference data",
    responses((status = 200, body = Items<ConferenceResponse>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_conferences(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
) -> Json<Items<ConferenceResponse>> {
    let items = state
        .catalog()
        .conferences()
        .map(|c| ConferenceResponse {
            code: c.code.to_string(),
            name: c.name.clone(),
            hosts: c.hosts.iter().map(ToString::to_string).collect(),
            location: c.location.clone(),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
        })
        .collect();
    Json(Items { items })
}
