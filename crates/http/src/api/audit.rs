//! The audit trail: who changed what, when, before and after.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use pledgeboard_domain::{DomainError, FieldError, message};
use pledgeboard_store::AuditFilter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::pledges::query::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::params::out_of_range;
use crate::{ApiError, AppState};

/// Filters of the audit trail.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// `pledge`, `requirement`, `mission`, `conference` or `import`.
    pub entity: Option<String>,
    /// The changed record's id (with `entity`).
    pub entity_id: Option<String>,
    /// The token name that made the change.
    pub actor: Option<String>,
    /// RFC 3339 timestamp: only changes at or after it.
    pub since: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// One recorded change.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub actor_role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// A page of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPageResponse {
    pub items: Vec<AuditEntryResponse>,
    pub next_cursor: Option<String>,
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl AuditQuery {
    fn to_filter(&self) -> Result<AuditFilter, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut number = |field: &str, v: &Option<String>, range: std::ops::RangeInclusive<i64>| {
            let value = text(v)?;
            match value.parse::<i64>() {
                Ok(n) if range.contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        field,
                        &value,
                        out_of_range(field, range.start(), range.end()),
                    ));
                    None
                }
            }
        };
        let limit =
            number("limit", &self.limit, 1..=MAX_LIMIT as i64).map_or(DEFAULT_LIMIT, |n| n as u64);
        let after_id = number("cursor", &self.cursor, 0..=i64::MAX);
        let since = text(&self.since).and_then(|s| {
            DateTime::parse_from_rfc3339(&s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| {
                    errors.push(FieldError::new(
                        "since",
                        &s,
                        DomainError::invalid(message!(
                            "err-timestamp-format",
                            "write a timestamp like 2025-04-15T09:30:00Z"
                        )),
                    ))
                })
                .ok()
        });
        let filter = AuditFilter {
            entity: text(&self.entity),
            entity_id: text(&self.entity_id),
            actor: text(&self.actor),
            since,
            limit,
            after_id,
        };
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }
}

/// `GET /api/v1/audit`: oldest first, paged.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPageResponse), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn list_audit(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditPageResponse>, ApiError> {
    let filter = query.to_filter().map_err(ApiError::Invalid)?;
    let (entries, next) = state.store.list_audit(&filter).await?;
    Ok(Json(AuditPageResponse {
        items: entries
            .into_iter()
            .map(|e| AuditEntryResponse {
                id: e.id,
                at: e.at,
                actor: e.actor_name,
                actor_role: e.actor_role,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                before: e.before,
                after: e.after,
            })
            .collect(),
        next_cursor: next.map(|n| n.to_string()),
    }))
}
