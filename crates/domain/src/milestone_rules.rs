//! Whether a milestone fits a pledge, and what recording it does to the pledge.
//!
//! The rules, each refused with its own error in a planner's words:
//! - a withdrawn pledge takes no milestone (an admin reinstates it first);
//! - no milestone is dated in the future;
//! - one milestone per kind: a second of the same kind is refused (an admin deletes the
//!   first to record it again), so a timeline never holds two acceptances;
//! - dates never run backwards through the sequence: a milestone is dated on or after every
//!   recorded milestone of an earlier kind, and on or before every one of a later kind (a
//!   step found late, say the note verbale's date, may still be filled in);
//! - the raise: a milestone that implies a readiness level (AAV → L2, SUR → L3, RDL) or a
//!   status (deployed) raises the pledge to it in the same change when the pledge is lower,
//!   and never lowers it. The reason says so, in the pledge's history.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use crate::message;
use crate::message::Message;

use crate::milestone::{Milestone, MilestoneDraft, MilestoneKind, NewMilestone};
use crate::pledge_draft::parse_iso_date;
use crate::{Catalog, FieldError, NewPledge, Pledge, PledgeStatus};

/// What recording a milestone does: the pledge's next values, and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestonePlan {
    /// The pledge after the recording (raised, or as it was).
    pub next: NewPledge,
    /// "Assessment and Advisory Visit completed on 2025-06-01: readiness raised from L1 to
    /// L2", or the milestone alone when nothing was raised.
    pub reason: String,
}

/// Checks `new` against the pledge and its `recorded` milestones on `today` (the latest date
/// begun anywhere: [`latest_today`]), and plans the
/// pledge's next values; every broken rule is reported.
pub fn plan_milestone(
    pledge: &Pledge,
    recorded: &[Milestone],
    new: &NewMilestone,
    today: NaiveDate,
) -> Result<MilestonePlan, Vec<FieldError>> {
    let mut errors = Vec::new();
    let date = new.date.to_string();
    if pledge.status == PledgeStatus::Withdrawn {
        errors.push(FieldError::new(
            "status",
            "withdrawn",
            message!(
                "err-milestone-withdrawn",
                "this pledge is withdrawn and takes no milestones; an admin may reinstate it first"
            ),
        ));
    }
    if new.date > today {
        errors.push(FieldError::new(
            "date",
            &date,
            message!(
                "err-milestone-future",
                "{date} is in the future: it is not yet that day anywhere; a milestone records \
                 what has happened",
                date = &date
            ),
        ));
    }
    if let Some(same) = recorded.iter().find(|m| m.kind == new.kind) {
        errors.push(FieldError::new(
            "kind",
            new.kind.as_str(),
            message!(
                "err-milestone-twice",
                "this pledge already has '{label}' on {date}; an admin may delete that milestone \
                 to record it again",
                label = new.kind.label(),
                date = same.date
            )
            .quoting("label", new.kind.label_message()),
        ));
    }
    errors.extend(order_error(recorded, new));
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(raise(pledge, new))
}

/// Reads `draft` and plans it ([`MilestoneDraft::validate`], then [`plan_milestone`]),
/// reporting every mistake at once: when a field cannot be read but the kind and date can
/// (an unknown mission, say), the rules on kind and date are still checked and reported.
pub fn check_milestone(
    pledge: &Pledge,
    recorded: &[Milestone],
    draft: &MilestoneDraft,
    catalog: &Catalog,
    today: NaiveDate,
) -> Result<(NewMilestone, MilestonePlan), Vec<FieldError>> {
    let mut errors = match draft.validate(catalog) {
        Ok(new) => return plan_milestone(pledge, recorded, &new, today).map(|plan| (new, plan)),
        Err(errors) => errors,
    };
    let kind = draft.kind.trim().parse::<MilestoneKind>().ok();
    let date = parse_iso_date(&draft.date).ok();
    if let (Some(kind), Some(date)) = (kind, date) {
        let readable = NewMilestone {
            kind,
            date,
            mission: None,
            note: None,
            source_ref: None,
        };
        if let Err(more) = plan_milestone(pledge, recorded, &readable, today) {
            errors.extend(more);
        }
    }
    Err(errors)
}

