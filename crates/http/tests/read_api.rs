//! The read side of the API: probes, reference lists, pledge lists and problem details.

mod support;

use axum::http::StatusCode;
use support::apps;

#[tokio::test]
async fn probes_answer() {
    for app in apps(false).await {
        assert_eq!(
            app.get("/healthz").await.status,
            StatusCode::OK,
            "{}",
            app.backend
        );
        let ready = app.get("/readyz").await;
        assert_eq!(ready.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(ready.json["status"], "ready");
    }
}

#[tokio::test]
async fn reference_lists_hold_every_item() {
    for app in apps(false).await {
        let states = app.get("/api/v1/member-states").await;
        assert_eq!(
            states.json["items"].as_array().map(Vec::len),
            Some(193),
            "{}",
            app.backend
        );
        let pak = states.json["items"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["code"] == "PAK"))
            .cloned();
        assert_eq!(pak.map(|p| p["name"].clone()), Some("Pakistan".into()));
        let missions = app.get("/api/v1/missions").await;
        assert_eq!(missions.json["items"].as_array().map(Vec::len), Some(11));
        let conferences = app.get("/api/v1/conferences").await;
        let isb = conferences.json["items"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["code"] == "ISB-2023"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(isb["hosts"], serde_json::json!(["PAK", "JPN"]));
        assert_eq!(isb["starts_on"], "2023-08-30");
        let capabilities = app.get("/api/v1/capabilities").await;
        let inf = capabilities.json["items"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["code"] == "INF-BN"))
            .cloned()
            .unwrap_or_default();
        assert_eq!(inf["category"], "unit");
        assert_eq!(inf["counts_toward_coverage"], true);
    }
}

#[tokio::test]
async fn pledges_filter_by_member_state_code_or_name() {
    for app in apps(true).await {
        let by_code = app.get("/api/v1/pledges?member_state=PAK&limit=1000").await;
        assert_eq!(by_code.status, StatusCode::OK, "{}", app.backend);
        let items = by_code.json["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(
            items.len() >= 8,
            "{}: {} PAK pledges",
            app.backend,
            items.len()
        );
        assert!(items.iter().all(|p| p["member_state"] == "PAK"));
        let by_name = app
            .get("/api/v1/pledges?member_state=pakistan&limit=1000")
            .await;
        assert_eq!(by_name.json["items"], by_code.json["items"]);
        assert_eq!(by_code.json["next_cursor"], serde_json::Value::Null);
    }
}

#[tokio::test]
async fn a_pledge_has_the_documented_shape() {
    for app in apps(true).await {
        let page = app.get("/api/v1/pledges?limit=1").await;
        let id = page.json["items"][0]["id"].as_i64().unwrap_or_default();
        let one = app.get(&format!("/api/v1/pledges/{id}")).await;
        assert_eq!(one.status, StatusCode::OK);
        let p = one.json;
        for field in [
            "id",
            "pledge_ref",
            "member_state",
            "capability",
            "category",
            "quantity",
            "personnel",
            "female_personnel",
            "readiness",
            "available_from",
            "duration_months",
            "mission",
            "conference",
            "status",
            "caveats",
            "monthly_cost_usd",
            "partners",
            "equipment",
            "notes",
            "registered_on",
            "renewed_on",
            "renewal_due",
            "version",
            "created_at",
            "updated_at",
        ] {
            assert!(
                p.get(field).is_some(),
                "{}: field {field} missing from {p}",
                app.backend
            );
        }
        assert_eq!(p, page.json["items"][0]);
        if let Some(cost) = p["monthly_cost_usd"].as_str() {
            assert!(
                cost.split_once('.')
                    .is_some_and(|(_, cents)| cents.len() == 2),
                "money as a two-place string: {cost}"
            );
        }
        assert!(p["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    }
}

#[tokio::test]
async fn paging_walks_every_pledge_once() {
    for app in apps(true).await {
        let all = app.get("/api/v1/pledges?limit=1000").await.json["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut seen = Vec::new();
        let mut path = "/api/v1/pledges?limit=50".to_owned();
        loop {
            let page = app.get(&path).await;
            seen.extend(page.json["items"].as_array().cloned().unwrap_or_default());
            match page.json["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/pledges?limit=50&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen, all, "{}", app.backend);
        assert!(all.len() > 100);
    }
}

#[tokio::test]
async fn bad_filters_are_422_with_every_problem_named() {
    for app in apps(false).await {
        let answer = app
            .get("/api/v1/pledges?member_state=Pakistn&limit=5000&readiness=L9")
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.content_type, "application/problem+json");
        assert_eq!(answer.json["type"], "urn:pledgeboard:problem:invalid");
        assert_eq!(answer.json["status"], 422);
        let errors = answer.json["errors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let fields: Vec<_> = errors
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            fields,
            ["member_state", "readiness", "limit"],
            "{}",
            app.backend
        );
        assert_eq!(
            errors[0]["message"],
            "unknown member state 'Pakistn' — did you mean Pakistan (PAK)?"
        );
        assert_eq!(errors[0]["value"], "Pakistn");
    }
}

#[tokio::test]
async fn missing_things_are_problem_details() {
    for app in apps(false).await {
        let missing = app.get("/api/v1/pledges/999999").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.content_type, "application/problem+json");
        assert_eq!(missing.json["detail"], "pledge 999999 does not exist");

        let bad_path = app.get("/api/v1/pledges/abc").await;
        assert_eq!(bad_path.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad_path.content_type, "application/problem+json");

        let nowhere = app.get("/api/v1/nothing-here").await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
        assert_eq!(nowhere.json["type"], "urn:pledgeboard:problem:not-found");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    for app in apps(false).await {
        let answer = app.get("/healthz").await;
        assert!(answer.response.headers().get("x-request-id").is_some());
        let echoed = app
            .send(
                axum::http::Request::get("/healthz")
                    .header("x-request-id", "abc-123")
                    .body(axum::body::Body::empty())
                    .unwrap_or_default(),
            )
            .await;
        assert_eq!(
            echoed
                .response
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok()),
            Some("abc-123")
        );
    }
}
