//! What an import does with each row: create, update or leave a pledge, decided by pure rules;
//! and the report the planner reads.

use chrono::NaiveDate;
use serde::Serialize;

use crate::import_preview::{PREVIEW_ROWS, PreviewRow};
use crate::milestone_columns::{RowMilestone, column_of, row_milestones};
use crate::pledge_csv::{LineError, PledgeHeader, every_error};
use crate::pledge_draft::PledgeDraft;
use crate::{Actor, Catalog, FieldError, Milestone, MilestoneKind, NewPledge, Pledge};

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
    let (dates, bad_dates) = header.milestone_cells(record);
    let mut next = match existing {
        None => {
            let (draft, mut unread) = header.overlay_reading(record, PledgeDraft::default());
            unread.extend(bad_dates);
            every_error(unread, draft.validate(catalog))?
        }
        Some(current) => {
            let (draft, mut unread) = header.overlay_reading(record, current.to_draft());
            unread.extend(bad_dates);
            every_error(unread, draft.validate_change(catalog, current))?
        }
    };
    // Raised before it is compared, so that a re-import of the same sheet is a no-op
    // (`milestone_columns`); a status raised by a deployment skips the workflow, as a
    // milestone recorded on the pledge's page does.
    let status_raised = dates.raise(&mut next);
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
            if status_raised {
                let mut unraised = next.clone();
                unraised.status = current.status;
                current.check_change(&unraised)?;
            } else {
                current.check_change(&next)?;
            }
            Ok(RowPlan::Update {
                current: Box::new(current.clone()),
                next,
            })
        }
    }
}

/// The milestones a row records (its date cells the pledge has not recorded yet, checked by
/// [`row_milestones`]), and its plan: a row that leaves its pledge as it is but records a
/// milestone changes it after all (a new version, which the milestone names). Called after
/// [`plan_row`], only for files with milestone columns; `existing` and `recorded` are the
/// stored pledge and its live milestones.
pub fn plan_row_milestones(
    header: &PledgeHeader,
    record: &csv::StringRecord,
    plan: RowPlan,
    existing: Option<&Pledge>,
    recorded: &[Milestone],
    today: NaiveDate,
) -> Result<(RowPlan, Vec<RowMilestone>), Vec<FieldError>> {
    let (cells, _) = header.milestone_cells(record);
    let (next, before) = match (&plan, existing) {
        (RowPlan::Create(next), _) => (next.clone(), (next.readiness, next.status)),
        (RowPlan::Update { current, next }, _) => {
            (next.clone(), (current.readiness, current.status))
        }
        (RowPlan::Unchanged, Some(current)) => {
            (current.to_new(), (current.readiness, current.status))
        }
        (RowPlan::Unchanged, None) => return Ok((plan, Vec::new())),
    };
    let milestones = row_milestones(&cells, &next, before, recorded, today)?;
    let plan = match (plan, existing) {
        (RowPlan::Unchanged, Some(current)) if !milestones.is_empty() => RowPlan::Update {
            current: Box::new(current.clone()),
            next,
        },
        (plan, _) => plan,
    };
    Ok((plan, milestones))
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
    /// Milestones the rows record (`milestone_columns`), or would record in a dry run
    /// (counted by [`ImportReport::note_milestones`]).
    pub milestones: u64,
    /// Rows created or updated whose personnel is estimated (left out of the row, or marked
    /// estimated), not stated.
    pub estimated: u64,
    /// The first [`PREVIEW_ROWS`] rows created or updated, in file order.
    pub preview: Vec<PreviewRow>,
    /// Errors, by line once the import has ended ([`ImportReport::sort_errors`]).
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

    /// Notes a row planned on `line`: counted as estimated when it creates or changes a pledge
    /// whose personnel is estimated, and listed while the preview has room.
    pub fn note_planned(&mut self, line: u64, plan: &RowPlan) {
        let next = match plan {
            RowPlan::Create(next) | RowPlan::Update { next, .. } => next,
            RowPlan::Unchanged => return,
        };
        if next.personnel.is_estimated() {
            self.estimated += 1;
        }
        if self.preview.len() < PREVIEW_ROWS {
            self.preview.extend(PreviewRow::of(line, plan));
        }
    }

    /// Notes the milestone columns whose dates the row on `line` records, among its changes in
    /// the preview when the preview lists it (a row may change nothing else).
    pub fn note_milestones(&mut self, line: u64, kinds: impl IntoIterator<Item = MilestoneKind>) {
        let columns: Vec<&'static str> = kinds.into_iter().map(column_of).collect();
        self.milestones += columns.len() as u64;
        if let Some(row) = self.preview.iter_mut().rev().find(|r| r.line == line) {
            row.changes.extend(columns);
        }
    }

    /// Rows created or updated that the preview does not list.
    pub fn not_previewed(&self) -> u64 {
        (self.created + self.updated).saturating_sub(self.preview.len() as u64)
    }

    /// Orders the errors by line (a file's rows are checked on several threads, and the
    /// header's and the rows' problems are found at different steps); on one line, in the
    /// order found.
    pub fn sort_errors(&mut self) {
        self.errors.sort_by_key(|e| e.line);
    }

    /// Whether any row was bad (then nothing is applied).
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}
