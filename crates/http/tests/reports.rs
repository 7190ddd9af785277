//! Reports through the real router: figures that reconcile (totals are sums of rows; JSON and
//! CSV agree), the demo coverage snapshot, sorting, and errors.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use support::{TestApp, apps};

async fn csv(app: &TestApp, path: &str) -> Vec<Vec<String>> {
    let request = Request::get(path)
        .header("authorization", format!("Bearer {}", app.viewer))
        .body(Body::empty())
        .unwrap_or_default();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap_or_else(|e| match e {});
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv; charset=utf-8")
    );
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let mut reader = csv::Reader::from_reader(bytes.as_ref());
    reader
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .unwrap_or_default()
        })
        .collect()
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

#[tokio::test]
async fn coverage_mission_figures_follow_their_rows_and_csv_agrees_with_json() {
    for app in apps(true).await {
        let report = app.get("/api/v1/reports/coverage").await;
        assert_eq!(report.status, StatusCode::OK, "{}", app.backend);
        assert!(
            report.json["note"]
                .as_str()
                .is_some_and(|s| s.contains("indicative"))
        );
        let missions = report.json["missions"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            missions.len(),
            11,
            "every mission has requirements in the demo"
        );
        let rows = csv(&app, "/api/v1/reports/coverage.csv").await;
        let mut csv_index = 0;
        let mut grand: std::collections::HashMap<&str, u64> = Default::default();
        for m in &missions {
            let requirements = m["requirements"].as_array().cloned().unwrap_or_default();
            // Mission figures count requirements and personnel; they never add quantities.
            let count = |keep: &dyn Fn(&Value) -> bool| {
                requirements.iter().filter(|r| keep(r)).count() as u64
            };
            let t = &m["totals"];
            assert_eq!(n(&t["requirements"]), requirements.len() as u64);
            assert_eq!(n(&t["requirements_met"]), count(&|r| n(&r["gap"]) == 0));
            assert_eq!(
                n(&t["requirements_firm"]),
                count(&|r| n(&r["firm_gap"]) == 0)
            );
            assert_eq!(
                n(&t["critical_open"]),
                count(&|r| r["priority"] == "critical" && n(&r["gap"]) > 0)
            );
            let personnel: u64 = requirements
                .iter()
                .map(|r| n(&r["required_personnel"]))
                .sum();
            let covered: u64 = requirements
                .iter()
                .map(|r| n(&r["pledged_personnel"]).min(n(&r["required_personnel"])))
                .sum();
            assert_eq!(n(&t["required_personnel"]), personnel, "{}", m["mission"]);
            assert_eq!(n(&t["covered_personnel"]), covered, "{}", m["mission"]);
            assert!(t.get("required").is_none() && t.get("pledged").is_none());
            for field in ["requirements", "critical_open", "covered_personnel"] {
                *grand.entry(field).or_default() += n(&t[field]);
            }
            for r in &requirements {
                let row = &rows[csv_index];
                csv_index += 1;
                assert_eq!(
                    (row[0].as_str(), row[1].as_str()),
                    (
                        m["mission"].as_str().unwrap_or_default(),
                        r["capability"].as_str().unwrap_or_default()
                    )
                );
                assert_eq!(row[5], r["pledged"].to_string());
                assert_eq!(row[8], r["gap"].to_string());
                assert_eq!(row[10], r["coverage_pct"].as_str().unwrap_or_default());
                let pct: f64 = row[10].parse().unwrap_or(-1.0);
                let expected = 100.0 * n(&r["pledged"]) as f64 / n(&r["required"]) as f64;
                assert!((pct - expected).abs() <= 0.05 + 1e-9, "{pct} vs {expected}");
            }
            let total = &rows[csv_index];
            csv_index += 1;
            assert_eq!(total[1], "TOTAL");
            assert_eq!((total[4].as_str(), total[5].as_str()), ("", ""));
            assert_eq!(total[13], t["covered_personnel"].to_string());
            assert_eq!(total[14], t["requirements"].to_string());
            assert_eq!(total[15], t["requirements_met"].to_string());
            assert_eq!(total[17], t["critical_open"].to_string());
            assert_eq!(
                total[18],
                t["personnel_coverage_pct"].as_str().unwrap_or_default()
            );
        }
        let all = &rows[csv_index];
        assert_eq!((all[0].as_str(), all[1].as_str()), ("ALL", "TOTAL"));
        assert_eq!(csv_index + 1, rows.len());
        for field in ["requirements", "critical_open", "covered_personnel"] {
            assert_eq!(
                n(&report.json["totals"][field]),
                grand[field],
                "grand {field}"
            );
        }
        assert_eq!(all[14], report.json["totals"]["requirements"].to_string());
        // Critical first within each mission.
        for m in &missions {
            let ranks: Vec<u8> = m["requirements"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|r| match r["priority"].as_str() {
                    Some("critical") => 0,
                    Some("high") => 1,
                    _ => 2,
                })
                .collect();
            assert!(
                ranks.windows(2).all(|w| w[0] <= w[1]),
                "{} is not critical-first",
                m["mission"]
            );
        }
    }
}

