use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn request(stalled_days: u32, measured_on: NaiveDate) -> FollowThroughRequest {
    FollowThroughRequest {
        conference: "BER-2025".into(),
        conference_name: "Berlin".into(),
        announced_on: date(2025, 5, 13),
        as_of: None,
        measured_on,
        stalled_days,
    }
}

fn pledge(
    id: i64,
    state: &str,
    readiness: Readiness,
    status: PledgeStatus,
    milestones: &[(MilestoneKind, NaiveDate)],
) -> FollowThroughPledge {
    FollowThroughPledge {
        pledge_id: id,
        member_state: state.into(),
        pledge_ref: format!("{state}-{id}"),
        capability: "INF-BN".into(),
        category: if id % 2 == 0 {
            Category::Unit
        } else {
            Category::Training
        },
        readiness,
        status,
        milestones: milestones.to_vec(),
    }
}

fn figure(r: &FollowThroughReport, stage: Stage) -> u64 {
    r.stages.iter().find(|s| s.stage == stage).unwrap().pledges
}

#[test]
fn stages_count_milestones_readiness_and_status_and_every_earlier_stage() {
    use MilestoneKind as K;
    let pledges = [
        pledge(1, "PAK", Readiness::L1, PledgeStatus::Pledged, &[]),
        pledge(
            2,
            "PAK",
            Readiness::L1,
            PledgeStatus::Pledged,
            &[(K::NvReceived, date(2025, 6, 1))],
        ),
        pledge(3, "GHA", Readiness::L2, PledgeStatus::Pledged, &[]),
        pledge(4, "GHA", Readiness::Rdl, PledgeStatus::Deployed, &[]),
        pledge(
            5,
            "DEU",
            Readiness::L3,
            PledgeStatus::Withdrawn,
            &[(K::Accepted, date(2025, 6, 1))],
        ),
    ];
    let r = follow_through(request(180, date(2025, 7, 1)), &pledges);
    assert_eq!(r.announced, 5);
    assert_eq!(r.withdrawn, 1);
    assert_eq!(figure(&r, Stage::Announced), 5);
    assert_eq!(figure(&r, Stage::NvReceived), 3);
    assert_eq!(figure(&r, Stage::Accepted), 2);
    assert_eq!(figure(&r, Stage::L2), 2);
    assert_eq!(figure(&r, Stage::L3OrRdl), 1);
    assert_eq!(figure(&r, Stage::Deployed), 1);
    assert_eq!(r.stages[1].share_pct, Decimal::new(600, 1));
}

#[test]
fn a_milestone_dated_after_the_day_measured_is_not_counted() {
    let pledges = [pledge(
        1,
        "PAK",
        Readiness::L1,
        PledgeStatus::Pledged,
        &[(MilestoneKind::Accepted, date(2025, 9, 1))],
    )];
    let r = follow_through(request(180, date(2025, 8, 1)), &pledges);
    assert_eq!(figure(&r, Stage::Accepted), 0);
}

#[test]
fn median_days_are_between_dated_successive_stages_only() {
    use MilestoneKind as K;
    let announced = date(2025, 5, 13);
    let nv = |days: i64| (K::NvReceived, announced + chrono::Duration::days(days));
    let pledges = [
        pledge(1, "PAK", Readiness::L1, PledgeStatus::Pledged, &[nv(10)]),
        pledge(2, "PAK", Readiness::L1, PledgeStatus::Pledged, &[nv(20)]),
        pledge(3, "PAK", Readiness::L1, PledgeStatus::Pledged, &[nv(31)]),
        pledge(4, "PAK", Readiness::L1, PledgeStatus::Pledged, &[nv(45)]),
        // Acknowledged only: the note verbale is received but undated.
        pledge(
            5,
            "PAK",
            Readiness::L1,
            PledgeStatus::Pledged,
            &[(K::Acknowledged, announced)],
        ),
    ];
    let r = follow_through(request(180, date(2025, 12, 1)), &pledges);
    let first = &r.intervals[0];
    assert_eq!(
        (first.from, first.to),
        (Stage::Announced, Stage::NvReceived)
    );
    assert_eq!(first.pledges, 4);
    assert_eq!(first.median_days, Some(Decimal::new(255, 1)));
    assert_eq!(r.intervals[1].median_days, None);
}

