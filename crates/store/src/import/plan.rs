//! Planning a batch against what is stored: each row's key looked up (one query per batch,
//! none when the import began on an empty table), the row planned by the domain's `plan_row`
//! as a creation, a change or nothing, and rendered once into cells for the writer.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pledgeboard_domain::import::{ImportReport, RowPlan, plan_row, plan_row_milestones};
use pledgeboard_domain::milestone_rules::latest_today;
use pledgeboard_domain::pledge_csv::{LineError, PledgeHeader};
use pledgeboard_domain::{Actor, Catalog, Milestone, Pledge};

use super::batch::{NewPledges, UpdatedPledges};
use super::bulk_load::Progress;
use super::lineage_check::ImportLinks;
use super::milestones::{StagedMilestone, recorded_of};
use super::reader::{KeyedRow, Speculation};
use super::txn::{ImportTxn, StoredPledges};
use crate::StoreError;

/// Rows planned between two chances for the batch being written beside them to send its
/// next statement: about 0.2 ms of planning.
pub(crate) const ROWS_BETWEEN_YIELDS: usize = 32;

/// What every batch of one import is planned with.
pub(super) struct Planner<'a> {
    pub txn: &'a ImportTxn,
    pub catalog: &'a Catalog,
    pub header: &'a PledgeHeader,
    pub actor: &'a Actor,
    /// Classify and check every row, write nothing.
    pub dry_run: bool,
    /// When the import's changes are made.
    pub at: DateTime<Utc>,
    /// No pledge was stored when the import began, and no one else can add one until it ends
    /// (see [`ImportTxn::starts_empty`]): as a file's keys are unique, every row is new and no
    /// key needs looking up.
    pub fresh: bool,
    /// The rows' lineage links, noted when the file has a `supersedes` column.
    pub links: ImportLinks,
}

/// A batch planned and ready to write.
pub(super) struct Planned {
    pub creates: NewPledges,
    pub updates: UpdatedPledges,
    /// The milestones the batch's rows record (a file with milestone columns).
    pub milestones: Vec<StagedMilestone>,
    /// How far the import has gone, this batch included.
    pub progress: Progress,
    /// Whether a row of the batch takes a link: a new pledge superseding one, or a change of
    /// what a pledge supersedes (`BulkLoad::before_linking`).
    pub takes_links: bool,
}

/// The pledges stored under a batch's keys (as read, parsed when the batch is planned) and,
/// for a file with milestone columns, their live milestones.
#[derive(Default)]
pub(super) struct Stored {
    pledges: StoredPledges,
    milestones: HashMap<i64, Vec<Milestone>>,
}

