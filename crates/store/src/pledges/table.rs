//! The pledge table of the web pages: filtered, sorted by any column, paged by offset, with
//! the total count; and the next free reference for a pledge recorded without one.

use pledgeboard_domain::pledge_numbering::{next_pledge_ref, series_prefix};
use pledgeboard_domain::{MemberStateCode, Pledge, PledgeRef};
use sea_orm::{ColumnTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::pledge;
use crate::pledges::read::{PledgeFilter, PledgeTotals, condition, with_details};
use crate::{Store, StoreError};

/// The columns a pledge table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PledgeSort {
    MemberState,
    PledgeRef,
    Capability,
    Quantity,
    Personnel,
    FemalePersonnel,
    Readiness,
    Mission,
    Conference,
    Status,
    /// Most recently changed first when descending; the default.
    #[default]
    UpdatedAt,
}

impl PledgeSort {
    /// Every sort key with the name used in links.
    pub const ALL: [(Self, &'static str); 11] = [
        (Self::MemberState, "member_state"),
        (Self::PledgeRef, "pledge_ref"),
        (Self::Capability, "capability"),
        (Self::Quantity, "quantity"),
        (Self::Personnel, "personnel"),
        (Self::FemalePersonnel, "female_personnel"),
        (Self::Readiness, "readiness"),
        (Self::Mission, "mission"),
        (Self::Conference, "conference"),
        (Self::Status, "status"),
        (Self::UpdatedAt, "updated_at"),
    ];

    /// The key named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }

    fn column(self) -> pledge::Column {
        match self {
            Self::MemberState => pledge::Column::MemberState,
            Self::PledgeRef => pledge::Column::PledgeRef,
            Self::Capability => pledge::Column::Capability,
            Self::Quantity => pledge::Column::Quantity,
            Self::Personnel => pledge::Column::Personnel,
            Self::FemalePersonnel => pledge::Column::FemalePersonnel,
            Self::Readiness => pledge::Column::Readiness,
            Self::Mission => pledge::Column::Mission,
            Self::Conference => pledge::Column::Conference,
            Self::Status => pledge::Column::Status,
            Self::UpdatedAt => pledge::Column::UpdatedAt,
        }
    }
}

/// One page of the table, how many pledges match in all and their sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeTable {
    pub items: Vec<Pledge>,
    pub total: u64,
    /// Over every matching pledge, not only this page.
    pub totals: PledgeTotals,
}

impl Store {
    /// The pledges matching `filter` (its `limit` is the page size), sorted, from `offset`.
    pub async fn pledge_table(
        &self,
        filter: &PledgeFilter,
        sort: PledgeSort,
        descending: bool,
        offset: u64,
    ) -> Result<PledgeTable, StoreError> {
        let order = if descending { Order::Desc } else { Order::Asc };
        let query = pledge::Entity::find().filter(condition(filter));
        let totals = self.pledge_totals(filter).await?;
        let rows = query
            .order_by(sort.column(), order.clone())
            .order_by(pledge::Column::Id, order)
            .offset(offset)
            .limit(filter.limit)
            .all(&self.db)
            .await?;
        Ok(PledgeTable {
            items: with_details(&self.db, rows).await?,
            total: totals.pledges,
            totals,
        })
    }

    /// The next free reference of `state`'s series for `year`, e.g. `PAK-2026-004`.
    pub async fn next_pledge_ref(
        &self,
        state: &MemberStateCode,
        year: i32,
    ) -> Result<PledgeRef, StoreError> {
        let refs: Vec<String> = pledge::Entity::find()
            .select_only()
            .column(pledge::Column::PledgeRef)
            .filter(pledge::Column::MemberState.eq(state.as_str()))
            .filter(pledge::Column::PledgeRef.starts_with(series_prefix(state, year)))
            .into_tuple()
            .all(&self.db)
            .await?;
        next_pledge_ref(state, year, refs.iter().map(String::as_str))
            .map_err(|e| StoreError::Invalid(e.to_string()))
    }
}
