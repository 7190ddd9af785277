//! Export → import is a no-op, as CSV and as an Excel workbook, for generated pledges
//! including text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`).
#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly when its setup fails"
)]

use pledgeboard_domain::pledge_csv::{COLUMNS, pledge_record};
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_domain::{Actor, Role};
use pledgeboard_http::pledge_workbook::{About, write_pledge_workbook};
use pledgeboard_store::testing::fresh_store;
use pledgeboard_store::{ImportOptions, PledgeFilter, Store};
use proptest::prelude::*;

fn operator() -> Actor {
    Actor {
        token_id: 0,
        name: "round trip".into(),
        role: Role::Admin,
        member_state: None,
    }
}

async fn export(store: &Store) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).unwrap();
    let mut pages = store.pledge_pages(&PledgeFilter::default());
    while let Some(page) = pages.next_page_with_milestones().await.unwrap() {
        for (p, milestones) in &page {
            writer.write_record(pledge_record(p, milestones)).unwrap();
        }
    }
    writer.into_inner().unwrap()
}

/// The pledge workbook, as `GET /api/v1/exports/pledges.xlsx` writes it.
async fn export_workbook(store: &Store) -> Vec<u8> {
    let mut pages = Vec::new();
    let mut pager = store.pledge_pages(&PledgeFilter::default());
    while let Some(page) = pager.next_page_with_milestones().await.unwrap() {
        pages.push(page);
    }
    let mut pages = pages.into_iter();
    let mut out = Vec::new();
    write_pledge_workbook(&mut out, &About::default(), || {
        Ok::<_, std::convert::Infallible>(pages.next())
    })
    .unwrap();
    out
}

async fn import(store: &Store, bytes: Vec<u8>) -> pledgeboard_domain::import::ImportReport {
    let catalog = store.catalog().await.unwrap();
    let table = table_from_bytes(bytes).unwrap();
    store
        .import_pledges(
            &catalog,
            table,
            &operator(),
            &ImportOptions {
                dry_run: false,
                source: "test".into(),
            },
        )
        .await
        .unwrap()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[=+\\-@]?[a-zA-Z0-9 ,;\"'é\\n]{0,24}",
        "[=+\\-@][A-Z(]{1,6}\\(A1\\)",
        // Text that already starts with a quote before a formula character keeps it.
        "'{1,2}[=+\\-@][a-z]{0,6}",
    ]
}

fn row() -> impl Strategy<Value = Vec<String>> {
    (
        prop::sample::select(vec!["PAK", "Japan", "bgd", "Viet Nam", "Türkiye", "RWA"]),
        prop::sample::select(vec![
            "INF-BN",
            "HEL-UTIL",
            "IPO",
            "EQ-APC",
            "TRN-PLACES",
            "WPS-ENGAGE",
        ]),
        1u32..50,
        // No personnel: estimated, exported with `personnel_estimated` true, and read back so.
        (prop::option::of(0u32..500), 0u32..100),
        prop::sample::select(vec!["", "L1", "L2", "L3", "RDL"]),
        prop::option::of((2024i32..2028, 1u32..13, 1u32..29)),
        prop::sample::select(vec!["", "MINUSCA", "unmiss", "UNIFIL"]),
        prop::sample::select(vec!["", "pledged", "verified", "deployed", "withdrawn"]),
        (text(), text()),
        prop::option::of((0u64..10_000_000, 0u8..100)),
        prop::sample::select(vec!["", "JPN:equips", "KOR:trains;NOR:funds"]),
        // Milestones: days after the one before, where the step was reached.
        prop::collection::vec(prop::option::of(0i64..90), 8),
    )
        .prop_map(
            |(
                state,
                capability,
                quantity,
                (personnel, women),
                readiness,
                date,
                mission,
                status,
                (caveats, notes),
                cost,
                partners,
                steps,
            )| {
                let women = personnel.map(|p| women.min(p).to_string());
                let milestones = milestone_cells(&steps, status, mission);
                vec![
                    String::new(), // pledge_ref, filled in by the test
                    state.to_owned(),
                    capability.to_owned(),
                    quantity.to_string(),
                    personnel.map(|p| p.to_string()).unwrap_or_default(),
                    women.unwrap_or_default(),
                    readiness.to_owned(),
                    date.map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
                        .unwrap_or_default(),
                    String::new(),
                    mission.to_owned(),
                    String::new(),
                    status.to_owned(),
                    caveats,
                    cost.map(|(whole, cents)| format!("{whole}.{cents:02}"))
                        .unwrap_or_default(),
                    if state.eq_ignore_ascii_case("JPN") || state == "Japan" {
                        String::new()
                    } else {
                        partners.to_owned()
                    },
                    String::new(),
                    String::new(),
                    notes,
                    String::new(), // personnel_estimated
                    String::new(), // supersedes, filled in by the test
                ]
                .into_iter()
                .chain(milestones)
                .collect()
            },
        )
}

/// The milestone date cells of a row: each step reached `days` after the one before, from
/// 2024-01-01 (never in the future); none on a withdrawn pledge, no selection without a
/// mission.
fn milestone_cells(steps: &[Option<i64>], status: &str, mission: &str) -> Vec<String> {
    let mut day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    steps
        .iter()
        .enumerate()
        .map(|(step, days)| match days {
            Some(_) if status == "withdrawn" => String::new(),
            // `selected_on` is the seventh column.
            Some(_) if step == 6 && mission.is_empty() => String::new(),
            Some(d) => {
                day += chrono::Duration::days(*d);
                day.to_string()
            }
            None => String::new(),
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn export_then_import_changes_nothing(rows in prop::collection::vec(row(), 1..25)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let store = fresh_store("sqlite").await.unwrap();
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(COLUMNS).unwrap();
            // Every other row re-announces the latest row of its state not yet superseded,
            // naming it by the state as the row gives it (code or name) and its reference.
            let supersedes = COLUMNS.iter().position(|c| *c == "supersedes").unwrap();
            let mut open: Vec<(String, usize)> = Vec::new();
            for (i, mut row) in rows.into_iter().enumerate() {
                row[0] = format!("REF-{i}");
                let state = row[1].to_lowercase();
                if i % 2 == 1
                    && let Some(at) = open.iter().rposition(|(s, _)| *s == state)
                {
                    let (_, j) = open.remove(at);
                    row[supersedes] = format!("{}:REF-{j}", row[1]);
                }
                open.push((state, i));
                writer.write_record(&row).unwrap();
            }
            let first = import(&store, writer.into_inner().unwrap()).await;
            prop_assert!(first.errors.is_empty(), "generated rows are valid: {:?}", first.errors);
            let exported = export(&store).await;
            let again = import(&store, exported.clone()).await;
            prop_assert_eq!((again.created, again.updated, again.unchanged), (0, 0, again.rows));
            prop_assert_eq!(&export(&store).await, &exported);
            let workbook = export_workbook(&store).await;
            let from_workbook = import(&store, workbook).await;
            prop_assert!(from_workbook.errors.is_empty(), "{:?}", from_workbook.errors);
            prop_assert_eq!(
                (from_workbook.created, from_workbook.updated, from_workbook.unchanged),
                (0, 0, from_workbook.rows)
            );
            prop_assert_eq!(export(&store).await, exported);
            Ok(())
        })?;
    }
}