#[tokio::test]
async fn the_demo_coverage_report_is_as_recorded() {
    let apps = apps(true).await;
    let report = apps[0].get("/api/v1/reports/coverage").await.json;
    insta::assert_json_snapshot!("demo_coverage", report);
    for app in &apps[1..] {
        assert_eq!(
            app.get("/api/v1/reports/coverage").await.json,
            report,
            "{} agrees with SQLite",
            app.backend
        );
    }
}

#[tokio::test]
async fn country_totals_are_the_sums_of_their_rows_and_csv_agrees_with_json() {
    for app in apps(true).await {
        let report = app.get("/api/v1/reports/countries").await;
        assert_eq!(report.status, StatusCode::OK, "{}", app.backend);
        let rows = report.json["rows"].as_array().cloned().unwrap_or_default();
        assert!(rows.len() >= 35);
        for field in [
            "pledges",
            "quantity",
            "personnel",
            "female_personnel",
            "renewals_due",
        ] {
            let sum: u64 = rows.iter().map(|r| n(&r[field])).sum();
            assert_eq!(sum, n(&report.json["totals"][field]), "{field}");
        }
        let cents: i64 = rows
            .iter()
            .map(|r| {
                r["monthly_cost_usd"]
                    .as_str()
                    .unwrap_or("0")
                    .replace('.', "")
                    .parse::<i64>()
                    .unwrap_or(0)
            })
            .sum();
        assert_eq!(
            format!("{}.{:02}", cents / 100, cents % 100),
            report.json["totals"]["monthly_cost_usd"]
                .as_str()
                .unwrap_or_default()
        );
        for r in &rows {
            let by_category: u64 = r["by_category"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, v)| n(v))
                .sum();
            assert_eq!(
                by_category,
                n(&r["pledges"]),
                "{} by category",
                r["member_state"]
            );
            let by_readiness: u64 = r["by_readiness"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, v)| n(&v["pledges"]))
                .sum();
            assert_eq!(by_readiness, n(&r["pledges"]));
            let by_capability: u64 = r["by_capability"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, v)| n(&v["quantity"]))
                .sum();
            assert_eq!(by_capability, n(&r["quantity"]));
        }
        let table = csv(&app, "/api/v1/reports/countries.csv").await;
        assert_eq!(
            table.len(),
            rows.len() + 1,
            "a row per state and a TOTAL row"
        );
        for (csv_row, json_row) in table.iter().zip(&rows) {
            assert_eq!(
                csv_row[0],
                json_row["member_state"].as_str().unwrap_or_default()
            );
            assert_eq!(csv_row[3], json_row["quantity"].to_string());
            assert_eq!(
                csv_row[6],
                json_row["female_share_pct"].as_str().unwrap_or_default()
            );
            assert_eq!(
                csv_row[7],
                json_row["monthly_cost_usd"].as_str().unwrap_or_default()
            );
        }
        assert_eq!(table[rows.len()][0], "TOTAL");
        assert_eq!(
            table[rows.len()][2],
            report.json["totals"]["pledges"].to_string()
        );
    }
}

