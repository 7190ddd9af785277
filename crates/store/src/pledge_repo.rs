//! Pledges: create, find, list with filters and cursor paging.

use chrono::{NaiveDate, Utc};
use pledgeboard_domain::{
    CapabilityCode, Catalog, Category, ConferenceCode, MemberStateCode, MissionAcronym, NewPledge,
    Pledge, PledgeStatus, Readiness,
};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use crate::entities::{pledge, pledge_equipment, pledge_partner};
use crate::pledge_row::assemble;
use crate::{Store, StoreError};

/// Which pledges a list returns, and which page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PledgeFilter {
    pub member_state: Option<MemberStateCode>,
    pub mission: Option<MissionAcronym>,
    pub capability: Option<CapabilityCode>,
    pub category: Option<Category>,
    pub readiness: Option<Readiness>,
    pub status: Option<PledgeStatus>,
    pub conference: Option<ConferenceCode>,
    /// Page size; the HTTP layer keeps it within 1–1000.
    pub limit: u64,
    /// Only pledges with an id above this (the previous page's last id).
    pub after_id: Option<i64>,
}

/// One page of pledges, and the id to continue after when there are more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgePage {
    pub items: Vec<Pledge>,
    pub next_after_id: Option<i64>,
}

fn condition(filter: &PledgeFilter) -> Condition {
    let mut c = Condition::all();
    let eq = |c: Condition, col: pledge::Column, v: Option<String>| match v {
        Some(v) => c.add(col.eq(v)),
        None => c,
    };
    c = eq(
        c,
        pledge::Column::MemberState,
        filter.member_state.as_ref().map(ToString::to_string),
    );
    c = eq(
        c,
        pledge::Column::Mission,
        filter.mission.as_ref().map(ToString::to_string),
    );
    c = eq(
        c,
        pledge::Column::Capability,
        filter.capability.as_ref().map(ToString::to_string),
    );
    c = eq(
        c,
        pledge::Column::Category,
        filter.category.map(|v| v.to_string()),
    );
    c = eq(
        c,
        pledge::Column::Readiness,
        filter.readiness.map(|v| v.to_string()),
    );
    c = eq(
        c,
        pledge::Column::Status,
        filter.status.map(|v| v.to_string()),
    );
    c = eq(
        c,
        pledge::Column::Conference,
        filter.conference.as_ref().map(ToString::to_string),
    );
    if let Some(after) = filter.after_id {
        c = c.add(pledge::Column::Id.gt(after));
    }
    c
}