/// The error when `new`'s date runs backwards against a recorded milestone: the latest
/// earlier step dated after it, else the earliest later step dated before it.
pub(crate) fn order_error(recorded: &[Milestone], new: &NewMilestone) -> Option<FieldError> {
    let date = new.date.to_string();
    let label = new.kind.label();
    let earlier = recorded
        .iter()
        .filter(|m| m.kind < new.kind && m.date > new.date)
        .max_by_key(|m| m.date);
    if let Some(m) = earlier {
        return Some(FieldError::new(
            "date",
            &date,
            message!(
                "err-milestone-before-earlier",
                "'{label}' cannot be dated {date}: '{other}', an earlier step, is dated {on}; \
                 date it on or after {on}",
                label = label,
                date = &date,
                other = m.kind.label(),
                on = m.date
            )
            .quoting("label", new.kind.label_message())
            .quoting("other", m.kind.label_message()),
        ));
    }
    let later = recorded
        .iter()
        .filter(|m| m.kind > new.kind && m.date < new.date)
        .min_by_key(|m| m.date);
    later.map(|m| {
        FieldError::new(
            "date",
            &date,
            message!(
                "err-milestone-after-later",
                "'{label}' cannot be dated {date}: '{other}', a later step, is dated {on}; date \
                 it on or before {on}",
                label = label,
                date = &date,
                other = m.kind.label(),
                on = m.date
            )
            .quoting("label", new.kind.label_message())
            .quoting("other", m.kind.label_message()),
        )
    })
}

/// The pledge raised to what the milestone implies, where it is lower.
fn raise(pledge: &Pledge, new: &NewMilestone) -> MilestonePlan {
    let mut next = pledge.to_new();
    let mut raised = Vec::new();
    if let Some(level) = new.kind.implied_readiness()
        && pledge.readiness < level
    {
        next.readiness = level;
        raised.push(raised_text("readiness", pledge.readiness, level));
    }
    if let Some(status) = new.kind.implied_status()
        && pledge.status != status
    {
        next.status = status;
        raised.push(raised_text("status", pledge.status, status));
    }
    MilestonePlan {
        next,
        reason: reason_text(new, &raised),
    }
}

/// One raise as a reason says it: "readiness raised from L1 to L2".
pub(crate) fn raised_text(what: &str, from: impl fmt::Display, to: impl fmt::Display) -> String {
    format!("{what} raised from {from} to {to}")
}

/// The reason recorded with a milestone: "Assessment and Advisory Visit completed on
/// 2025-06-01 (MINUSCA): readiness raised from L1 to L2" — the one way it is written, which
/// [`reason_messages`] reads back.
pub(crate) fn reason_text(new: &NewMilestone, raised: &[String]) -> String {
    let mut reason = format!("{} on {}", new.kind.label(), new.date);
    if let Some(mission) = &new.mission {
        reason.push_str(&format!(" ({mission})"));
    }
    if !raised.is_empty() {
        reason.push_str(": ");
        reason.push_str(&raised.join(", "));
    }
    reason
}

/// A recorded reason that [`raise`] wrote, read back as messages so a page can say it in its
/// language: "Accepted by the UN on 2023-12-25 (MINUSCA)" and each "… raised from … to …".
/// `None` for any other reason (typed by a person), which is shown as it is.
pub fn reason_messages(reason: &str) -> Option<(Message, Vec<Message>)> {
    let (head, raised) = reason.split_once(": ").unwrap_or((reason, ""));
    let kind = MilestoneKind::ALL
        .iter()
        .copied()
        .find(|k| head.starts_with(&format!("{} on ", k.label())))?;
    let rest = &head[kind.label().len() + " on ".len()..];
    let head = match rest.split_once(" (") {
        None => message!(
            "reason-milestone",
            "{label} on {date}",
            label = kind.label(),
            date = rest
        ),
        Some((date, mission)) => message!(
            "reason-milestone-mission",
            "{label} on {date} ({mission})",
            label = kind.label(),
            date = date,
            mission = mission.strip_suffix(')')?
        ),
    }
    .quoting("label", kind.label_message());
    let mut raises = Vec::new();
    for part in raised.split(", ").filter(|p| !p.is_empty()) {
        let (what, levels) = part.split_once(" raised from ")?;
        let (from, to) = levels.split_once(" to ")?;
        raises.push(match what {
            "readiness" => message!(
                "reason-readiness-raised",
                "readiness raised from {from} to {to}",
                from = from,
                to = to
            ),
            "status" => message!(
                "reason-status-raised",
                "status raised from {from} to {to}",
                from = from,
                to = to
            ),
            _ => return None,
        });
    }
    Some((head, raises))
}