#[tokio::test]
async fn joint_pledges_show_under_partners_without_counting_twice() {
    for app in apps(true).await {
        let all = app.get("/api/v1/pledges?limit=1000").await.json["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let joint = all
            .iter()
            .find(|p| {
                p["status"] != "withdrawn"
                    && p["partners"].as_array().is_some_and(|a| !a.is_empty())
            })
            .cloned()
            .unwrap_or_else(|| panic!("the demo has joint pledges"));
        let partner = joint["partners"][0]["member_state"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let page = app
            .get(&format!("/api/v1/reports/countries/{partner}"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", app.backend);
        let listed = page.json["partnership_pledges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            listed.iter().any(|l| l["pledge_id"] == joint["id"]),
            "{partner} lists pledge {}",
            joint["id"]
        );
        let own_quantity: u64 = all
            .iter()
            .filter(|p| p["member_state"] == partner.as_str() && p["status"] != "withdrawn")
            .map(|p| n(&p["quantity"]))
            .sum();
        assert_eq!(
            n(&page.json["quantity"]),
            own_quantity,
            "the partner's totals hold only its own pledges"
        );
        assert_eq!(n(&page.json["partnerships"]), listed.len() as u64);
    }
}

#[tokio::test]
async fn a_country_page_compares_women_with_the_target() {
    for app in apps(true).await {
        let pak = app.get("/api/v1/reports/countries/pakistan").await;
        assert_eq!(pak.status, StatusCode::OK);
        assert_eq!(pak.json["member_state"], "PAK");
        let gender = pak.json["gender"].as_array().cloned().unwrap_or_default();
        let contingent = gender
            .iter()
            .find(|g| g["category"] == "contingent")
            .cloned()
            .unwrap_or_else(|| panic!("{}", pak.json));
        assert_eq!(contingent["target_pct"], "15.0");
        assert!(
            pak.json["gaps_filled"]
                .as_array()
                .is_some_and(|g| !g.is_empty())
        );
        let single = csv(&app, "/api/v1/reports/countries/PAK.csv").await;
        assert_eq!(single[0][2], pak.json["pledges"].to_string());
        let row = app.get("/api/v1/reports/countries").await.json["rows"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .find(|r| r["member_state"] == "PAK")
            .unwrap_or_default();
        for field in [
            "pledges",
            "quantity",
            "personnel",
            "female_personnel",
            "female_share_pct",
            "monthly_cost_usd",
            "renewals_due",
            "partnerships",
        ] {
            assert_eq!(
                row[field], pak.json[field],
                "{field}: the page and the table agree"
            );
        }
    }
}

#[tokio::test]
async fn the_table_sorts_by_any_column() {
    let app = &apps(true).await[0];
    let rows = app
        .get("/api/v1/reports/countries?sort=personnel&order=desc")
        .await
        .json["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let personnel: Vec<u64> = rows.iter().map(|r| n(&r["personnel"])).collect();
    assert!(personnel.windows(2).all(|w| w[0] >= w[1]));
    let bad = app.get("/api/v1/reports/countries?sort=colour").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let conference = app
        .get("/api/v1/reports/countries?conference=ISB-2023")
        .await
        .json;
    assert!(
        n(&conference["totals"]["pledges"])
            < n(&app.get("/api/v1/reports/countries").await.json["totals"]["pledges"])
    );
}

#[tokio::test]
async fn renewals_list_overdue_and_due_soon_pledges() {
    for app in apps(true).await {
        let answer = app.get("/api/v1/reports/renewals").await;
        let items = answer.json["items"].as_array().cloned().unwrap_or_default();
        assert!(
            !items.is_empty(),
            "{}: the demo has overdue pledges",
            app.backend
        );
        let today = chrono::Utc::now().date_naive();
        let soon = today + chrono::Days::new(30);
        for i in &items {
            let due: chrono::NaiveDate = i["renewal_due"]
                .as_str()
                .unwrap_or_default()
                .parse()
                .unwrap_or_default();
            assert!(due <= soon);
            assert_eq!(i["overdue"], due < today);
        }
        let dues: Vec<&str> = items
            .iter()
            .filter_map(|i| i["renewal_due"].as_str())
            .collect();
        assert!(dues.windows(2).all(|w| w[0] <= w[1]), "soonest first");
        let table_total =
            n(&app.get("/api/v1/reports/countries").await.json["totals"]["renewals_due"]);
        assert_eq!(
            table_total,
            items.len() as u64,
            "the table counts the same renewals"
        );
    }
}

#[tokio::test]
async fn the_allocation_plan_never_uses_a_pledge_twice() {
    for app in apps(true).await {
        let plan = app.get("/api/v1/reports/allocation").await;
        assert_eq!(plan.status, StatusCode::OK);
        let lines = plan.json["lines"].as_array().cloned().unwrap_or_default();
        let mut seen = std::collections::HashSet::new();
        assert!(lines.iter().all(|l| seen.insert(l["pledge_id"].as_i64())));
        assert!(!lines.is_empty(), "{}", app.backend);
    }
}

#[tokio::test]
async fn report_parameters_are_checked() {
    let app = &apps(false).await[0];
    let bad = app
        .get("/api/v1/reports/coverage?mission=MINUSKA&as_of=yesterday")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = bad.json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["mission", "as_of"]);
    let unknown_state = app.get("/api/v1/reports/countries/Pakistn").await;
    assert_eq!(unknown_state.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/api/v1/reports/coverage?as_of=2020-01-01")
            .await
            .json["missions"],
        serde_json::json!([])
    );
}
