//! Reading every pledge of a filter page by page, so memory stays flat however many there are.

use pledgeboard_domain::Pledge;

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
}

impl Store {
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
