//! Exporting pledges page by page, so memory stays flat however many there are.

use pledgeboard_domain::Pledge;

use crate::{PledgeFilter, Store, StoreError};

/// Pledges read per page while exporting.
pub const EXPORT_PAGE: u64 = 1000;

impl Store {
    /// Calls `each` with every page of pledges matching `filter` (its paging fields are ignored),
    /// in id order.
    pub async fn for_each_pledge_page<F>(
        &self,
        filter: &PledgeFilter,
        mut each: F,
    ) -> Result<u64, StoreError>
    where
        F: FnMut(&[Pledge]) -> Result<(), StoreError>,
    {
        let mut page_filter = PledgeFilter {
            limit: EXPORT_PAGE,
            after_id: None,
            ..filter.clone()
        };
        let mut total = 0;
        loop {
            let page = self.list_pledges(&page_filter).await?;
            total += page.items.len() as u64;
            each(&page.items)?;
            match page.next_after_id {
                Some(after) => page_filter.after_id = Some(after),
                None => return Ok(total),
            }
        }
    }
}
