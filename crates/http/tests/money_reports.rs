//! Country reports through the real router, on every backend, over monthly costs stored before
//! the bound whose sums pass what an `i64` of cents holds: JSON, CSV, the pages and `as_of`
//! answer, and every total is the exact sum of its rows.

mod support;

use axum::http::StatusCode;
use pledgeboard_store::testing::store_monthly_cost_cents;
use serde_json::json;
use support::pages::{log_in, page};
use support::shortcuts::{create, csv_rows, json_ok, withdraw};
use support::{TestApp, apps};

/// 90,000,000,000,000,000.00 USD in cents: two of them pass `i64::MAX`.
const HUGE_CENTS: i64 = 9_000_000_000_000_000_000;

/// Cents written as a report writes money.
fn usd(cents: i128) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A pledge for the report test: its state, reference, capability and mission, and the cents
/// stored as its monthly cost.
struct Costed {
    state: &'static str,
    reference: &'static str,
    capability: &'static str,
    mission: Option<&'static str>,
    cents: i64,
}

/// BIG-1 and BIG-7 share every column the report groups by, so the database itself sums past
/// `i64::MAX`, not only the rows rolled up after it.
const COSTED: [Costed; 7] = [
    Costed {
        state: "PAK",
        reference: "BIG-1",
        capability: "HEL-UTIL",
        mission: Some("MINUSCA"),
        cents: HUGE_CENTS,
    },
    Costed {
        state: "PAK",
        reference: "BIG-7",
        capability: "HEL-UTIL",
        mission: Some("MINUSCA"),
        cents: HUGE_CENTS,
    },
    Costed {
        state: "PAK",
        reference: "BIG-2",
        capability: "QRF-COY",
        mission: Some("UNMISS"),
        cents: HUGE_CENTS,
    },
    Costed {
        state: "PAK",
        reference: "BIG-3",
        capability: "TRN-MTT",
        mission: None,
        cents: 12_345,
    },
    Costed {
        state: "GHA",
        reference: "BIG-4",
        capability: "INF-BN",
        mission: Some("UNIFIL"),
        cents: i64::MAX,
    },
    Costed {
        state: "GHA",
        reference: "BIG-5",
        capability: "INF-BN",
        mission: None,
        cents: 7,
    },
    Costed {
        state: "BGD",
        reference: "BIG-6",
        capability: "FPU",
        mission: None,
        cents: 100_000_000_000_000,
    },
];

