//! The bound on `monthly_cost_usd` through the real router, on every backend: refused on every
//! path that takes a cost (API create and PATCH, the new-pledge and edit forms, CSV and `.xlsx`
//! imports), while a cost stored before the bound still reads, lists, exports and survives the
//! changes that leave it as it is.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use pledgeboard_domain::testing;
use pledgeboard_store::testing::store_monthly_cost_cents;
use serde_json::{Value, json};
use support::pages::{error_beside, log_in, page, submit};
use support::shortcuts::{create, json_ok, text, withdraw};
use support::{Answer, TestApp, apps, pledge_body};

/// Words every refusal of a cost over the bound carries.
const BOUND_WORDS: &str = "at most one trillion US dollars (1000000000000.00)";

/// Over the bound by one cent.
const JUST_OVER: &str = "1000000000000.01";

/// A cost stored before the bound: 90,000,000,000,000,000.00 USD, in cents and as written.
const HUGE_CENTS: i64 = 9_000_000_000_000_000_000;
const HUGE_USD: &str = "90000000000000000.00";

async fn upload(app: &TestApp, path: &str, body: Vec<u8>, content_type: &str) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("authorization", format!("Bearer {}", app.planner))
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"));
    app.send(request).await
}

/// `PATCH`es pledge `path`'s monthly cost to `cost` as the planner.
async fn set_cost(app: &TestApp, path: &str, cost: &str) -> Answer {
    app.patch(
        path,
        &app.planner,
        None,
        json!({ "monthly_cost_usd": cost }),
    )
    .await
}

/// The messages of the errors naming `field` (or CSV `column`) in a problem body.
fn messages_for(problem: &Value, field: &str) -> Vec<String> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["field"] == field || e["column"] == field)
        .filter_map(|e| e["message"].as_str().map(str::to_owned))
        .collect()
}

fn refused_for_the_bound(answer: &Answer, what: &str) {
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what}: {}",
        answer.json
    );
    let messages = messages_for(&answer.json, "monthly_cost_usd");
    assert!(
        messages.iter().any(|m| m.contains(BOUND_WORDS)),
        "{what}: {}",
        answer.json
    );
}

async fn pledge_count(app: &TestApp) -> usize {
    json_ok(app, "/api/v1/pledges?limit=1000").await["items"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn a_monthly_cost_over_one_trillion_dollars_is_refused_on_every_path() {
    for app in apps(false).await {
        let backend = app.backend;
        let mut body = pledge_body("PAK", "COST-1");
        body["monthly_cost_usd"] = json!(JUST_OVER);
        let created = app
            .post("/api/v1/pledges", &app.planner, body.clone())
            .await;
        refused_for_the_bound(&created, &format!("{backend}: API create"));
        body["monthly_cost_usd"] = json!("99999999999999999999999999999999999999.00");
        let created = app
            .post("/api/v1/pledges", &app.planner, body.clone())
            .await;
        refused_for_the_bound(
            &created,
            &format!("{backend}: API create, past any integer"),
        );
        assert_eq!(pledge_count(&app).await, 0, "{backend}: nothing was stored");

        body["monthly_cost_usd"] = json!("1000000000000.00");
        let id = create(&app, body).await;
        let path = format!("/api/v1/pledges/{id}");
        let patched = set_cost(&app, &path, JUST_OVER).await;
        refused_for_the_bound(&patched, &format!("{backend}: API PATCH"));
        let now = json_ok(&app, &path).await;
        assert_eq!(
            (now["monthly_cost_usd"].as_str(), now["version"].as_i64()),
            (Some("1000000000000.00"), Some(1)),
            "{backend}: the refused PATCH changed nothing"
        );

        let cookie = log_in(&app, &app.planner).await;
        let fields = [
            ("pledge_ref", "COST-2"),
            ("member_state", "PAK"),
            ("capability", "QRF-COY"),
            ("quantity", "1"),
            ("monthly_cost_usd", JUST_OVER),
        ];
        let (answer, html) = submit(&app, "/pledges/new", &fields, &cookie).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend}: new-pledge form"
        );
        assert!(
            error_beside(&html, "monthly_cost_usd").contains(BOUND_WORDS),
            "{backend}: the error is beside the cost field: {html}"
        );
        assert_eq!(
            pledge_count(&app).await,
            1,
            "{backend}: the form saved nothing"
        );

        let edit = [("version", "1"), ("monthly_cost_usd", JUST_OVER)];
        let (answer, html) = submit(&app, &format!("/pledges/{id}"), &edit, &cookie).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{backend}: edit form"
        );
        assert!(
            error_beside(&html, "monthly_cost_usd").contains(BOUND_WORDS),
            "{backend}: the edit form shows why: {html}"
        );

        let file = format!(
            "pledge_ref,member_state,capability,quantity,monthly_cost_usd\n\
             COST-3,PAK,QRF-COY,1,250.00\n\
             COST-4,PAK,QRF-COY,1,{JUST_OVER}\n"
        );
        let imported = upload(
            &app,
            "/api/v1/imports/pledges?dry_run=false",
            file.into_bytes(),
            "text/csv",
        )
        .await;
        refused_for_the_bound(&imported, &format!("{backend}: CSV import"));
        assert_eq!(imported.json["applied"], false);
        assert_eq!(imported.json["errors"][0]["line"], 3, "{}", imported.json);

        let header = [
            "pledge_ref",
            "member_state",
            "capability",
            "quantity",
            "monthly_cost_usd",
        ];
        let sheet = [
            testing::sheet_start(None),
            testing::inline_row(1, &header),
            testing::typed_row(2, &["COST-5", "PAK", "QRF-COY", "1", "250.5"]),
            testing::typed_row(3, &["COST-6", "PAK", "QRF-COY", "1", "50000000000000000"]),
            testing::SHEET_END.to_owned(),
        ]
        .concat();
        let workbook = testing::Workbook::with_sheet_xml(&sheet).to_bytes();
        let imported = upload(
            &app,
            "/api/v1/imports/pledges?dry_run=false",
            workbook,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .await;
        refused_for_the_bound(&imported, &format!("{backend}: .xlsx import"));
        assert_eq!(imported.json["errors"][0]["line"], 3, "{}", imported.json);
        assert_eq!(
            imported.json["errors"].as_array().map(Vec::len),
            Some(1),
            "{backend}: the .xlsx row under the bound is read as 250.50: {}",
            imported.json
        );
        assert_eq!(
            pledge_count(&app).await,
            1,
            "{backend}: no import applied anything"
        );
    }
}

