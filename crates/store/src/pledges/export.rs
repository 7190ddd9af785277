//! Reading every pledge of a filter page by page, so memory stays flat however many there are.

use std::collections::HashMap;

use pledgeboard_domain::Pledge;
use pledgeboard_domain::milestone_columns::MilestoneDates;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::pledge_milestone;
use crate::{PledgeFilter, Store, StoreError};

/// Pledges read per page while exporting.
pub const EXPORT_PAGE: u64 = 1000;

/// Walks the pledges of a filter in id order, one page per call.
pub struct PledgePager {
    store: Store,
    filter: PledgeFilter,
    done: bool,
}

impl PledgePager {
    /// The next page, or `None` after the last.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Pledge>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let page = self.store.list_pledges(&self.filter).await?;
        match page.next_after_id {
            Some(after) => self.filter.after_id = Some(after),
            None => self.done = true,
        }
        Ok(Some(page.items))
    }

    /// The next page with each pledge's milestone dates, as the pledge file carries them.
    pub async fn next_page_with_milestones(
        &mut self,
    ) -> Result<Option<Vec<(Pledge, MilestoneDates)>>, StoreError> {
        let Some(page) = self.next_page().await? else {
            return Ok(None);
        };
        let mut dates = self
            .store
            .milestone_dates(page.iter().map(|p| p.id).collect())
            .await?;
        Ok(Some(
            page.into_iter()
                .map(|p| {
                    let d = dates.remove(&p.id).unwrap_or_default();
                    (p, d)
                })
                .collect(),
        ))
    }
}

impl Store {
    /// The dates of the live milestones of pledges `ids`, by pledge (none for a pledge
    /// without any).
    pub async fn milestone_dates(
        &self,
        ids: Vec<i64>,
    ) -> Result<HashMap<i64, MilestoneDates>, StoreError> {
        let mut dates: HashMap<i64, MilestoneDates> = HashMap::new();
        if ids.is_empty() {
            return Ok(dates);
        }
        let rows: Vec<(i64, String, chrono::NaiveDate)> = pledge_milestone::Entity::find()
            .select_only()
            .column(pledge_milestone::Column::PledgeId)
            .column(pledge_milestone::Column::Kind)
            .column(pledge_milestone::Column::ReachedOn)
            .filter(pledge_milestone::Column::PledgeId.is_in(ids))
            .filter(pledge_milestone::Column::DeletedAt.is_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        for (pledge, kind, date) in rows {
            dates.entry(pledge).or_default().set(kind.parse()?, date);
        }
        Ok(dates)
    }

    /// Every pledge matching `filter` (its paging fields are ignored), page by page.
    pub fn pledge_pages(&self, filter: &PledgeFilter) -> PledgePager {
        PledgePager {
            store: self.clone(),
            filter: PledgeFilter {
                limit: EXPORT_PAGE,
                after_id: None,
                ..filter.clone()
            },
            done: false,
        }
    }
}