/// Each state's exact cost and the total, in cents, over the pledges `counted` keeps.
fn expected(counted: impl Fn(&Costed) -> bool) -> (Vec<(&'static str, i128)>, i128) {
    let mut states: Vec<(&'static str, i128)> = Vec::new();
    for c in COSTED.iter().filter(|c| counted(c)) {
        match states.iter_mut().find(|(s, _)| *s == c.state) {
            Some((_, sum)) => *sum += i128::from(c.cents),
            None => states.push((c.state, i128::from(c.cents))),
        }
    }
    let total = states.iter().map(|(_, c)| c).sum();
    (states, total)
}

/// The all-states table (JSON and CSV, at `query`) shows exactly `want`, and its breakdowns
/// and totals are the sums of its rows.
async fn check_countries(app: &TestApp, query: &str, want: &(Vec<(&'static str, i128)>, i128)) {
    let backend = app.backend;
    let report = json_ok(app, &format!("/api/v1/reports/countries{query}")).await;
    let rows = report["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), want.0.len(), "{backend} {query}: {report}");
    for (state, cents) in &want.0 {
        let row = rows
            .iter()
            .find(|r| r["member_state"] == *state)
            .unwrap_or_else(|| panic!("{backend} {query}: no {state} row"));
        assert_eq!(
            row["monthly_cost_usd"],
            json!(usd(*cents)),
            "{backend} {query}: {state}"
        );
        let quantity: u64 = row["by_capability"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, v)| v["quantity"].as_u64())
            .sum();
        assert_eq!(
            Some(quantity),
            row["quantity"].as_u64(),
            "{backend}: {state} by capability"
        );
        let pledges: u64 = row["by_category"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(_, v)| v.as_u64())
            .sum();
        assert_eq!(
            Some(pledges),
            row["pledges"].as_u64(),
            "{backend}: {state} by category"
        );
    }
    let totals = &report["totals"];
    assert_eq!(
        totals["monthly_cost_usd"],
        json!(usd(want.1)),
        "{backend} {query}: total"
    );
    let pledges: u64 = rows.iter().filter_map(|r| r["pledges"].as_u64()).sum();
    assert_eq!(
        Some(pledges),
        totals["pledges"].as_u64(),
        "{backend} {query}"
    );

    let table = csv_rows(app, &format!("/api/v1/reports/countries.csv{query}")).await;
    assert_eq!(
        table.len(),
        rows.len() + 1,
        "{backend} {query}: a TOTAL row"
    );
    for (csv_row, json_row) in table.iter().zip(&rows) {
        assert_eq!(
            csv_row[0],
            json_row["member_state"].as_str().unwrap_or_default()
        );
        assert_eq!(
            csv_row[7],
            json_row["monthly_cost_usd"].as_str().unwrap_or_default()
        );
    }
    let last = &table[rows.len()];
    assert_eq!(
        (last[0].as_str(), last[7].clone()),
        ("TOTAL", usd(want.1)),
        "{backend} {query}"
    );
}

/// One state's summary (JSON and CSV, at `query`) shows exactly `cents`.
async fn check_country(app: &TestApp, state: &str, query: &str, cents: i128) {
    let backend = app.backend;
    let summary = json_ok(app, &format!("/api/v1/reports/countries/{state}{query}")).await;
    assert_eq!(
        summary["monthly_cost_usd"],
        json!(usd(cents)),
        "{backend} {state} {query}"
    );
    let table = csv_rows(
        app,
        &format!("/api/v1/reports/countries/{state}.csv{query}"),
    )
    .await;
    assert_eq!(table.len(), 1, "{backend}");
    assert_eq!(table[0][7], usd(cents), "{backend} {state}.csv {query}");
}

#[tokio::test]
async fn reports_over_costs_summing_past_an_i64_of_cents_are_exact_in_every_format() {
    for app in apps(false).await {
        let backend = app.backend;
        let mut ids = Vec::new();
        for c in &COSTED {
            let body = json!({
                "pledge_ref": c.reference, "member_state": c.state, "capability": c.capability,
                "quantity": 2, "personnel": 10, "readiness": "L2", "mission": c.mission,
                "monthly_cost_usd": "1.00"
            });
            ids.push(create(&app, body).await);
            store_monthly_cost_cents(&app.store, c.state, c.reference, c.cents)
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
        }
        let (pak_cents, _) = expected(|c| c.state == "PAK");
        assert!(
            pak_cents[0].1 > i128::from(i64::MAX),
            "one state's sum passes i64 alone"
        );

        let all = expected(|_| true);
        check_countries(&app, "", &all).await;
        let sorted = json_ok(
            &app,
            "/api/v1/reports/countries?sort=monthly_cost_usd&order=desc",
        )
        .await;
        let order: Vec<&str> = sorted["rows"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["member_state"].as_str())
            .collect();
        assert_eq!(
            order,
            ["PAK", "GHA", "BGD"],
            "{backend}: sorted by the exact sums"
        );
        for (state, cents) in &all.0 {
            check_country(&app, state, "", *cents).await;
        }

        let cookie = log_in(&app, &app.viewer).await;
        let (table, html) = page(&app, "/countries", Some(&cookie)).await;
        assert_eq!(table.status, StatusCode::OK, "{backend}: {html}");
        assert!(
            html.contains(&pledgeboard_http::group_digits(&usd(all.1))),
            "{backend}: the page shows the exact total, its digits grouped"
        );
        for (state, cents) in &all.0 {
            let (one, html) = page(&app, &format!("/countries/{state}"), Some(&cookie)).await;
            assert_eq!(one.status, StatusCode::OK, "{backend}: {html}");
            assert!(
                html.contains(&format!(
                    "id=\"total-cost\">{}</td>",
                    pledgeboard_http::group_digits(&usd(*cents))
                )),
                "{backend}: {state}'s page"
            );
        }

        // The board as it stood before two of the largest pledges were withdrawn.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let before = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let as_of = format!("?as_of={before}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        for i in [0, 4] {
            let answer = withdraw(&app, ids[i]).await;
            assert_eq!(answer.status, StatusCode::OK, "{backend}: {}", answer.json);
        }
        check_countries(&app, &as_of, &all).await;
        for (state, cents) in &all.0 {
            check_country(&app, state, &as_of, *cents).await;
        }
        let now = expected(|c| !matches!(c.reference, "BIG-1" | "BIG-4"));
        assert!(
            now.0[0].1 > i128::from(i64::MAX),
            "Pakistan's sum still passes i64"
        );
        check_countries(&app, "", &now).await;
        for (state, cents) in &now.0 {
            check_country(&app, state, "", *cents).await;
        }
    }
}
