//! Milestones in the pledge file: one optional date column per kind (`nv_received_on`, …,
//! `deployed_on`), so that the secretariat's follow-up sheet imports as readily as the
//! meeting's, and the export writes what is recorded.
//!
//! What a row's milestone cells do:
//! - a date for a kind the pledge has not recorded records that milestone (with the import's
//!   other changes, in one transaction), checked by the rules of `milestone_rules`: none in
//!   the future, none on a withdrawn pledge, dates never running backwards through the
//!   sequence, a selection naming the row's mission;
//! - the same date as the recorded one changes nothing;
//! - another date than the recorded one is an error: an admin deletes the recorded milestone
//!   on the pledge's page to record it again;
//! - an empty cell records nothing and deletes nothing;
//! - the row's readiness and status are raised to what its dates imply (AAV → L2, SUR → L3,
//!   RDL, deployed), recorded or not. Raising them from the cells rather than only from the
//!   milestones recorded now is what keeps a re-import of the same sheet a no-op: the sheet
//!   still says L1 beside its AAV date, and without the raise every re-import would lower the
//!   pledge the first import raised.

use chrono::{DateTime, NaiveDate, Utc};

use crate::message::Message;
use crate::milestone::{Milestone, MilestoneKind, NewMilestone};
use crate::milestone_rules::{order_error, raised_text, reason_text};
use crate::pledge_csv::PledgeHeader;
use crate::pledge_draft::parse_iso_date;
use crate::{FieldError, NewPledge, PledgeStatus, Readiness, message};

/// The milestone columns, in [`MilestoneKind`]'s order (the last eight of
/// [`crate::pledge_csv::COLUMNS`]).
pub const MILESTONE_COLUMNS: [&str; 8] = [
    "nv_received_on",
    "acknowledged_on",
    "accepted_on",
    "aav_completed_on",
    "sur_aligned_on",
    "rdl_confirmed_on",
    "selected_on",
    "deployed_on",
];

/// The column of a kind's date.
pub fn column_of(kind: MilestoneKind) -> &'static str {
    MILESTONE_COLUMNS[kind.step()]
}

/// The date each kind of milestone was reached, where it was: a pledge's live milestones, or
/// a row's cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MilestoneDates([Option<NaiveDate>; MILESTONE_COLUMNS.len()]);

impl MilestoneDates {
    /// The dates of `milestones` (live ones: one per kind).
    pub fn of<'a>(milestones: impl IntoIterator<Item = &'a Milestone>) -> Self {
        let mut dates = Self::default();
        for m in milestones {
            dates.set(m.kind, m.date);
        }
        dates
    }

    /// The date `kind` was reached, if it was.
    pub fn get(&self, kind: MilestoneKind) -> Option<NaiveDate> {
        self.0.get(kind.step()).copied().flatten()
    }

    /// Records that `kind` was reached on `date`.
    pub fn set(&mut self, kind: MilestoneKind, date: NaiveDate) {
        if let Some(slot) = self.0.get_mut(kind.step()) {
            *slot = Some(date);
        }
    }

    /// The kinds with a date, in sequence.
    pub fn iter(&self) -> impl Iterator<Item = (MilestoneKind, NaiveDate)> + '_ {
        MilestoneKind::ALL
            .iter()
            .filter_map(|k| self.get(*k).map(|d| (*k, d)))
    }

    /// The dates as the export's cells, in [`MILESTONE_COLUMNS`] order.
    pub fn cells(&self) -> [String; MILESTONE_COLUMNS.len()] {
        self.0.map(|d| d.map(|d| d.to_string()).unwrap_or_default())
    }

    /// Raises `pledge` to what these dates imply: the highest readiness any of them gives,
    /// and `deployed` once deployed (a withdrawn pledge stays withdrawn). Never lowers.
    /// Returns whether the status was raised.
    pub fn raise(&self, pledge: &mut NewPledge) -> bool {
        if let Some(level) = self.iter().filter_map(|(k, _)| k.implied_readiness()).max()
            && pledge.readiness < level
        {
            pledge.readiness = level;
        }
        let deployed = self.iter().any(|(k, _)| k.implied_status().is_some());
        let raises_status = deployed
            && !matches!(
                pledge.status,
                PledgeStatus::Deployed | PledgeStatus::Withdrawn
            );
        if raises_status {
            pledge.status = PledgeStatus::Deployed;
        }
        raises_status
    }
}

