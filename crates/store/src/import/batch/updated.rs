//! A batch of changed pledges rendered once as cells, for either backend to write in a few
//! set-based statements: each pledge's new values, the partners and equipment of those whose
//! details change, and the audit entries (the fields each change changed, before and after) —
//! with the same values, and the same JSON text, that one change at a time (`replace_pledge`
//! and `record`) writes.

use chrono::{DateTime, Utc};
use pledgeboard_domain::pledge::partners_text;
use pledgeboard_domain::{Catalog, NewPledge, Pledge};

use super::new::{PARTNER_CELLS, PLEDGE_CELLS, push_pledge_cells};
use crate::StoreError;
use crate::import::cells::Rows;
use crate::pledges::row::{PledgeValues, write_equipment_json};

/// Cells per updated pledge: its id, the version it replaces, the [`PLEDGE_CELLS`] of its new
/// values, then the replaced version's partners (text) and equipment (JSON) for its
/// `pledge_versions` row.
pub(crate) const UPDATE_CELLS: usize = 2 + PLEDGE_CELLS + 2;
/// Cells per equipment row: its pledge's id, category, description, quantity, lease.
pub(crate) const EQUIPMENT_CELLS: usize = 5;
/// Cells per audit entry: the pledge's id, and the values its change changed, before and
/// after (JSON).
pub(crate) const AUDIT_CELLS: usize = 3;

/// A batch of changes as cells.
#[derive(Debug)]
pub(crate) struct UpdatedPledges {
    /// One row of [`UPDATE_CELLS`] per changed pledge.
    pub pledges: Rows,
    /// The pledges whose partner and equipment rows are replaced.
    pub replaced: Vec<i64>,
    /// Their new partner rows: pledge id, partner, role.
    pub partners: Rows,
    /// Their new equipment rows, in order.
    pub equipment: Rows,
    /// One audit entry per changed pledge.
    pub audit: Rows,
    /// Scratch space for JSON text (an audit entry's values before, and after).
    json: Vec<u8>,
    json_after: Vec<u8>,
}

impl UpdatedPledges {
    pub(crate) fn with_capacity(pledges: usize) -> Self {
        Self {
            pledges: Rows::new(UPDATE_CELLS, pledges),
            replaced: Vec::new(),
            partners: Rows::new(PARTNER_CELLS, 0),
            equipment: Rows::new(EQUIPMENT_CELLS, 0),
            audit: Rows::new(AUDIT_CELLS, pledges),
            json: Vec::new(),
            json_after: Vec::new(),
        }
    }

    /// Changes in the batch.
    pub(crate) fn len(&self) -> usize {
        self.pledges.len()
    }

    /// Adds the change of `current` into `next`, made by `by` at `at`.
    pub(crate) fn push(
        &mut self,
        current: &Pledge,
        next: &NewPledge,
        catalog: &Catalog,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let category = catalog.capability(next.capability.as_str())?.category;
        let rows = &mut self.pledges;
        rows.int(Some(current.id));
        rows.int(Some(i64::from(current.version)));
        push_pledge_cells(rows, next, category, current.registered_on);
        rows.text(Some(&partners_text(&current.partners)));
        self.json.clear();
        write_equipment_json(&mut self.json, &current.equipment)?;
        json_cell(&mut self.pledges, &self.json)?;

        if next.partners != current.partners || next.equipment != current.equipment {
            self.replaced.push(current.id);
            for partner in &next.partners {
                self.partners.int(Some(current.id));
                self.partners.text(Some(partner.member_state.as_str()));
                self.partners.display(Some(partner.role));
            }
            for line in &next.equipment {
                self.equipment.int(Some(current.id));
                self.equipment.text(Some(&line.category));
                self.equipment.text(Some(&line.description));
                self.equipment.int(Some(i64::from(line.quantity.get())));
                self.equipment.text(Some(line.lease.as_str()));
            }
        }

        let changed = current.next_version(next, category, by, at);
        self.audit.int(Some(current.id));
        self.json.clear();
        self.json_after.clear();
        PledgeValues::of(current).write_changes(
            &PledgeValues::of(&changed),
            &mut self.json,
            &mut self.json_after,
        )?;
        json_cell(&mut self.audit, &self.json)?;
        json_cell(&mut self.audit, &self.json_after)?;
        Ok(())
    }
}

/// Appends JSON text written to a byte buffer as a text cell.
fn json_cell(rows: &mut Rows, json: &[u8]) -> Result<(), StoreError> {
    let text =
        std::str::from_utf8(json).map_err(|e| StoreError::Other(format!("JSON text: {e}")))?;
    rows.text(Some(text));
    Ok(())
}
