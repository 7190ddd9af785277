//! Every report's whole JSON answer, byte for byte (field order included), on a small board
//! whose figures do not depend on the day the test runs (every renewal is long overdue). The
//! snapshots were recorded while the domain's report structs still derived `Serialize`; the
//! API's typed response structs must answer exactly the same text.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;
use support::shortcuts::create;
use support::{TestApp, apps, pledge_body};

async fn board(app: &TestApp) {
    for requirement in [
        json!({"mission": "MINUSCA", "capability": "HEL-UTIL", "quantity": 5, "personnel": 200, "needed_by": "2026-06-30", "priority": "critical"}),
        json!({"mission": "MINUSCA", "capability": "SF-COY", "quantity": 2, "personnel": 300, "needed_by": "2026-01-31", "priority": "normal"}),
        json!({"mission": "UNMISS", "capability": "INF-BN", "quantity": 1, "personnel": 850, "needed_by": "2025-12-31", "priority": "high"}),
    ] {
        let answer = app
            .post("/api/v1/requirements", &app.admin, requirement)
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
    }
    let mut joint = pledge_body("PAK", "PAK-H1");
    joint["registered_on"] = json!("2020-01-15");
    create(app, joint).await;
    let mut unearmarked = pledge_body("PAK", "PAK-I1");
    unearmarked["capability"] = json!("INF-BN");
    unearmarked["quantity"] = json!(1);
    unearmarked["personnel"] = json!(850);
    unearmarked["female_personnel"] = json!(120);
    unearmarked["mission"] = json!(null);
    unearmarked["partners"] = json!([]);
    unearmarked["equipment"] = json!([]);
    unearmarked["registered_on"] = json!("2020-02-01");
    unearmarked["renewed_on"] = json!("2021-03-01");
    create(app, unearmarked).await;
    let mut firm = pledge_body("GHA", "GHA-S1");
    firm["capability"] = json!("SF-COY");
    firm["quantity"] = json!(1);
    firm["personnel"] = json!(150);
    firm["female_personnel"] = json!(9);
    firm["status"] = json!("verified");
    firm["readiness"] = json!("RDL");
    firm["available_from"] = json!("2025-11-01");
    firm["partners"] = json!([{"member_state": "PAK", "role": "trains"}]);
    firm["equipment"] = json!([]);
    firm["monthly_cost_usd"] = json!("99999.99");
    firm["registered_on"] = json!("2020-06-30");
    create(app, firm).await;
}

async fn body(app: &TestApp, path: &str) -> String {
    let request = Request::get(path)
        .header("authorization", format!("Bearer {}", app.viewer))
        .body(Body::empty())
        .unwrap_or_default();
    let (answer, text) = app.exchange(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}: {text}");
    text
}

const REPORTS: [(&str, &str); 6] = [
    ("coverage", "/api/v1/reports/coverage"),
    ("allocation", "/api/v1/reports/allocation"),
    ("countries", "/api/v1/reports/countries"),
    (
        "countries_by_cost",
        "/api/v1/reports/countries?sort=monthly_cost_usd&order=desc",
    ),
    ("country_pak", "/api/v1/reports/countries/PAK"),
    ("renewals", "/api/v1/reports/renewals"),
];

#[tokio::test]
async fn every_report_answers_the_recorded_text() {
    let apps = apps(false).await;
    for app in &apps {
        board(app).await;
    }
    for (name, path) in REPORTS {
        let text = body(&apps[0], path).await;
        insta::assert_snapshot!(format!("answer_{name}"), text);
        for app in &apps[1..] {
            assert_eq!(body(app, path).await, text, "{}: {path}", app.backend);
        }
    }
}
