//! New pledges rendered once as the cells of their rows, for either backend to insert: the
//! cells of a `pledges` row that vary from pledge to pledge (`pledges/row.rs`'s one list), and
//! one row per partner.

use chrono::NaiveDate;
use pledgeboard_domain::{Catalog, Category, MemberStateCode, NewPledge, PledgeRef};

use crate::StoreError;
use crate::import::cells::Rows;
use crate::pledges::row::cells;

/// The pledge columns the cells fill (`COLUMNS`), their count, and the SQL list of them after a
/// prefix (`""`, `"p."`): `pledges/row.rs`'s one list.
pub(crate) use crate::pledges::row::{
    CELLS as PLEDGE_CELLS, COLUMNS as PLEDGE_COLUMN_NAMES, column_list as pledge_columns,
};
/// Cells per partner row: the row of its pledge in the batch, the partner, its role.
pub(crate) const PARTNER_CELLS: usize = 3;

/// Pledge keys as rows of two cells: member state, reference.
pub(crate) fn key_rows(keys: &[(&MemberStateCode, &PledgeRef)]) -> Rows {
    let mut rows = Rows::new(2, keys.len());
    for (state, reference) in keys {
        rows.text(Some(state.as_str()));
        rows.text(Some(reference.as_str()));
    }
    rows
}

/// Appends the [`PLEDGE_CELLS`] cells of a pledge's row, in `pledges/row.rs`'s column order;
/// `registered_on` is its registration date when it gives none.
pub(crate) fn push_pledge_cells(
    rows: &mut Rows,
    p: &NewPledge,
    category: Category,
    registered_on: NaiveDate,
) {
    for cell in cells(p, category, registered_on) {
        cell.push_onto(rows);
    }
}

/// A batch of new pledges as cells.
#[derive(Debug)]
pub(crate) struct NewPledges {
    pub pledges: Rows,
    pub partners: Rows,
}

impl NewPledges {
    pub(crate) fn with_capacity(pledges: usize) -> Self {
        Self {
            pledges: Rows::new(PLEDGE_CELLS, pledges),
            partners: Rows::new(PARTNER_CELLS, pledges / 8),
        }
    }

    /// Pledges in the batch.
    pub(crate) fn len(&self) -> usize {
        self.pledges.len()
    }

    /// Adds a pledge; `today` is its registration date when it gives none.
    pub(crate) fn push(
        &mut self,
        p: &NewPledge,
        catalog: &Catalog,
        today: NaiveDate,
    ) -> Result<(), StoreError> {
        let category = catalog.capability(p.capability.as_str())?.category;
        let row = i64::try_from(self.pledges.len()).unwrap_or(i64::MAX);
        push_pledge_cells(&mut self.pledges, p, category, today);
        for partner in &p.partners {
            self.partners.int(Some(row));
            self.partners.text(Some(partner.member_state.as_str()));
            self.partners.display(Some(partner.role));
        }
        Ok(())
    }
}
