//! The audit trail: who changed what, when, with the values before and after.

use chrono::{DateTime, Utc};
use pledgeboard_domain::Actor;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;

use crate::entities::audit_entry;
use crate::{Store, StoreError};

/// One recorded change.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub actor_role: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Which audit entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub limit: u64,
    pub after_id: Option<i64>,
}

/// What one change was, for the audit trail.
pub(crate) struct Change<'a> {
    pub actor: &'a Actor,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub at: DateTime<Utc>,
}

/// Writes one audit entry on `conn` (inside the change's own transaction).
pub(crate) async fn record<C: ConnectionTrait>(
    conn: &C,
    change: Change<'_>,
) -> Result<(), StoreError> {
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        id: NotSet,
        at: Set(change.at),
        actor_name: Set(change.actor.name.clone()),
        actor_role: Set(change.actor.role.to_string()),
        action: Set(change.action.to_owned()),
        entity: Set(change.entity.to_owned()),
        entity_id: Set(change.entity_id),
        before: Set(change.before.map(|v| v.to_string())),
        after: Set(change.after.map(|v| v.to_string())),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

fn parse_json(text: Option<String>) -> Option<Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

impl Store {
    /// Audit entries matching the filter, oldest first, one page at a time.
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
    ) -> Result<(Vec<AuditEntry>, Option<i64>), StoreError> {
        let mut c = Condition::all();
        if let Some(e) = &filter.entity {
            c = c.add(audit_entry::Column::Entity.eq(e.clone()));
        }
        if let Some(id) = &filter.entity_id {
            c = c.add(audit_entry::Column::EntityId.eq(id.clone()));
        }
        if let Some(a) = &filter.actor {
            c = c.add(audit_entry::Column::ActorName.eq(a.clone()));
        }
        if let Some(since) = filter.since {
            c = c.add(audit_entry::Column::At.gte(since));
        }
        if let Some(after) = filter.after_id {
            c = c.add(audit_entry::Column::Id.gt(after));
        }
        let mut rows = audit_entry::Entity::find()
            .filter(c)
            .order_by_asc(audit_entry::Column::Id)
            .limit(filter.limit.saturating_add(1))
            .all(&self.db)
            .await?;
        let more = rows.len() as u64 > filter.limit;
        rows.truncate(usize::try_from(filter.limit).unwrap_or(usize::MAX));
        let next = if more {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        let entries = rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at,
                actor_name: r.actor_name,
                actor_role: r.actor_role,
                action: r.action,
                entity: r.entity,
                entity_id: r.entity_id,
                before: parse_json(r.before),
                after: parse_json(r.after),
            })
            .collect();
        Ok((entries, next))
    }
}