fn to_active(p: &NewPledge, category: Category, today: NaiveDate) -> pledge::ActiveModel {
    let now = Utc::now();
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    pledge::ActiveModel {
        id: NotSet,
        member_state: Set(p.member_state.to_string()),
        pledge_ref: Set(p.pledge_ref.to_string()),
        capability: Set(p.capability.to_string()),
        category: Set(category.to_string()),
        quantity: Set(int(p.quantity.get())),
        personnel: Set(int(p.personnel.total())),
        female_personnel: Set(int(p.personnel.women())),
        readiness: Set(p.readiness.to_string()),
        available_from: Set(p.available_from),
        duration_months: Set(p.duration_months.map(|d| i16::from(d.get()))),
        mission: Set(p.mission.as_ref().map(ToString::to_string)),
        conference: Set(p.conference.as_ref().map(ToString::to_string)),
        status: Set(p.status.to_string()),
        caveats: Set(p.caveats.clone()),
        monthly_cost_cents: Set(p.monthly_cost_usd.map(|u| u.cents())),
        notes: Set(p.notes.clone()),
        registered_on: Set(p.registered_on.unwrap_or(today)),
        renewed_on: Set(p.renewed_on),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Inserts one pledge with its partners and equipment on `conn`; returns its id.
async fn insert_pledge<C: ConnectionTrait>(
    conn: &C,
    catalog: &Catalog,
    p: &NewPledge,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    let category = catalog.capability(p.capability.as_str())?.category;
    let id = pledge::Entity::insert(to_active(p, category, today))
        .exec(conn)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Conflict(_) => StoreError::Conflict(format!(
                "{} already has a pledge with reference '{}'",
                p.member_state, p.pledge_ref
            )),
            other => other,
        })?
        .last_insert_id;
    pledge_partner::Entity::insert_many(p.partners.iter().map(|partner| {
        pledge_partner::ActiveModel {
            pledge_id: Set(id),
            member_state: Set(partner.member_state.to_string()),
            role: Set(partner.role.to_string()),
        }
    }))
    .exec_without_returning(conn)
    .await?;
    pledge_equipment::Entity::insert_many(p.equipment.iter().map(|e| {
        pledge_equipment::ActiveModel {
            id: NotSet,
            pledge_id: Set(id),
            category: Set(e.category.clone()),
            description: Set(e.description.clone()),
            quantity: Set(i32::try_from(e.quantity.get()).unwrap_or(i32::MAX)),
            lease: Set(e.lease.to_string()),
        }
    }))
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

/// Loads the pledges with these rows, with partners and equipment, in the rows' order.
async fn with_details<C: ConnectionTrait>(
    conn: &C,
    rows: Vec<pledge::Model>,
) -> Result<Vec<Pledge>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let partners = pledge_partner::Entity::find()
        .filter(pledge_partner::Column::PledgeId.is_in(ids.clone()))
        .all(conn)
        .await?;
    let equipment = pledge_equipment::Entity::find()
        .filter(pledge_equipment::Column::PledgeId.is_in(ids))
        .order_by_asc(pledge_equipment::Column::Id)
        .all(conn)
        .await?;
    assemble(rows, partners, equipment)
}

impl Store {
    /// Records a new pledge; a taken (member state, reference) is a conflict.
    pub async fn create_pledge(
        &self,
        catalog: &Catalog,
        p: &NewPledge,
    ) -> Result<Pledge, StoreError> {
        let txn = self.db.begin().await?;
        let id = insert_pledge(&txn, catalog, p, Utc::now().date_naive()).await?;
        txn.commit().await?;
        self.find_pledge(id).await
    }

    /// The pledge with this id.
    pub async fn find_pledge(&self, id: i64) -> Result<Pledge, StoreError> {
        let row = pledge::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("pledge {id}")))?;
        with_details(&self.db, vec![row])
            .await?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("pledge {id}")))
    }

    /// One page of pledges matching the filter, in id order.
    pub async fn list_pledges(&self, filter: &PledgeFilter) -> Result<PledgePage, StoreError> {
        let mut rows = pledge::Entity::find()
            .filter(condition(filter))
            .order_by_asc(pledge::Column::Id)
            .limit(filter.limit.saturating_add(1))
            .all(&self.db)
            .await?;
        let more = rows.len() as u64 > filter.limit;
        rows.truncate(usize::try_from(filter.limit).unwrap_or(usize::MAX));
        let next_after_id = if more {
            rows.last().map(|r| r.id)
        } else {
            None
        };
        Ok(PledgePage {
            items: with_details(&self.db, rows).await?,
            next_after_id,
        })
    }

    /// Adds the pledges whose (member state, reference) is not yet stored, in one
    /// transaction; returns how many were added.
    pub(crate) async fn insert_missing_pledges(
        &self,
        catalog: &Catalog,
        pledges: &[NewPledge],
    ) -> Result<u64, StoreError> {
        let txn = self.db.begin().await?;
        let existing: std::collections::HashSet<(String, String)> = pledge::Entity::find()
            .select_only()
            .column(pledge::Column::MemberState)
            .column(pledge::Column::PledgeRef)
            .into_tuple::<(String, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let today = Utc::now().date_naive();
        let mut added = 0;
        for p in pledges {
            if !existing.contains(&(p.member_state.to_string(), p.pledge_ref.to_string())) {
                insert_pledge(&txn, catalog, p, today).await?;
                added += 1;
            }
        }
        txn.commit().await?;
        Ok(added)
    }
}