#[tokio::test]
async fn a_cost_stored_before_the_bound_reads_and_stays_through_changes_that_leave_it() {
    for app in apps(false).await {
        let backend = app.backend;
        let id = create(&app, pledge_body("PAK", "OLD-1")).await;
        store_monthly_cost_cents(&app.store, "PAK", "OLD-1", HUGE_CENTS)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        let stored = HUGE_USD.to_owned();
        let path = format!("/api/v1/pledges/{id}");
        assert_eq!(
            json_ok(&app, &path).await["monthly_cost_usd"],
            json!(stored)
        );
        let listed = json_ok(&app, "/api/v1/pledges?member_state=PAK").await;
        assert_eq!(
            listed["items"][0]["monthly_cost_usd"],
            json!(stored),
            "{backend}"
        );
        let export = text(&app, "/api/v1/exports/pledges.csv").await;
        assert!(export.contains(&stored), "{backend}: {export}");

        let patched = app
            .patch(&path, &app.planner, None, json!({"quantity": 3}))
            .await;
        assert_eq!(
            patched.status,
            StatusCode::OK,
            "{backend}: {}",
            patched.json
        );
        assert_eq!(
            (
                patched.json["quantity"].as_i64(),
                patched.json["monthly_cost_usd"].as_str()
            ),
            (Some(3), Some(stored.as_str())),
            "{backend}: a change that leaves the cost keeps it"
        );
        let same = set_cost(&app, &path, &stored).await;
        assert_eq!(
            same.status,
            StatusCode::OK,
            "{backend}: restating the stored cost"
        );
        assert_eq!(same.json["version"], 2, "{backend}: and it changes nothing");
        let other = set_cost(&app, &path, "90000000000000000.01").await;
        refused_for_the_bound(&other, &format!("{backend}: a new cost past the bound"));

        let reimport = upload(
            &app,
            "/api/v1/imports/pledges?dry_run=false",
            export.into_bytes(),
            "text/csv",
        )
        .await;
        assert_eq!(
            reimport.status,
            StatusCode::OK,
            "{backend}: {}",
            reimport.json
        );
        assert_eq!(
            (
                reimport.json["updated"].as_u64(),
                reimport.json["created"].as_u64()
            ),
            (Some(1), Some(0)),
            "{backend}: the export's quantity is older; its cost is the stored one"
        );

        let cookie = log_in(&app, &app.planner).await;
        let (shown, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        assert_eq!(shown.status, StatusCode::OK, "{backend}");
        assert!(
            html.contains(&format!("value=\"{stored}\"")),
            "{backend}: {html}"
        );
        let version = json_ok(&app, &path).await["version"].to_string();
        let edit = [
            ("version", version.as_str()),
            ("quantity", "4"),
            ("monthly_cost_usd", stored.as_str()),
        ];
        let (saved, html) = submit(&app, &format!("/pledges/{id}"), &edit, &cookie).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "{backend}: edit form: {html}"
        );
        let now = json_ok(&app, &path).await;
        assert_eq!(
            (now["quantity"].as_i64(), now["monthly_cost_usd"].as_str()),
            (Some(4), Some(stored.as_str()))
        );

        let withdrawn = withdraw(&app, id).await;
        assert_eq!(
            withdrawn.status,
            StatusCode::OK,
            "{backend}: {}",
            withdrawn.json
        );
        let history = json_ok(&app, &format!("{path}/history")).await;
        assert!(
            history.to_string().contains(&stored),
            "{backend}: {history}"
        );

        // Once lowered, the old cost is a new value like any other.
        let second = create(&app, pledge_body("PAK", "OLD-2")).await;
        store_monthly_cost_cents(&app.store, "PAK", "OLD-2", HUGE_CENTS)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        let path = format!("/api/v1/pledges/{second}");
        let lowered = set_cost(&app, &path, "2500.00").await;
        assert_eq!(
            lowered.status,
            StatusCode::OK,
            "{backend}: {}",
            lowered.json
        );
        let back = set_cost(&app, &path, &stored).await;
        refused_for_the_bound(&back, &format!("{backend}: the old cost again"));
    }
}