/// How far ahead of UTC the world's earliest time zone runs (UTC+14, Kiribati).
const EARLIEST_ZONE_HOURS: i64 = 14;

/// The latest date that is already today somewhere on earth at `now`: a milestone dated on or
/// before it is not in the future, whichever time zone the planner typing it is in.
pub fn latest_today(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(EARLIEST_ZONE_HOURS)).date_naive()
}

/// The milestones in timeline order: by date, then by their place in the sequence.
pub fn in_timeline_order(milestones: &mut [Milestone]) {
    milestones.sort_by_key(|m| (m.date, m.kind, m.id));
}

/// The next kind a planner would record: the first after the last recorded step, or the
/// first step when none is recorded (`None` once a pledge is deployed).
pub fn next_kind(recorded: &[Milestone]) -> Option<MilestoneKind> {
    match recorded.iter().map(|m| m.kind).max() {
        None => MilestoneKind::ALL.first().copied(),
        Some(last) => MilestoneKind::ALL.get(last.step() + 1).copied(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::{
        CapabilityCode, Category, MemberStateCode, MissionAcronym, Personnel, PledgeRef, Quantity,
        Readiness,
    };

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const TODAY: &str = "2026-12-06";

    fn pledge(readiness: Readiness, status: PledgeStatus) -> Pledge {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        Pledge {
            id: 7,
            pledge_ref: PledgeRef::parse("PAK-2025-001").unwrap(),
            member_state: MemberStateCode::parse("PAK").unwrap(),
            capability: CapabilityCode::parse("INF-BN").unwrap(),
            category: Category::Unit,
            quantity: Quantity::new(1).unwrap(),
            personnel: Personnel::new(850, 40).unwrap(),
            readiness,
            available_from: None,
            duration_months: None,
            mission: None,
            conference: None,
            status,
            caveats: None,
            monthly_cost_usd: None,
            partners: Vec::new(),
            equipment: Vec::new(),
            notes: None,
            registered_on: day("2025-05-14"),
            renewed_on: None,
            supersedes: None,
            version: 1,
            created_at: at,
            updated_at: at,
            updated_by: "planner".into(),
        }
    }

    fn new(kind: MilestoneKind, date: NaiveDate) -> NewMilestone {
        NewMilestone {
            kind,
            date,
            mission: kind
                .names_mission()
                .then(|| MissionAcronym::parse("MINUSCA").unwrap()),
            note: None,
            source_ref: None,
        }
    }

    fn recorded(kind: MilestoneKind, date: NaiveDate) -> Milestone {
        Milestone {
            id: kind.step() as i64 + 1,
            pledge_id: 7,
            kind,
            date,
            mission: None,
            note: None,
            source_ref: None,
            recorded_by: "planner".into(),
            recorded_at: DateTime::<Utc>::UNIX_EPOCH,
            pledge_version: 2,
            reason: String::new(),
        }
    }

    fn plan(p: &Pledge, done: &[Milestone], m: &NewMilestone) -> Result<MilestonePlan, String> {
        plan_milestone(p, done, m, day(TODAY)).map_err(|e| {
            e.iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join(" | ")
        })
    }

    use MilestoneKind::*;

    #[test]
    fn a_later_step_dated_before_an_earlier_one_is_refused() {
        let p = pledge(Readiness::L1, PledgeStatus::Pledged);
        let done = [recorded(Accepted, day("2025-03-01"))];
        assert_eq!(
            plan(&p, &done, &new(AavCompleted, day("2025-02-01"))).unwrap_err(),
            "date: 'Assessment and Advisory Visit completed' cannot be dated 2025-02-01: \
             'Accepted by the UN', an earlier step, is dated 2025-03-01; date it on or after 2025-03-01"
        );
        assert!(plan(&p, &done, &new(AavCompleted, day("2025-03-01"))).is_ok());
    }

    #[test]
    fn an_earlier_step_filled_in_late_must_not_postdate_a_later_one() {
        let p = pledge(Readiness::L1, PledgeStatus::Pledged);
        let done = [recorded(Accepted, day("2025-03-01"))];
        assert_eq!(
            plan(&p, &done, &new(NvReceived, day("2025-04-01"))).unwrap_err(),
            "date: 'Note verbale received' cannot be dated 2025-04-01: 'Accepted by the UN', \
             a later step, is dated 2025-03-01; date it on or before 2025-03-01"
        );
        assert!(plan(&p, &done, &new(NvReceived, day("2025-01-20"))).is_ok());
    }

    #[test]
    fn a_date_in_the_future_is_refused() {
        let p = pledge(Readiness::L1, PledgeStatus::Pledged);
        assert_eq!(
            plan(&p, &[], &new(Accepted, day("2026-12-07"))).unwrap_err(),
            "date: 2026-12-07 is in the future: it is not yet that day anywhere; a milestone records what has happened"
        );
        assert!(plan(&p, &[], &new(Accepted, day(TODAY))).is_ok());
    }

    #[test]
    fn today_is_the_date_in_the_earliest_time_zone() {
        let eleven_utc: DateTime<Utc> = "2026-12-06T11:00:00Z".parse().unwrap();
        assert_eq!(latest_today(eleven_utc), day("2026-12-07"));
        let nine_utc: DateTime<Utc> = "2026-12-06T09:00:00Z".parse().unwrap();
        assert_eq!(latest_today(nine_utc), day("2026-12-06"));
    }

    #[test]
    fn an_unreadable_field_does_not_hide_what_the_rules_say_of_the_date() {
        let missions =
            crate::reference_csv::parse_missions(include_str!("../../../fixtures/missions.csv"))
                .unwrap();
        let catalog = Catalog::new(
            crate::MemberStates::load(),
            vec![],
            missions,
            vec![],
            vec![],
        );
        let p = pledge(Readiness::L1, PledgeStatus::Pledged);
        let done = [recorded(SurAligned, day("2024-07-01"))];
        let draft = MilestoneDraft {
            kind: "selected".into(),
            date: "2024-01-05".into(),
            mission: Some("MINUSKA".into()),
            ..MilestoneDraft::default()
        };
        let errors = check_milestone(&p, &done, &draft, &catalog, day(TODAY)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["mission", "date"]);
        let fine = MilestoneDraft {
            date: "2024-08-05".into(),
            mission: Some("MINUSCA".into()),
            ..draft
        };
        let (new, plan) = check_milestone(&p, &done, &fine, &catalog, day(TODAY)).unwrap();
        assert_eq!(new.kind, Selected);
        assert_eq!(plan.next, p.to_new());
    }

    #[test]
    fn a_second_milestone_of_a_kind_is_refused() {
        let p = pledge(Readiness::L1, PledgeStatus::Pledged);
        let done = [recorded(Accepted, day("2025-03-01"))];
        assert_eq!(
            plan(&p, &done, &new(Accepted, day("2025-03-02"))).unwrap_err(),
            "kind: this pledge already has 'Accepted by the UN' on 2025-03-01; \
             an admin may delete that milestone to record it again"
        );
    }

    #[test]
    fn a_withdrawn_pledge_takes_no_milestone() {
        let p = pledge(Readiness::L1, PledgeStatus::Withdrawn);
        assert!(
            plan(&p, &[], &new(Accepted, day("2025-03-01")))
                .unwrap_err()
                .starts_with("status: this pledge is withdrawn")
        );
    }

    #[test]
    fn an_aav_raises_l1_to_l2_and_says_why() {
        let p = pledge(Readiness::L1, PledgeStatus::Pledged);
        let planned = plan(&p, &[], &new(AavCompleted, day("2025-06-01"))).unwrap();
        assert_eq!(planned.next.readiness, Readiness::L2);
        assert_eq!(
            planned.reason,
            "Assessment and Advisory Visit completed on 2025-06-01: readiness raised from L1 to L2"
        );
        let mut stored = recorded(AavCompleted, day("2025-06-01"));
        stored.reason = planned.reason;
        assert_eq!(stored.raised(), Some("readiness raised from L1 to L2"));
        assert_eq!(recorded(Accepted, day("2025-06-01")).raised(), None);
    }

    #[test]
    fn sur_gives_l3_and_rdl_gives_rdl() {
        let p = pledge(Readiness::L2, PledgeStatus::Pledged);
        let sur = plan(&p, &[], &new(SurAligned, day("2025-06-01"))).unwrap();
        assert_eq!(sur.next.readiness, Readiness::L3);
        let rdl = plan(&p, &[], &new(RdlConfirmed, day("2025-06-01"))).unwrap();
        assert_eq!(rdl.next.readiness, Readiness::Rdl);
    }

    #[test]
    fn a_higher_pledge_is_not_lowered_and_nothing_is_said_of_a_raise() {
        let p = pledge(Readiness::L3, PledgeStatus::Verified);
        let planned = plan(&p, &[], &new(AavCompleted, day("2025-06-01"))).unwrap();
        assert_eq!(planned.next, p.to_new());
        assert_eq!(
            planned.reason,
            "Assessment and Advisory Visit completed on 2025-06-01"
        );
    }

    #[test]
    fn deployment_raises_the_status_and_a_selection_names_its_mission() {
        let p = pledge(Readiness::L2, PledgeStatus::Verified);
        let deployed = plan(&p, &[], &new(Deployed, day("2025-09-01"))).unwrap();
        assert_eq!(deployed.next.status, PledgeStatus::Deployed);
        assert_eq!(
            deployed.reason,
            "Deployed on 2025-09-01: status raised from verified to deployed"
        );
        let selected = plan(&p, &[], &new(Selected, day("2025-08-01"))).unwrap();
        assert_eq!(
            selected.reason,
            "Selected for a mission on 2025-08-01 (MINUSCA)"
        );
        assert_eq!(selected.next, p.to_new());
    }

    #[test]
    fn the_timeline_runs_by_date_then_by_step_and_offers_the_next_step() {
        let mut done = vec![
            recorded(AavCompleted, day("2025-05-01")),
            recorded(Accepted, day("2025-05-01")),
            recorded(NvReceived, day("2025-01-01")),
        ];
        in_timeline_order(&mut done);
        let kinds: Vec<MilestoneKind> = done.iter().map(|m| m.kind).collect();
        assert_eq!(kinds, [NvReceived, Accepted, AavCompleted]);
        assert_eq!(next_kind(&done), Some(SurAligned));
        assert_eq!(next_kind(&[]), Some(NvReceived));
        assert_eq!(next_kind(&[recorded(Deployed, day("2025-01-01"))]), None);
    }

    fn kind_strategy() -> impl Strategy<Value = MilestoneKind> {
        prop::sample::select(MilestoneKind::ALL.to_vec())
    }

    fn readiness_strategy() -> impl Strategy<Value = Readiness> {
        prop::sample::select(Readiness::ALL.to_vec())
    }

    proptest! {
        /// Dates that follow the sequence are accepted whatever order the steps are typed in.
        #[test]
        fn dates_in_sequence_are_accepted_in_any_order_of_recording(
            gaps in prop::collection::vec(0i64..90, 8),
            order in Just((0..8usize).collect::<Vec<_>>()).prop_shuffle(),
        ) {
            let mut date = day("2024-01-01");
            let dates: Vec<NaiveDate> = gaps.iter().map(|g| { date += chrono::Duration::days(*g); date }).collect();
            let p = pledge(Readiness::L1, PledgeStatus::Pledged);
            let mut done = Vec::new();
            for i in order {
                let kind = MilestoneKind::ALL[i];
                prop_assert!(plan(&p, &done, &new(kind, dates[i])).is_ok(), "{kind} on {}", dates[i]);
                done.push(recorded(kind, dates[i]));
            }
        }

        /// A later step dated before an earlier recorded one is always refused, and an earlier
        /// step dated after a later recorded one too.
        #[test]
        fn a_date_running_backwards_is_always_refused(
            a in kind_strategy(), b in kind_strategy(), first in 0i64..700, back in 1i64..300,
        ) {
            prop_assume!(a != b);
            let (early, late) = if a < b { (a, b) } else { (b, a) };
            let p = pledge(Readiness::L1, PledgeStatus::Pledged);
            let d = day("2024-01-01") + chrono::Duration::days(first);
            let before = d - chrono::Duration::days(back);
            let after = d + chrono::Duration::days(back);
            let refused = plan(&p, &[recorded(early, d)], &new(late, before)).unwrap_err();
            prop_assert!(refused.starts_with("date: "), "{}", refused);
            let refused = plan(&p, &[recorded(late, d)], &new(early, after)).unwrap_err();
            prop_assert!(refused.starts_with("date: "), "{}", refused);
        }

        /// A second milestone of a kind is refused whatever the dates.
        #[test]
        fn a_kind_recorded_is_always_refused_a_second_time(
            kind in kind_strategy(), first in 0i64..700, second in 0i64..700,
        ) {
            let p = pledge(Readiness::L1, PledgeStatus::Pledged);
            let start = day("2024-01-01");
            let done = [recorded(kind, start + chrono::Duration::days(first))];
            let refused = plan(&p, &done, &new(kind, start + chrono::Duration::days(second))).unwrap_err();
            prop_assert!(refused.starts_with("kind: this pledge already has"), "{}", refused);
        }

        /// Any day after today is refused.
        #[test]
        fn a_future_date_is_always_refused(kind in kind_strategy(), ahead in 1i64..5000) {
            let p = pledge(Readiness::L1, PledgeStatus::Pledged);
            let refused = plan(&p, &[], &new(kind, day(TODAY) + chrono::Duration::days(ahead))).unwrap_err();
            prop_assert!(refused.contains("is in the future"), "{}", refused);
        }

        /// The raise reaches what the milestone implies, never lowers, and changes nothing else.
        #[test]
        fn the_raise_reaches_the_implied_level_and_never_lowers(
            kind in kind_strategy(), level in readiness_strategy(),
            status in prop::sample::select(vec![PledgeStatus::Pledged, PledgeStatus::Verified, PledgeStatus::Deployed]),
        ) {
            let p = pledge(level, status);
            let planned = plan(&p, &[], &new(kind, day("2025-06-01"))).unwrap();
            prop_assert!(planned.next.readiness >= level);
            prop_assert_eq!(planned.next.readiness, kind.implied_readiness().map_or(level, |r| r.max(level)));
            prop_assert_eq!(planned.next.status, kind.implied_status().unwrap_or(status));
            let mut same = planned.next.clone();
            same.readiness = level;
            same.status = status;
            prop_assert_eq!(same, p.to_new());
            prop_assert_eq!(planned.reason.contains("raised"), planned.next != p.to_new());
        }
    }

    #[test]
    fn a_reason_written_by_a_milestone_reads_back_as_messages() {
        let written = "Selected for a mission on 2025-06-01 (MINUSCA): readiness raised from L1 \
                       to L2, status raised from pledged to verified";
        let (head, raised) = reason_messages(written).unwrap();
        assert_eq!(
            head.to_string(),
            "Selected for a mission on 2025-06-01 (MINUSCA)"
        );
        assert_eq!(head.key(), Some("reason-milestone-mission"));
        let raised: Vec<String> = raised.iter().map(ToString::to_string).collect();
        assert_eq!(
            raised,
            [
                "readiness raised from L1 to L2",
                "status raised from pledged to verified"
            ]
        );
        assert!(reason_messages("corrected the figure after a call").is_none());
    }
}
