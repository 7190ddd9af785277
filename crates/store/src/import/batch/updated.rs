//! A batch of changed pledges rendered once as cells, for either backend to write in a few
//! set-based statements: each pledge's new values, the partners and equipment of those whose
//! details change, and the audit entries (the fields each change changed, before and after) —
//! with the same values, and the same JSON text, that one change at a time (`replace_pledge`
//! and `record`) writes.

use chrono::{DateTime, Utc};
use pledgeboard_domain::pledge::partners_text;
use pledgeboard_domain::{Catalog, NewPledge, Pledge};

use super::new::{PARTNER_CELLS, PLEDGE_CELLS, PLEDGE_COLUMN_NAMES};
use crate::StoreError;
use crate::import::cells::Rows;
use crate::pledges::row::{Cell, PledgeValues, cells, stored_cells, write_equipment_json};

/// Cells per updated pledge: its id, the version it replaces, the [`PLEDGE_CELLS`] of its new
/// values, then the replaced version's partners (text) and equipment (JSON) for its
/// `pledge_versions` row.
pub(crate) const UPDATE_CELLS: usize = 2 + PLEDGE_CELLS + 2;
/// Cells per equipment row: its pledge's id, category, description, quantity, lease.
pub(crate) const EQUIPMENT_CELLS: usize = 5;
/// Cells per audit entry: the pledge's id, and the values its change changed, before and
/// after (JSON).
pub(crate) const AUDIT_CELLS: usize = 3;

/// The pledge columns ([`PLEDGE_COLUMN_NAMES`]) whose value a batch's changes change, in
/// any of its pledges: the only ones its `UPDATE` sets. A column set to the value it holds still
/// costs: SQLite checks a foreign key (capability, mission, conference) for each row whose
/// `UPDATE` sets its column, and rewrites an index (the coverage index, while kept) that holds
/// one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ChangedColumns(u32);

const _: () = assert!(PLEDGE_CELLS <= 32, "one bit per pledge column");

/// The key's columns, first among [`PLEDGE_COLUMN_NAMES`]: member state and reference.
const KEY_COLUMNS: usize = 2;

impl ChangedColumns {
    /// Notes the columns whose cells differ between a pledge's row before and after.
    pub(crate) fn note(
        &mut self,
        before: &[Cell<'_>; PLEDGE_CELLS],
        after: &[Cell<'_>; PLEDGE_CELLS],
    ) {
        for (i, (b, a)) in before.iter().zip(after).enumerate() {
            if b != a {
                self.0 |= 1 << i;
            }
        }
    }

    /// The changed columns, each with its place among [`PLEDGE_COLUMN_NAMES`].
    pub(crate) fn columns(self) -> impl Iterator<Item = (usize, &'static str)> {
        PLEDGE_COLUMN_NAMES
            .into_iter()
            .enumerate()
            .filter(move |&(i, _)| self.contains(i))
    }

    /// The changed columns an `UPDATE` sets: never the key (member state, reference, the first
    /// two), which a change is matched by and never moves.
    pub(crate) fn set(self) -> impl Iterator<Item = (usize, &'static str)> {
        self.columns().filter(|&(i, _)| i >= KEY_COLUMNS)
    }

    /// Whether the column at `place` among [`PLEDGE_COLUMN_NAMES`] changed.
    pub(crate) fn contains(self, place: usize) -> bool {
        self.0 & (1 << place) != 0
    }
}

/// A batch of changes as cells.
#[derive(Debug)]
pub(crate) struct UpdatedPledges {
    /// One row of [`UPDATE_CELLS`] per changed pledge.
    pub pledges: Rows,
    /// The columns that any of them changes.
    pub changed: ChangedColumns,
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
            changed: ChangedColumns::default(),
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
        let after = cells(next, category, current.registered_on);
        self.changed.note(&stored_cells(current), &after);
        for cell in after {
            cell.push_onto(rows);
        }
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

#[cfg(test)]
mod tests {
    use pledgeboard_domain::pledge::Quantity;

    use super::*;
    use crate::PledgeFilter;
    use crate::testing::{fresh_store, import_csv};

    #[tokio::test]
    async fn a_batch_names_only_the_columns_its_changes_change() {
        let store = fresh_store("sqlite").await.unwrap();
        let file = "pledge_ref,member_state,capability,quantity,mission,notes,partners\n\
                    C-1,PAK,INF-BN,2,UNMISS,first,JPN:equips\n";
        let report = import_csv(&store, file).await.unwrap();
        assert!(report.applied, "{:?}", report.errors);
        let filter = PledgeFilter {
            limit: 10,
            ..PledgeFilter::default()
        };
        let stored = store.list_pledges(&filter).await.unwrap().items.remove(0);
        let before = stored_cells(&stored);
        let (category, day) = (stored.category, stored.registered_on);

        // A stored pledge's cells are those its row was written with.
        let same = stored.to_new();
        assert_eq!(before, cells(&same, category, day));
        let mut changed = ChangedColumns::default();
        changed.note(&before, &cells(&same, category, day));
        assert_eq!(changed.columns().count(), 0, "nothing changed");

        let mut next = stored.to_new();
        next.quantity = Quantity::new(3).unwrap();
        next.notes = Some("second".to_owned());
        changed.note(&before, &cells(&next, category, day));
        let mut other = stored.to_new();
        other.mission = None;
        changed.note(&before, &cells(&other, category, day));
        let names: Vec<_> = changed.columns().map(|(_, name)| name).collect();
        assert_eq!(names, ["quantity", "mission", "notes"]);
        let places: Vec<_> = changed.columns().map(|(i, _)| i).collect();
        for (i, name) in places.into_iter().zip(names) {
            assert_eq!(PLEDGE_COLUMN_NAMES[i], name);
        }
    }
}
