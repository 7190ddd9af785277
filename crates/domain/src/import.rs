//! What an import does with each row: create, update or leave a pledge, decided by pure rules;
//! and the report the planner reads.

use serde::Serialize;

use crate::pledge_csv::{LineError, PledgeHeader, every_error};
use crate::pledge_draft::PledgeDraft;
use crate::{Actor, Catalog, FieldError, NewPledge, Pledge};

/// Most errors listed in one report: enough to fix a file, bounded for a file of garbage.
pub const MAX_REPORTED_ERRORS: usize = 1000;

/// What importing one row will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowPlan {
    /// No pledge has this key yet.
    Create(NewPledge),
    /// The pledge exists and the row changes it.
    Update {
        current: Box<Pledge>,
        next: NewPledge,
    },
    /// The pledge exists and the row matches it.
    Unchanged,
}

/// Decides what a row does, given the pledge stored under its key (if any), checking it as
/// the API would: every rule, the workflow, and the actor's right to that state's pledges.
pub fn plan_row(
    header: &PledgeHeader,
    record: &csv::StringRecord,
    existing: Option<&Pledge>,
    catalog: &Catalog,
    actor: &Actor,
) -> Result<RowPlan, Vec<FieldError>> {
    let next = match existing {
        None => {
            let (draft, unread) = header.overlay_reading(record, PledgeDraft::default());
            every_error(unread, draft.validate(catalog))?
        }
        Some(current) => {
            let (draft, unread) = header.overlay_reading(record, current.to_draft());
            every_error(unread, draft.validate_change(catalog, current))?
        }
    };
    if let Err(f) = actor.may_write_pledge_of(&next.member_state) {
        return Err(vec![FieldError::new(
            "member_state",
            next.member_state.as_str(),
            f,
        )]);
    }
    match existing {
        None => Ok(RowPlan::Create(next)),
        Some(current) if current.to_new() == next => Ok(RowPlan::Unchanged),
        Some(current) => {
            current.check_change(&next)?;
            Ok(RowPlan::Update {
                current: Box::new(current.clone()),
                next,
            })
        }
    }
}

/// The answer to an import: what it did (or, in a dry run, would do) and every bad row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    /// True only when the changes were committed.
    pub applied: bool,
    /// Data rows read (blank lines aside).
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub errors: Vec<LineError>,
    /// Errors beyond [`MAX_REPORTED_ERRORS`] that were counted but not listed.
    pub errors_not_listed: u64,
}

impl ImportReport {
    /// Records errors, keeping the list bounded.
    pub fn add_errors(&mut self, errors: impl IntoIterator<Item = LineError>) {
        for e in errors {
            if self.errors.len() < MAX_REPORTED_ERRORS {
                self.errors.push(e);
            } else {
                self.errors_not_listed += 1;
            }
        }
    }

    /// Whether any row was bad (then nothing is applied).
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}
