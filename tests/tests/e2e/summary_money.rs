//! `pledgeboard summary` over monthly costs stored before the bound, whose sums pass what an
//! `i64` of cents holds: every format answers, on every backend, with the exact sums.

use pledgeboard_store::Store;
use pledgeboard_store::testing::{backends, fresh_url, import_csv, store_monthly_cost_cents};
use serde_json::Value;

use crate::cli::pledgeboard;

/// The pledges and the cents stored as their monthly cost: Pakistan's two pass `i64::MAX`
/// cents together, and Ghana's one is `i64::MAX` itself.
const COSTS: [(&str, &str, i64); 3] = [
    ("PAK", "SUM-1", 9_000_000_000_000_000_000),
    ("PAK", "SUM-2", 9_000_000_000_000_000_000),
    ("GHA", "SUM-3", i64::MAX),
];

/// Cents written as a report writes money.
fn usd(cents: i128) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn cost_of(state: &str) -> String {
    usd(COSTS
        .iter()
        .filter(|(s, _, _)| *s == state)
        .map(|(_, _, c)| i128::from(*c))
        .sum())
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn the_summary_adds_costs_past_an_i64_of_cents_exactly_in_every_format() {
    let total = usd(COSTS.iter().map(|(_, _, c)| i128::from(*c)).sum());
    assert_eq!(total, "272233720368547758.07");
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = match backend {
            "sqlite" => format!("sqlite://{}", dir.path().join("money.db").display()),
            other => fresh_url(other)
                .await
                .unwrap_or_else(|e| panic!("{other}: {e}")),
        };
        let store = Store::connect(&db)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        store
            .migrate()
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        store
            .load_reference_fixtures()
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        let mut file =
            String::from("pledge_ref,member_state,capability,quantity,monthly_cost_usd\n");
        for (state, reference, _) in COSTS {
            file.push_str(&format!("{reference},{state},INF-BN,1,1.00\n"));
        }
        let report = import_csv(&store, &file)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        assert!(report.applied, "{backend}: {:?}", report.errors);
        for (state, reference, cents) in COSTS {
            store_monthly_cost_cents(&store, state, reference, cents)
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
        }
        drop(store);

        let json: Value = serde_json::from_str(&pledgeboard(&db, &["summary", "--format", "json"]))
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        for state in ["PAK", "GHA"] {
            let row = json["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["member_state"] == state)
                .unwrap_or_else(|| panic!("{backend}: no {state} row in {json}"));
            assert_eq!(
                row["monthly_cost_usd"].as_str(),
                Some(cost_of(state).as_str())
            );
        }
        assert_eq!(
            json["totals"]["monthly_cost_usd"].as_str(),
            Some(total.as_str()),
            "{backend}"
        );

        let table = csv_rows(&pledgeboard(&db, &["summary", "--format", "csv"]));
        let cost = |state: &str| {
            table
                .iter()
                .find(|r| r[0] == state)
                .map(|r| r[7].clone())
                .unwrap_or_default()
        };
        assert_eq!(cost("GHA"), cost_of("GHA"), "{backend}");
        assert_eq!(cost("PAK"), cost_of("PAK"), "{backend}");
        assert_eq!(cost("TOTAL"), total, "{backend}");

        let text = pledgeboard(&db, &["summary", "--format", "text"]);
        let line = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
                .unwrap_or_else(|| panic!("{backend}: no {start} line in {text}"))
        };
        assert!(line("PAK").contains(&cost_of("PAK")), "{backend}: {text}");
        assert!(line("TOTAL").contains(&total), "{backend}: {text}");

        let one = |format: &str| {
            pledgeboard(
                &db,
                &["summary", "--member-state", "Pakistan", "--format", format],
            )
        };
        let pak: Value = serde_json::from_str(&one("json")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            pak["monthly_cost_usd"].as_str(),
            Some(cost_of("PAK").as_str())
        );
        assert_eq!(csv_rows(&one("csv"))[0][7], cost_of("PAK"), "{backend}");
        assert!(
            one("text").contains(&format!("monthly cost (USD) {}", cost_of("PAK"))),
            "{backend}"
        );
    }
}
