//! `GET /api/v1/reports/renewals`: active pledges whose PCRS renewal is overdue or due within
//! 30 days, soonest first.

use axum::Json;
use axum::extract::State;
use chrono::{NaiveDate, Utc};
use pledgeboard_domain::country_report::RenewalLine;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::error::Problem;
use crate::{ApiError, AppState};

/// A pledge whose PCRS renewal is overdue or due soon.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalLineResponse {
    pub pledge_id: i64,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub registered_on: NaiveDate,
    pub renewed_on: Option<NaiveDate>,
    pub renewal_due: NaiveDate,
    pub overdue: bool,
}

impl From<&RenewalLine> for RenewalLineResponse {
    fn from(r: &RenewalLine) -> Self {
        Self {
            pledge_id: r.pledge_id,
            member_state: r.member_state.clone(),
            pledge_ref: r.pledge_ref.clone(),
            capability: r.capability.clone(),
            registered_on: r.registered_on,
            renewed_on: r.renewed_on,
            renewal_due: r.renewal_due,
            overdue: r.overdue,
        }
    }
}

/// The renewals due, soonest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenewalsResponse {
    pub items: Vec<RenewalLineResponse>,
}

/// `GET /api/v1/reports/renewals`: active pledges whose PCRS renewal is overdue or due within 30 days.
#[utoipa::path(get, path = "/reports/renewals", tag = "reports",
    responses((status = 200, description = "Soonest first", body = RenewalsResponse), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn renewals_report(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
) -> Result<Json<serde_json::Value>, ApiError> {
    let items = state.store.renewals(Utc::now().date_naive(), None).await?;
    let response = RenewalsResponse {
        items: items.iter().map(Into::into).collect(),
    };
    // Through a JSON value, whose keys are in alphabetical order: this route has always
    // answered its items' fields so, while a country page lists the same lines in the
    // order above.
    serde_json::to_value(response)
        .map(Json)
        .map_err(|e| ApiError::Internal(format!("cannot write the renewals: {e}")))
}
