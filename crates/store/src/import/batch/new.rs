//! New pledges rendered once as the cells of their rows, for either backend to insert: the 18
//! cells of a `pledges` row that vary from pledge to pledge, and one row per partner.

use chrono::NaiveDate;
use pledgeboard_domain::{Catalog, Category, MemberStateCode, NewPledge, PledgeRef};

use crate::StoreError;
use crate::import::cells::Rows;

/// `pledges` columns filled from the cells, in order; `version`, `created_at`, `updated_at` and
/// `updated_by` follow, the same for the whole batch.
pub(crate) const PLEDGE_COLUMNS: &str = "member_state, pledge_ref, capability, category, \
     quantity, personnel, female_personnel, readiness, available_from, duration_months, mission, \
     conference, status, caveats, monthly_cost_cents, notes, registered_on, renewed_on";
/// Cells per pledge row.
pub(crate) const PLEDGE_CELLS: usize = 18;
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

/// Appends the [`PLEDGE_CELLS`] cells of a pledge's row, in [`PLEDGE_COLUMNS`] order;
/// `registered_on` is its registration date when it gives none.
pub(crate) fn push_pledge_cells(
    rows: &mut Rows,
    p: &NewPledge,
    category: Category,
    registered_on: NaiveDate,
) {
    rows.text(Some(p.member_state.as_str()));
    rows.text(Some(p.pledge_ref.as_str()));
    rows.text(Some(p.capability.as_str()));
    rows.text(Some(category.as_str()));
    rows.int(Some(i64::from(p.quantity.get())));
    rows.int(Some(i64::from(p.personnel.total())));
    rows.int(Some(i64::from(p.personnel.women())));
    rows.text(Some(p.readiness.as_str()));
    rows.display(p.available_from);
    rows.int(p.duration_months.map(|d| i64::from(d.get())));
    rows.text(p.mission.as_ref().map(|m| m.as_str()));
    rows.text(p.conference.as_ref().map(|c| c.as_str()));
    rows.text(Some(p.status.as_str()));
    rows.text(p.caveats.as_deref());
    rows.int(p.monthly_cost_usd.map(|u| u.cents()));
    rows.text(p.notes.as_deref());
    rows.display(Some(p.registered_on.unwrap_or(registered_on)));
    rows.display(p.renewed_on);
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