impl PledgeHeader {
    /// Whether the file has any milestone column.
    pub fn has_milestones(&self) -> bool {
        MILESTONE_COLUMNS.iter().any(|c| self.has(c))
    }

    /// The row's milestone dates, and the cells that are not dates (each named by its
    /// column, so that the import's answer gives the line and the column).
    pub fn milestone_cells(&self, record: &csv::StringRecord) -> (MilestoneDates, Vec<FieldError>) {
        let mut dates = MilestoneDates::default();
        let mut errors = Vec::new();
        if !self.has_milestones() {
            return (dates, errors);
        }
        for kind in MilestoneKind::ALL {
            let column = column_of(*kind);
            let Some(text) = self.get(record, column) else {
                continue;
            };
            match parse_iso_date(text) {
                Ok(date) => dates.set(*kind, date),
                Err(e) => errors.push(FieldError::new(
                    column,
                    text,
                    message!(
                        "err-milestone-cell-not-date",
                        "{label}: {error}",
                        label = kind.label(),
                        error = &e
                    )
                    .quoting("label", kind.label_message())
                    .quoting("error", e.message()),
                )),
            }
        }
        (dates, errors)
    }
}

/// A milestone a row records, with the reason its pledge's history gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowMilestone {
    pub milestone: NewMilestone,
    pub reason: String,
}

/// The milestones a row records on its pledge: its dated cells that `recorded` (the pledge's
/// live milestones; none for a new pledge) does not hold yet. `next` is the pledge as the row
/// leaves it (raised by [`MilestoneDates::raise`]) and `before` its readiness and status as
/// the row gave them before that raise, from which each milestone's reason counts its raise.
/// Every broken rule is reported, each on its column.
pub fn row_milestones(
    cells: &MilestoneDates,
    next: &NewPledge,
    before: (Readiness, PledgeStatus),
    recorded: &[Milestone],
    today: NaiveDate,
) -> Result<Vec<RowMilestone>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut known: Vec<Milestone> = recorded.to_vec();
    let mut found = Vec::new();
    let (mut readiness, status_before) = before;
    for (kind, date) in cells.iter() {
        let column = column_of(kind);
        let text = date.to_string();
        if let Some(same) = recorded.iter().find(|m| m.kind == kind) {
            if same.date != date {
                errors.push(FieldError::new(
                    column,
                    &text,
                    message!(
                        "err-milestone-cell-other-date",
                        "this pledge has '{label}' on {on}, not {date}; an admin may delete that \
                         milestone on the pledge's page to record it again",
                        label = kind.label(),
                        on = same.date,
                        date = &text
                    )
                    .quoting("label", kind.label_message()),
                ));
            }
            continue;
        }
        let mut rules: Vec<Message> = Vec::new();
        if next.status == PledgeStatus::Withdrawn {
            rules.push(message!(
                "err-milestone-withdrawn",
                "this pledge is withdrawn and takes no milestones; an admin may reinstate it first"
            ));
        }
        if date > today {
            rules.push(message!(
                "err-milestone-future",
                "{date} is in the future: it is not yet that day anywhere; a milestone records \
                 what has happened",
                date = &text
            ));
        }
        let mission = next.mission.clone();
        if kind.names_mission() && mission.is_none() {
            rules.push(message!(
                "err-milestone-cell-no-mission",
                "a selection names the mission it is for: give the row's mission"
            ));
        }
        let new = NewMilestone {
            kind,
            date,
            mission: mission.filter(|_| kind.names_mission()),
            note: None,
            source_ref: None,
        };
        if let Some(e) = order_error(&known, &new) {
            rules.push(e.words);
        }
        if rules.is_empty() {
            let reason = reason(&new, &mut readiness, status_before, next);
            known.push(as_recorded(&new));
            found.push(RowMilestone {
                milestone: new,
                reason,
            });
        } else {
            errors.extend(rules.into_iter().map(|m| FieldError::new(column, &text, m)));
        }
    }
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// The milestone's reason, counting its raise from `readiness` (the level before this
/// milestone) and moving it on.
fn reason(
    new: &NewMilestone,
    readiness: &mut Readiness,
    status_before: PledgeStatus,
    next: &NewPledge,
) -> String {
    let mut raised = Vec::new();
    if let Some(level) = new.kind.implied_readiness()
        && *readiness < level
    {
        raised.push(raised_text("readiness", *readiness, level));
        *readiness = level;
    }
    if let Some(status) = new.kind.implied_status()
        && next.status == status
        && status_before != status
    {
        raised.push(raised_text("status", status_before, status));
    }
    reason_text(new, &raised)
}

