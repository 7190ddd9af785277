//! Reports against a naive reference, the allocation plan against a naive one, and the board
//! as of a past moment — on every backend.
#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly when its setup fails"
)]

use std::collections::{BTreeMap, HashMap};

use pledgeboard_domain::coverage::coverage_pct;
use pledgeboard_domain::pledge_csv::COLUMNS;
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_domain::{Actor, Priority, Role};
use pledgeboard_store::testing::{backends, fresh_store};
use pledgeboard_store::{ImportOptions, Store};
use proptest::prelude::*;

fn admin() -> Actor {
    Actor {
        token_id: 0,
        name: "reports test".into(),
        role: Role::Admin,
        member_state: None,
    }
}

async fn import_rows(store: &Store, rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // The first columns, as many as the rows give.
    let width = rows.first().map_or(COLUMNS.len(), Vec::len);
    writer.write_record(&COLUMNS[..width]).unwrap();
    for r in rows {
        writer.write_record(r).unwrap();
    }
    let catalog = store.catalog().await.unwrap();
    let table = table_from_bytes(writer.into_inner().unwrap()).unwrap();
    let report = store
        .import_pledges(&catalog, table, &admin(), &ImportOptions::default())
        .await
        .unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
}

const MISSIONS: [&str; 3] = ["MINUSCA", "UNMISS", "UNIFIL"];
const CAPABILITIES: [&str; 3] = ["HEL-UTIL", "QRF-COY", "EQ-APC"];

#[derive(Debug, Clone)]
struct GenPledge {
    mission: Option<usize>,
    capability: usize,
    quantity: u64,
    personnel: u64,
    readiness: &'static str,
    status: &'static str,
    available_day: Option<u32>,
    /// Picks an earlier pledge to supersede (see `lineage_links`).
    supersedes: Option<usize>,
}

/// What each generated pledge supersedes: pledge `i`'s pick `k` names pledge `k % i`, unless
/// another pledge supersedes that one already (a lineage is a chain).
fn lineage_links(pledges: &[GenPledge]) -> Vec<Option<usize>> {
    let mut taken = vec![false; pledges.len()];
    pledges
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let j = p.supersedes.filter(|_| i > 0).map(|k| k % i.max(1))?;
            (!taken[j]).then(|| {
                taken[j] = true;
                j
            })
        })
        .collect()
}