impl Planner<'_> {
    /// The stored pledges under the pending rows' keys (none when the import began on an
    /// empty table). The keys of a file are unique, so no other batch writes under them: they
    /// may be read before the batches ahead are written.
    pub(super) async fn stored(&self, pending: &[KeyedRow]) -> Result<Stored, StoreError> {
        if self.fresh || pending.is_empty() {
            return Ok(Stored::default());
        }
        let keys: Vec<_> = pending.iter().map(|r| (&r.state, &r.reference)).collect();
        let mut pledges = self.txn.stored_by_key(&keys).await?;
        let milestones = if self.header.has_milestones() {
            let read = pledges.into_pledges().await?;
            let recorded = recorded_of(self.txn, read.iter().map(|p| p.id).collect()).await?;
            pledges = StoredPledges::Read(read);
            recorded
        } else {
            HashMap::new()
        };
        Ok(Stored {
            pledges,
            milestones,
        })
    }

    /// Plans every pending row against `stored` (see [`Self::stored`]); `None` once the import
    /// cannot write (a dry run, or a bad row anywhere so far). `rows_read` is how many rows of
    /// the file were read up to the batch's last, for its progress. It runs beside the writing of
    /// the batch ahead, on the same task, so it lets that go on every [`ROWS_BETWEEN_YIELDS`]
    /// rows: each of the write's statements is sent as soon as the one before has ended.
    pub(super) async fn plan(
        &self,
        pending: &mut Vec<KeyedRow>,
        stored: Stored,
        rows_read: u64,
        report: &mut ImportReport,
        speculation: &Speculation,
    ) -> Result<Option<Planned>, StoreError> {
        let Stored {
            pledges: stored,
            milestones: recorded,
        } = stored;
        let stored = stored.into_pledges().await?;
        let existing: HashMap<(&str, &str), &Pledge> = stored
            .iter()
            .map(|p| ((p.member_state.as_str(), p.pledge_ref.as_str()), p))
            .collect();
        speculation.observe(existing.len(), pending.len());
        let today = self.at.date_naive();
        // A milestone is in the future only when that day has begun nowhere yet.
        let milestone_today = latest_today(self.at);
        let mut creates = NewPledges::with_capacity(pending.len());
        let mut updates = UpdatedPledges::with_capacity(existing.len());
        let mut spent = Vec::with_capacity(pending.len());
        let mut milestones = Vec::new();
        let mut takes_links = false;
        for (i, mut row) in pending.drain(..).enumerate() {
            if i % ROWS_BETWEEN_YIELDS == ROWS_BETWEEN_YIELDS - 1 {
                tokio::task::yield_now().await;
            }
            let current = existing
                .get(&(row.state.as_str(), row.reference.as_str()))
                .copied();
            let plan = match current {
                Some(current) => plan_row(
                    self.header,
                    &row.record,
                    Some(current),
                    self.catalog,
                    self.actor,
                ),
                None => row.as_new.take().unwrap_or_else(|| {
                    plan_row(self.header, &row.record, None, self.catalog, self.actor)
                }),
            };
            let before = milestones.len();
            let plan = match plan {
                Ok(plan) if self.header.has_milestones() => {
                    let recorded = current
                        .and_then(|c| recorded.get(&c.id))
                        .map_or(&[][..], Vec::as_slice);
                    plan_row_milestones(
                        self.header,
                        &row.record,
                        plan,
                        current,
                        recorded,
                        milestone_today,
                    )
                    .map(|(plan, found)| {
                        let version = match &plan {
                            RowPlan::Update { current, .. } => current.version.saturating_add(1),
                            _ => 1,
                        };
                        milestones.extend(found.into_iter().map(|m| StagedMilestone {
                            state: row.state.clone(),
                            reference: row.reference.clone(),
                            version,
                            row: m,
                        }));
                        plan
                    })
                }
                plan => plan,
            };
            if let Ok(planned) = &plan {
                report.note_planned(row.line, planned);
                let found = milestones.get(before..).unwrap_or_default();
                report.note_milestones(row.line, found.iter().map(|m| m.row.milestone.kind));
            }
            match plan {
                Ok(RowPlan::Create(p)) => {
                    if self.header.has("supersedes") {
                        self.links.note(row.line, &p);
                    }
                    takes_links |= p.supersedes.is_some();
                    creates.push(&p, self.catalog, today)?;
                    row.as_new = Some(Ok(RowPlan::Create(p)));
                }
                Ok(RowPlan::Update { current, next }) => {
                    if self.header.has("supersedes") {
                        self.links.note(row.line, &next);
                    }
                    takes_links |=
                        next.supersedes.is_some() && next.supersedes != current.supersedes;
                    updates.push(&current, &next, self.catalog, &self.actor.name, self.at)?;
                }
                Ok(RowPlan::Unchanged) => report.unchanged += 1,
                Err(errors) => {
                    report.add_errors(errors.into_iter().map(|e| LineError::at(row.line, e)))
                }
            }
            spent.push(row);
        }
        speculation.give_back(spent);
        report.created += creates.len() as u64;
        report.updated += updates.len() as u64;
        if self.dry_run || report.has_errors() {
            return Ok(None);
        }
        Ok(Some(Planned {
            creates,
            updates,
            milestones,
            progress: Progress {
                rows: rows_read,
                created: report.created,
                changed: report.updated,
            },
            takes_links,
        }))
    }
}