/// A milestone about to be recorded, as the order rule compares it with the others.
fn as_recorded(new: &NewMilestone) -> Milestone {
    Milestone {
        id: 0,
        pledge_id: 0,
        kind: new.kind,
        date: new.date,
        mission: new.mission.clone(),
        note: None,
        source_ref: None,
        recorded_by: String::new(),
        recorded_at: DateTime::<Utc>::UNIX_EPOCH,
        pledge_version: 0,
        reason: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};

    use super::*;
    use crate::import::{RowPlan, plan_row, plan_row_milestones};
    use crate::pledge_csv::COLUMNS;
    use crate::{Actor, Catalog, Category, Pledge, Role};

    const TODAY: &str = "2026-12-06";

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn catalog() -> Catalog {
        let read = |text| crate::reference_csv::parse_capabilities(text).unwrap();
        Catalog::new(
            crate::MemberStates::load(),
            read(include_str!("../../../fixtures/capabilities.csv")),
            crate::reference_csv::parse_missions(include_str!("../../../fixtures/missions.csv"))
                .unwrap(),
            vec![],
            vec![],
        )
    }

    fn admin() -> Actor {
        Actor {
            token_id: 1,
            name: "secretariat".into(),
            role: Role::Admin,
            member_state: None,
        }
    }

    /// A file of `columns` and one row of `cells`.
    fn row(columns: &[&str], cells: &[&str]) -> (PledgeHeader, csv::StringRecord) {
        let header = PledgeHeader::parse(columns.iter().copied()).unwrap();
        (header, csv::StringRecord::from(cells.to_vec()))
    }

    /// The pledge `plan` creates, as stored.
    fn stored(plan: &RowPlan) -> Pledge {
        let RowPlan::Create(new) = plan else {
            panic!("expected a creation, got {plan:?}")
        };
        let at = DateTime::<Utc>::UNIX_EPOCH;
        let blank = Pledge {
            id: 1,
            pledge_ref: new.pledge_ref.clone(),
            member_state: new.member_state.clone(),
            capability: new.capability.clone(),
            category: Category::Unit,
            quantity: new.quantity,
            personnel: new.personnel,
            readiness: Readiness::L1,
            available_from: None,
            duration_months: None,
            mission: None,
            conference: None,
            status: PledgeStatus::Pledged,
            caveats: None,
            monthly_cost_usd: None,
            partners: Vec::new(),
            equipment: Vec::new(),
            notes: None,
            registered_on: day("2025-04-16"),
            renewed_on: None,
            supersedes: None,
            version: 0,
            created_at: at,
            updated_at: at,
            updated_by: "test".into(),
        };
        blank.next_version(new, Category::Unit, "test", at)
    }

    /// An acceptance recorded on `date`.
    fn accepted_on(date: &str) -> Milestone {
        as_recorded(&NewMilestone {
            kind: MilestoneKind::Accepted,
            date: day(date),
            mission: None,
            note: None,
            source_ref: None,
        })
    }

    fn recorded(pledge: &Pledge, found: &[RowMilestone]) -> Vec<Milestone> {
        found
            .iter()
            .map(|m| Milestone {
                pledge_id: pledge.id,
                ..as_recorded(&m.milestone)
            })
            .collect()
    }

    const HEADER: [&str; 8] = [
        "pledge_ref",
        "member_state",
        "capability",
        "quantity",
        "readiness",
        "mission",
        "accepted_on",
        "aav_completed_on",
    ];

    #[test]
    fn the_milestone_columns_are_the_kinds_in_sequence_and_end_the_pledge_file() {
        for kind in MilestoneKind::ALL {
            assert_eq!(column_of(*kind), format!("{}_on", kind.as_str()));
        }
        assert_eq!(COLUMNS[COLUMNS.len() - 8..], MILESTONE_COLUMNS);
    }

    #[test]
    fn a_bad_date_is_named_by_its_column() {
        let (header, record) = row(
            &HEADER,
            &["R-1", "PAK", "INF-BN", "1", "L1", "", "2025-13-01", ""],
        );
        let errors = plan_row(&header, &record, None, &catalog(), &admin()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "accepted_on");
        assert_eq!(errors[0].value, "2025-13-01");
        assert!(
            errors[0]
                .message
                .starts_with("Accepted by the UN: '2025-13-01' is not a date"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_sheet_imported_twice_records_its_milestones_once_and_then_changes_nothing() {
        let (header, record) = row(
            &HEADER,
            &[
                "R-1",
                "PAK",
                "INF-BN",
                "1",
                "L1",
                "",
                "2025-05-01",
                "2025-06-01",
            ],
        );
        let plan = plan_row(&header, &record, None, &catalog(), &admin()).unwrap();
        let (plan, found) =
            plan_row_milestones(&header, &record, plan, None, &[], day(TODAY)).unwrap();
        let pledge = stored(&plan);
        assert_eq!(pledge.readiness, Readiness::L2, "raised by the AAV");
        let kinds: Vec<_> = found.iter().map(|m| m.milestone.kind).collect();
        assert_eq!(
            kinds,
            [MilestoneKind::Accepted, MilestoneKind::AavCompleted]
        );
        assert_eq!(
            found[1].reason,
            "Assessment and Advisory Visit completed on 2025-06-01"
        );

        let again = plan_row(&header, &record, Some(&pledge), &catalog(), &admin()).unwrap();
        assert_eq!(again, RowPlan::Unchanged, "the sheet's L1 is raised again");
        let (again, more) = plan_row_milestones(
            &header,
            &record,
            again,
            Some(&pledge),
            &recorded(&pledge, &found),
            day(TODAY),
        )
        .unwrap();
        assert_eq!((again, more), (RowPlan::Unchanged, Vec::new()));
    }

    #[test]
    fn a_new_date_on_a_stored_pledge_is_a_change_that_says_what_it_raised() {
        let (header, record) = row(
            &HEADER,
            &["R-1", "PAK", "INF-BN", "1", "L1", "", "2025-05-01", ""],
        );
        let plan = plan_row(&header, &record, None, &catalog(), &admin()).unwrap();
        let pledge = stored(&plan);
        let (_, aav) = row(
            &HEADER,
            &[
                "R-1",
                "PAK",
                "INF-BN",
                "1",
                "L1",
                "",
                "2025-05-01",
                "2025-06-01",
            ],
        );
        let plan = plan_row(&header, &aav, Some(&pledge), &catalog(), &admin()).unwrap();
        let accepted = [Milestone {
            pledge_id: 1,
            ..accepted_on("2025-05-01")
        }];
        let (plan, found) =
            plan_row_milestones(&header, &aav, plan, Some(&pledge), &accepted, day(TODAY)).unwrap();
        let RowPlan::Update { next, .. } = plan else {
            panic!("a raise is a change: {plan:?}")
        };
        assert_eq!(next.readiness, Readiness::L2);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].reason,
            "Assessment and Advisory Visit completed on 2025-06-01: readiness raised from L1 to L2"
        );
    }

    #[test]
    fn a_date_that_is_not_the_recorded_one_is_refused() {
        let (header, record) = row(
            &HEADER,
            &["R-1", "PAK", "INF-BN", "1", "L1", "", "2025-05-03", ""],
        );
        let plan = plan_row(&header, &record, None, &catalog(), &admin()).unwrap();
        let pledge = stored(&plan);
        let accepted = [accepted_on("2025-05-01")];
        let plan = plan_row(&header, &record, Some(&pledge), &catalog(), &admin()).unwrap();
        let errors =
            plan_row_milestones(&header, &record, plan, Some(&pledge), &accepted, day(TODAY))
                .unwrap_err();
        assert_eq!(errors[0].field, "accepted_on");
        assert!(
            errors[0]
                .message
                .starts_with("this pledge has 'Accepted by the UN' on 2025-05-01, not 2025-05-03"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn future_dates_backward_dates_and_a_selection_without_a_mission_are_refused() {
        let header = [
            "pledge_ref",
            "member_state",
            "capability",
            "quantity",
            "accepted_on",
            "aav_completed_on",
            "selected_on",
        ];
        let (header, record) = row(
            &header,
            &[
                "R-1",
                "PAK",
                "INF-BN",
                "1",
                "2025-07-01",
                "2025-06-01",
                "2027-01-01",
            ],
        );
        let plan = plan_row(&header, &record, None, &catalog(), &admin()).unwrap();
        let errors =
            plan_row_milestones(&header, &record, plan, None, &[], day(TODAY)).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].0, "aav_completed_on");
        assert!(found[0].1.contains("an earlier step, is dated 2025-07-01"));
        assert_eq!(found[1].0, "selected_on");
        assert!(found[1].1.contains("is in the future"));
        assert_eq!(found[2].0, "selected_on");
        assert!(found[2].1.contains("give the row's mission"));
    }

    #[test]
    fn a_deployment_raises_the_status_past_the_workflow_but_not_a_withdrawal() {
        let mut header = HEADER.to_vec();
        header.extend(["status", "deployed_on"]);
        let (header, record) = row(
            &header,
            &[
                "R-1",
                "PAK",
                "INF-BN",
                "1",
                "L1",
                "",
                "",
                "",
                "pledged",
                "2025-09-01",
            ],
        );
        let plan = plan_row(&header, &record, None, &catalog(), &admin()).unwrap();
        let RowPlan::Create(new) = &plan else {
            panic!("{plan:?}")
        };
        assert_eq!(new.status, PledgeStatus::Deployed);
        let pledge = stored(&plan);
        assert_eq!(
            plan_row(&header, &record, Some(&pledge), &catalog(), &admin()).unwrap(),
            RowPlan::Unchanged,
            "the sheet's 'pledged' does not lower a deployed pledge it deployed"
        );

        let mut withdrawn = new.clone();
        withdrawn.status = PledgeStatus::Withdrawn;
        let mut dates = MilestoneDates::default();
        dates.set(MilestoneKind::Deployed, day("2025-09-01"));
        assert!(!dates.raise(&mut withdrawn));
        assert_eq!(withdrawn.status, PledgeStatus::Withdrawn);
        let errors = row_milestones(
            &dates,
            &withdrawn,
            (Readiness::L1, PledgeStatus::Withdrawn),
            &[],
            day(TODAY),
        )
        .unwrap_err();
        assert!(errors[0].message.contains("withdrawn"), "{errors:?}");
    }

    #[test]
    fn a_selection_names_the_rows_mission() {
        let header = [
            "pledge_ref",
            "member_state",
            "capability",
            "quantity",
            "mission",
            "selected_on",
        ];
        let (header, record) = row(
            &header,
            &["R-1", "PAK", "INF-BN", "1", "MINUSCA", "2025-10-01"],
        );
        let plan = plan_row(&header, &record, None, &catalog(), &admin()).unwrap();
        let (_, found) =
            plan_row_milestones(&header, &record, plan, None, &[], day(TODAY)).unwrap();
        assert_eq!(
            found[0].milestone.mission.as_ref().map(|m| m.as_str()),
            Some("MINUSCA")
        );
        assert_eq!(
            found[0].reason,
            "Selected for a mission on 2025-10-01 (MINUSCA)"
        );
    }
}