#[test]
fn a_pledge_stalls_after_the_threshold_from_its_latest_step() {
    use MilestoneKind as K;
    let pledges = [
        // Announced 2025-05-13, nothing since: 232 days on 2025-12-31.
        pledge(1, "PAK", Readiness::L1, PledgeStatus::Pledged, &[]),
        // Accepted 2025-10-01: 91 days.
        pledge(
            2,
            "GHA",
            Readiness::L1,
            PledgeStatus::Pledged,
            &[(K::Accepted, date(2025, 10, 1))],
        ),
        // Deployed pledges and withdrawn ones do not stall.
        pledge(3, "GHA", Readiness::L1, PledgeStatus::Deployed, &[]),
        pledge(4, "GHA", Readiness::L1, PledgeStatus::Withdrawn, &[]),
    ];
    let r = follow_through(request(180, date(2025, 12, 31)), &pledges);
    assert_eq!(r.stalled.len(), 1);
    assert_eq!(r.stalled[0].pledge_id, 1);
    assert_eq!(r.stalled[0].days, 232);
    assert_eq!(r.stalled[0].last_milestone, None);
    assert_eq!(r.stalled_by_state.get("PAK"), Some(&1));
    assert_eq!(r.stalled_by_category.get("training"), Some(&1));
    let shorter = follow_through(request(90, date(2025, 12, 31)), &pledges);
    assert_eq!(shorter.stalled.len(), 2);
    // Exactly the threshold is not yet stalled.
    let exact = follow_through(request(91, date(2025, 12, 31)), &pledges);
    assert_eq!(exact.stalled.len(), 1);
}

#[test]
fn every_figure_has_its_rule_in_words() {
    let r = follow_through(request(120, date(2025, 12, 31)), &[]);
    let figures: Vec<&str> = r.rules.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        figures,
        [
            "announced",
            "withdrawn",
            "stages",
            "median_days",
            "stalled",
            "as_of"
        ]
    );
    assert!(r.rules[4].1.contains("more than 120 days"));
    assert_eq!(figure(&r, Stage::Announced), 0);
    assert_eq!(r.stages[0].share_pct, Decimal::new(0, 1));
}

#[test]
fn the_csv_rows_carry_the_report_figures() {
    let pledges = [pledge(1, "PAK", Readiness::L2, PledgeStatus::Pledged, &[])];
    let r = follow_through(request(180, date(2025, 12, 31)), &pledges);
    let rows = follow_through_csv_rows(&r);
    let l2 = rows
        .iter()
        .find(|r| r[0] == "stage" && r[1] == "l2")
        .unwrap();
    assert_eq!((l2[3].as_str(), l2[4].as_str()), ("1", "100.0"));
    let stalled = rows.iter().find(|r| r[0] == "stalled_pledge").unwrap();
    assert_eq!(
        (
            stalled[1].as_str(),
            stalled[6].as_str(),
            stalled[7].as_str()
        ),
        ("PAK:PAK-1", "2025-05-13", "232")
    );
}

#[test]
fn a_stalled_threshold_is_a_whole_number_of_days_within_bounds() {
    assert_eq!(parse_stalled_days(" 90 ").unwrap(), 90);
    for bad in ["0", "-5", "ninety", "3651", "1.5"] {
        let e = parse_stalled_days(bad).unwrap_err().to_string();
        assert!(e.contains("is not a number of days from 1 to 3650"), "{e}");
    }
}

fn any_pledge() -> impl Strategy<Value = FollowThroughPledge> {
    (
        1_i64..1000,
        prop::sample::select(vec!["PAK", "GHA", "DEU"]),
        prop::sample::select(Readiness::ALL.to_vec()),
        prop::sample::select(PledgeStatus::ALL.to_vec()),
        prop::collection::btree_map(
            prop::sample::select(MilestoneKind::ALL.to_vec()),
            0_i64..600,
            0..5,
        ),
    )
        .prop_map(|(id, state, readiness, status, ms)| {
            let start = date(2025, 5, 1);
            let milestones: Vec<_> = ms
                .into_iter()
                .map(|(k, d)| (k, start + chrono::Duration::days(d)))
                .collect();
            pledge(id, state, readiness, status, &milestones)
        })
}

proptest! {
    /// The stage counts equal a count done the long way: per stage, every pledge not
    /// withdrawn that has a milestone of that stage or a later one, or a readiness or status
    /// that shows it.
    #[test]
    fn stage_counts_equal_a_naive_count(pledges in prop::collection::vec(any_pledge(), 0..30)) {
        let on = date(2026, 1, 1);
        let r = follow_through(request(180, on), &pledges);
        for (i, stage) in Stage::ALL.iter().enumerate() {
            let naive = pledges.iter().filter(|p| {
                if i == 0 { return true; }
                if p.status == PledgeStatus::Withdrawn { return false; }
                let by_milestone = p.milestones.iter()
                    .filter(|(_, d)| *d <= on)
                    .any(|(k, _)| Stage::of_milestone(*k) >= *stage);
                let by_level = match p.readiness {
                    Readiness::L1 => false,
                    Readiness::L2 => *stage <= Stage::L2,
                    _ => *stage <= Stage::L3OrRdl,
                };
                let by_status = p.status == PledgeStatus::Deployed;
                by_milestone || by_level || by_status
            }).count() as u64;
            prop_assert_eq!(r.stages[i].pledges, naive, "stage {}", stage);
        }
        prop_assert_eq!(r.stalled.len() as u64, r.stalled_by_state.values().sum::<u64>());
        prop_assert_eq!(r.stalled.len() as u64, r.stalled_by_category.values().sum::<u64>());
        prop_assert!(r.withdrawn <= r.announced);
    }
}