fn gen_pledge() -> impl Strategy<Value = GenPledge> {
    (
        prop::option::of(0usize..3),
        0usize..3,
        1u64..6,
        0u64..300,
        prop::sample::select(vec!["L1", "L2", "L3", "RDL"]),
        prop::sample::select(vec!["pledged", "verified", "deployed", "withdrawn"]),
        prop::option::of(1u32..28),
        prop::option::of(0usize..40),
    )
        .prop_map(
            |(
                mission,
                capability,
                quantity,
                personnel,
                readiness,
                status,
                available_day,
                supersedes,
            )| {
                GenPledge {
                    mission,
                    capability,
                    quantity,
                    personnel,
                    readiness,
                    status,
                    available_day,
                    supersedes,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn the_coverage_report_equals_a_naive_reference(
        required in prop::collection::vec(prop::option::of((1u64..12, 1u32..28, 0u64..400, prop::sample::select(vec!["critical", "high", "normal"]))), 9),
        pledges in prop::collection::vec(gen_pledge(), 0..40),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let store = fresh_store("sqlite").await.unwrap();
            let catalog = store.catalog().await.unwrap();
            // Requirement i covers (mission i / 3, capability i % 3), needed by 2026-02-<day>.
            let mut needs = HashMap::new();
            for (i, r) in required.iter().enumerate() {
                let Some((quantity, day, personnel, priority)) = r else { continue };
                let draft = pledgeboard_domain::requirement::RequirementDraft {
                    mission: MISSIONS[i / 3].into(),
                    capability: CAPABILITIES[i % 3].into(),
                    quantity: Some(*quantity as i64),
                    personnel: Some(*personnel as i64),
                    needed_by: format!("2026-02-{day:02}"),
                    priority: (*priority).into(),
                };
                store.create_requirement(&draft.validate(&catalog).unwrap(), &admin()).await.unwrap();
                needs.insert((MISSIONS[i / 3], CAPABILITIES[i % 3]), (*quantity, *day, *personnel, *priority));
            }
            // A superseded pledge counts toward no current figure: the naive reference leaves
            // it out, as if it were absent.
            let links = lineage_links(&pledges);
            let superseded: Vec<bool> = (0..pledges.len()).map(|j| links.contains(&Some(j))).collect();
            let supersedes_column = COLUMNS.iter().position(|c| *c == "supersedes").unwrap();
            let rows: Vec<Vec<String>> = pledges.iter().enumerate().map(|(i, p)| {
                let mut row = vec![String::new(); COLUMNS.len()];
                row[0] = format!("P-{i}");
                row[1] = "PAK".into();
                row[2] = CAPABILITIES[p.capability].into();
                row[3] = p.quantity.to_string();
                row[4] = p.personnel.to_string();
                row[6] = p.readiness.into();
                row[7] = p.available_day.map(|d| format!("2026-02-{d:02}")).unwrap_or_default();
                row[9] = p.mission.map(|m| MISSIONS[m].to_owned()).unwrap_or_default();
                row[11] = p.status.into();
                row[supersedes_column] = links[i].map(|j| format!("PAK:P-{j}")).unwrap_or_default();
                row
            }).collect();
            import_rows(&store, &rows).await;
            let pledges: Vec<GenPledge> = pledges
                .iter()
                .zip(&superseded)
                .filter(|(_, gone)| !**gone)
                .map(|(p, _)| p.clone())
                .collect();

            let report = store.coverage_report(None, None).await.unwrap();
            let mut seen = 0;
            // Mission figures by hand: (requirements, met, firm, critical open, personnel, covered).
            let mut grand = [0u64; 6];
            for m in &report.missions {
                let mut naive = [0u64; 6];
                for r in &m.requirements {
                    seen += 1;
                    let (quantity, day, required_personnel, priority) = needs[&(m.mission.as_str(), r.capability.as_str())];
                    let counted: Vec<&GenPledge> = pledges.iter().filter(|p| p.status != "withdrawn" && p.mission.map(|i| MISSIONS[i]) == Some(m.mission.as_str()) && CAPABILITIES[p.capability] == r.capability).collect();
                    let pledged: u64 = counted.iter().map(|p| p.quantity).sum();
                    let firm: u64 = counted.iter().filter(|p| p.readiness != "L1").map(|p| p.quantity).sum();
                    let in_time: u64 = counted.iter().filter(|p| p.available_day.is_some_and(|d| d <= day)).map(|p| p.quantity).sum();
                    let personnel: u64 = counted.iter().map(|p| p.personnel).sum();
                    let f = &r.figures;
                    prop_assert_eq!((f.required, f.pledged, f.firm, f.in_time, f.pledged_personnel), (quantity, pledged, firm, in_time, personnel));
                    prop_assert_eq!(f.gap, quantity.saturating_sub(pledged));
                    prop_assert_eq!(f.firm_gap, quantity.saturating_sub(firm));
                    prop_assert_eq!(f.coverage_pct, coverage_pct(pledged, quantity));
                    naive[0] += 1;
                    naive[1] += u64::from(pledged >= quantity);
                    naive[2] += u64::from(firm >= quantity);
                    naive[3] += u64::from(priority == "critical" && pledged < quantity);
                    naive[4] += required_personnel;
                    naive[5] += if personnel > required_personnel { required_personnel } else { personnel };
                }
                let t = &m.totals;
                prop_assert_eq!([t.requirements, t.requirements_met, t.requirements_firm, t.critical_open, t.required_personnel, t.covered_personnel], naive);
                prop_assert_eq!(t.personnel_coverage_pct, coverage_pct(naive[5], naive[4]));
                for (g, v) in grand.iter_mut().zip(naive) {
                    *g += v;
                }
            }
            let t = &report.totals;
            prop_assert_eq!([t.requirements, t.requirements_met, t.requirements_firm, t.critical_open, t.required_personnel, t.covered_personnel], grand);
            prop_assert_eq!(seen, needs.len());
            let unearmarked: u64 = report.unearmarked.iter().map(|u| u.quantity).sum();
            let expected: u64 = pledges.iter().filter(|p| p.mission.is_none() && p.status != "withdrawn").map(|p| p.quantity).sum();
            prop_assert_eq!(unearmarked, expected);
            Ok(())
        })?;
    }
}

/// Critical quantity a naive first-come assignment fills: pledges by id, each to the first
/// requirement (by id) of its capability with a gap left, no priority or date considered.
fn naive_critical_fill(
    gaps: &[pledgeboard_domain::allocation::Gap],
    pledges: &[pledgeboard_domain::allocation::OpenPledge],
) -> u64 {
    let mut remaining: Vec<u64> = gaps.iter().map(|g| g.gap).collect();
    let mut order: Vec<usize> = (0..gaps.len()).collect();
    order.sort_by_key(|&i| gaps[i].requirement_id);
    let mut critical = 0;
    for p in pledges {
        if let Some(&i) = order
            .iter()
            .find(|&&i| gaps[i].capability == p.capability && remaining[i] > 0)
        {
            let q = p.quantity.min(remaining[i]);
            remaining[i] -= q;
            if gaps[i].priority == Priority::Critical {
                critical += q;
            }
        }
    }
    critical
}

#[tokio::test]
async fn the_plan_fills_at_least_as_much_critical_need_as_first_come() {
    for backend in backends() {
        let store = fresh_store(backend).await.unwrap();
        store.load_demo_fixtures().await.unwrap();
        let (plan, gaps, pledges) = store.allocation_plan().await.unwrap();
        let critical_of = |id: i64| {
            gaps.iter()
                .find(|g| g.requirement_id == id)
                .is_some_and(|g| g.priority == Priority::Critical)
        };
        let planned: u64 = plan
            .lines
            .iter()
            .filter(|l| critical_of(l.requirement_id))
            .map(|l| l.quantity)
            .sum();
        let naive = naive_critical_fill(&gaps, &pledges);
        assert!(
            planned >= naive,
            "{backend}: plan fills {planned} critical, first-come {naive}"
        );
        assert!(
            !plan.lines.is_empty(),
            "{backend}: the demo has unearmarked capacity for some gaps"
        );
        let mut used = std::collections::HashSet::new();
        assert!(
            plan.lines.iter().all(|l| used.insert(l.pledge_id)),
            "no pledge used twice"
        );
    }
}

#[tokio::test]
async fn the_board_as_of_a_moment_shows_that_moment() {
    for backend in backends() {
        let store = fresh_store(backend).await.unwrap();
        let catalog = store.catalog().await.unwrap();
        let draft = pledgeboard_domain::requirement::RequirementDraft {
            mission: "MINUSCA".into(),
            capability: "HEL-UTIL".into(),
            quantity: Some(10),
            personnel: Some(400),
            needed_by: "2026-06-30".into(),
            priority: "critical".into(),
        };
        store
            .create_requirement(&draft.validate(&catalog).unwrap(), &admin())
            .await
            .unwrap();
        let pause = || tokio::time::sleep(std::time::Duration::from_millis(15));
        let row = |q: u32, r: &str| {
            vec![
                "H-1".into(),
                "PAK".into(),
                "HEL-UTIL".into(),
                q.to_string(),
                "40".into(),
                "4".into(),
                r.into(),
                "2026-01-01".into(),
                String::new(),
                "MINUSCA".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]
        };
        import_rows(&store, &[row(2, "L1")]).await; // T1
        pause().await;
        import_rows(&store, &[row(4, "L2")]).await; // T2
        pause().await;
        let between = chrono::Utc::now();
        pause().await;
        import_rows(&store, &[row(7, "L3")]).await; // T3

        let figures = |r: &pledgeboard_domain::coverage_report::CoverageReport| {
            let f = &r.missions[0].requirements[0].figures;
            (f.pledged, f.firm, f.gap)
        };
        assert_eq!(
            figures(&store.coverage_report(None, Some(between)).await.unwrap()),
            (4, 4, 6),
            "{backend}: the T2 board"
        );
        assert_eq!(
            figures(&store.coverage_report(None, None).await.unwrap()),
            (7, 7, 3),
            "{backend}: now"
        );
        let before = chrono::DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        assert!(
            store
                .coverage_report(None, Some(before))
                .await
                .unwrap()
                .missions
                .is_empty(),
            "{backend}: nothing was required then"
        );
    }
}

const STATES: [&str; 3] = ["PAK", "GHA", "FRA"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// The all-states table (summed on SQLite by its own aggregate, streamed on PostgreSQL)
    /// against sums by hand over the generated pledges.
    #[test]
    fn the_all_states_table_equals_a_naive_reference(
        pledges in prop::collection::vec((0usize..3, gen_pledge(), 0u64..4, prop::option::of(0u64..2_000_000)), 0..40),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            for backend in backends() {
                let store = fresh_store(backend).await.unwrap();
                let catalog = store.catalog().await.unwrap();
                let rows: Vec<Vec<String>> = pledges.iter().enumerate().map(|(i, (s, p, women, cents))| {
                    let mut row = vec![String::new(); COLUMNS.len()];
                    row[0] = format!("A-{i}");
                    row[1] = STATES[*s].into();
                    row[2] = CAPABILITIES[p.capability].into();
                    row[3] = p.quantity.to_string();
                    row[4] = p.personnel.to_string();
                    row[5] = (*women).min(p.personnel).to_string();
                    row[6] = p.readiness.into();
                    row[9] = p.mission.map(|m| MISSIONS[m].to_owned()).unwrap_or_default();
                    row[11] = p.status.into();
                    row[13] = cents.map(|c| format!("{}.{:02}", c / 100, c % 100)).unwrap_or_default();
                    row
                }).collect();
                import_rows(&store, &rows).await;

                let today = chrono::Utc::now().date_naive();
                let report = store
                    .countries_report(&catalog, &pledgeboard_store::CountryFilter::default(), today)
                    .await
                    .unwrap();
                // (pledges, quantity, personnel, women, cents, per mission, per capability, per readiness)
                type Naive = (u64, u64, u64, u64, i128, BTreeMap<String, u64>, BTreeMap<String, u64>, BTreeMap<String, u64>);
                let mut naive: BTreeMap<&str, Naive> = BTreeMap::new();
                for (s, p, women, cents) in &pledges {
                    if p.status == "withdrawn" {
                        continue;
                    }
                    let n = naive.entry(STATES[*s]).or_default();
                    n.0 += 1;
                    n.1 += p.quantity;
                    n.2 += p.personnel;
                    n.3 += (*women).min(p.personnel);
                    n.4 += i128::from(cents.unwrap_or(0));
                    if let Some(m) = p.mission {
                        *n.5.entry(MISSIONS[m].to_owned()).or_default() += p.quantity;
                    }
                    *n.6.entry(CAPABILITIES[p.capability].to_owned()).or_default() += p.quantity;
                    *n.7.entry(p.readiness.to_owned()).or_default() += 1;
                }
                let got: BTreeMap<&str, Naive> = report.rows.iter().map(|r| (r.member_state.as_str(), (
                    r.pledges, r.quantity, r.personnel, r.female_personnel, r.monthly_cost_usd.cents(),
                    r.by_mission.clone(),
                    r.by_capability.iter().map(|(c, t)| (c.clone(), t.quantity)).collect(),
                    r.by_readiness.iter().map(|(c, t)| (c.clone(), t.pledges)).collect(),
                ))).collect();
                prop_assert_eq!(got, naive, "{}", backend);
            }
            Ok(())
        })?;
    }
}
