//! Recording and changing pledges through the real router: validation, conflicts, ETags,
//! workflow, history, audit and the board as of a past moment.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::{TestApp, apps, apps_with, pledge_body};

async fn create(app: &TestApp, state: &str, reference: &str) -> (i64, String) {
    let answer = app
        .post(
            "/api/v1/pledges",
            &app.planner,
            pledge_body(state, reference),
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::CREATED,
        "{}: {}",
        app.backend,
        answer.json
    );
    (
        answer.json["id"].as_i64().unwrap_or_default(),
        answer.header("etag").unwrap_or_default(),
    )
}

#[tokio::test]
async fn a_recorded_pledge_answers_201_with_etag_location_and_values() {
    for app in apps(false).await {
        let answer = app
            .post(
                "/api/v1/pledges",
                &app.planner,
                pledge_body("pakistan", "PAK-NEW-1"),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", app.backend);
        let id = answer.json["id"].as_i64().unwrap();
        assert_eq!(answer.header("etag").as_deref(), Some("\"1\""));
        assert_eq!(
            answer.header("location"),
            Some(format!("/api/v1/pledges/{id}"))
        );
        let p = &answer.json;
        assert_eq!(p["member_state"], "PAK");
        assert_eq!(p["mission"], "MINUSCA");
        assert_eq!(p["monthly_cost_usd"], "1250000.50");
        assert_eq!(
            p["partners"],
            json!([{"member_state": "JPN", "role": "equips"}])
        );
        assert_eq!(p["equipment"][0]["lease"], "wet");
        assert_eq!(p["status"], "pledged");
        let read = app.get(&format!("/api/v1/pledges/{id}")).await;
        assert_eq!(read.json, answer.json);
        assert_eq!(read.header("etag").as_deref(), Some("\"1\""));
    }
}

#[tokio::test]
async fn every_invalid_field_is_reported_at_once() {
    for app in apps(false).await {
        let body = json!({
            "pledge_ref": "X-1", "member_state": "Pakistn", "capability": "HEL-UTL", "quantity": 0,
            "personnel": 10, "female_personnel": 11, "readiness": "L5", "available_from": "05/06/2026",
            "duration_months": 61, "mission": "MINUSKA", "status": "maybe", "monthly_cost_usd": "1,250.00",
            "partners": [{"member_state": "JPN", "role": "pays"}]
        });
        let answer = app.post("/api/v1/pledges", &app.planner, body).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert_eq!(answer.content_type, "application/problem+json");
        let errors = answer.json["errors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let fields: Vec<&str> = errors.iter().filter_map(|e| e["field"].as_str()).collect();
        for expected in [
            "member_state",
            "capability",
            "quantity",
            "female_personnel",
            "readiness",
            "available_from",
            "duration_months",
            "mission",
            "status",
            "monthly_cost_usd",
            "partners",
        ] {
            assert!(
                fields.contains(&expected),
                "{expected} missing from {fields:?}"
            );
        }
        let message = |field: &str| {
            errors
                .iter()
                .find(|e| e["field"] == field)
                .map(|e| e["message"].clone())
                .unwrap_or_default()
        };
        assert_eq!(
            message("member_state"),
            "unknown member state 'Pakistn' — did you mean Pakistan (PAK)?"
        );
        assert_eq!(
            message("mission"),
            "unknown mission 'MINUSKA' — did you mean MINUSCA?"
        );
        assert_eq!(
            message("female_personnel"),
            "female personnel (11) cannot exceed personnel (10)"
        );
        let count = app.get("/api/v1/pledges").await.json["items"]
            .as_array()
            .map(Vec::len);
        assert_eq!(count, Some(0), "nothing was stored");
    }
}

#[tokio::test]
async fn missing_required_fields_and_unknown_fields_are_422() {
    for app in apps(false).await {
        let missing = app.post("/api/v1/pledges", &app.planner, json!({})).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<_> = missing.json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(
            fields,
            ["pledge_ref", "member_state", "capability", "quantity"],
            "{}",
            app.backend
        );
        let unknown = app
            .post(
                "/api/v1/pledges",
                &app.planner,
                json!({"pledge_ref": "A", "colour": "blue"}),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.json["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("colour")
        );
        let not_json = app
            .call(
                Method::POST,
                "/api/v1/pledges",
                Some(&app.planner),
                &[("content-type", "application/json")],
                None,
            )
            .await;
        assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
        assert_eq!(not_json.content_type, "application/problem+json");
    }
}

#[tokio::test]
async fn a_duplicate_reference_is_409() {
    for app in apps(false).await {
        create(&app, "PAK", "DUP-1").await;
        let again = app
            .post("/api/v1/pledges", &app.admin, pledge_body("PAK", "DUP-1"))
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", app.backend);
        assert_eq!(
            again.json["detail"],
            "PAK already has a pledge with reference 'DUP-1'"
        );
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_413() {
    let settings = pledgeboard_http::HttpSettings {
        max_body_bytes: 1024,
        ..Default::default()
    };
    for app in apps_with(false, settings).await {
        let mut body = pledge_body("PAK", "BIG-1");
        body["notes"] = json!("x".repeat(4096));
        let answer = app.post("/api/v1/pledges", &app.planner, body).await;
        assert_eq!(
            answer.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            app.backend
        );
        assert_eq!(answer.content_type, "application/problem+json");
    }
}

#[tokio::test]
async fn a_stale_if_match_is_412_and_changes_nothing() {
    for app in apps(false).await {
        let (id, etag) = create(&app, "PAK", "ETAG-1").await;
        let path = format!("/api/v1/pledges/{id}");
        let first = app
            .patch(&path, &app.planner, Some(&etag), json!({"quantity": 3}))
            .await;
        assert_eq!(
            first.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            first.json
        );
        assert_eq!(first.header("etag").as_deref(), Some("\"2\""));
        let stale = app
            .patch(&path, &app.planner, Some(&etag), json!({"quantity": 9}))
            .await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(stale.json["type"], "urn:pledgeboard:problem:stale");
        let now = app.get(&path).await;
        assert_eq!(now.json["quantity"], 3);
        assert_eq!(now.json["version"], 2);
    }
}

#[tokio::test]
async fn a_patch_clears_optional_fields_with_null_and_keeps_absent_ones() {
    for app in apps(false).await {
        let (id, _) = create(&app, "PAK", "NULL-1").await;
        let path = format!("/api/v1/pledges/{id}");
        let answer = app
            .patch(
                &path,
                &app.planner,
                None,
                json!({"mission": null, "caveats": "No night flying"}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(answer.json["mission"], serde_json::Value::Null);
        assert_eq!(answer.json["caveats"], "No night flying");
        assert_eq!(answer.json["conference"], "ISB-2025", "absent fields stay");
    }
}

#[tokio::test]
async fn a_forbidden_transition_is_422_naming_the_allowed_ones() {
    for app in apps(false).await {
        let (id, _) = create(&app, "PAK", "FLOW-1").await;
        let path = format!("/api/v1/pledges/{id}");
        let deployed = app
            .patch(&path, &app.planner, None, json!({"status": "deployed"}))
            .await;
        assert_eq!(
            deployed.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert_eq!(
            deployed.json["errors"][0]["message"],
            "a pledged pledge cannot become deployed; allowed: verified, withdrawn"
        );
        let withdrawn = app
            .call(
                Method::POST,
                &format!("{path}/withdraw"),
                Some(&app.planner),
                &[],
                None,
            )
            .await;
        assert_eq!(withdrawn.status, StatusCode::OK);
        assert_eq!(withdrawn.json["status"], "withdrawn");
        let back = app
            .patch(&path, &app.planner, None, json!({"status": "pledged"}))
            .await;
        assert_eq!(back.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            back.json["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("stays withdrawn")
        );
        assert_eq!(
            app.get(&path).await.json["status"],
            "withdrawn",
            "withdrawn pledges are kept"
        );
    }
}

#[tokio::test]
async fn a_change_that_changes_nothing_writes_nothing() {
    for app in apps(false).await {
        let (id, etag) = create(&app, "PAK", "SAME-1").await;
        let path = format!("/api/v1/pledges/{id}");
        let audit_before = app.get("/api/v1/audit?entity=pledge").await.json["items"]
            .as_array()
            .map(Vec::len);
        let same = app
            .patch(
                &path,
                &app.planner,
                Some(&etag),
                json!({"quantity": 2, "mission": "minusca"}),
            )
            .await;
        assert_eq!(same.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(same.json["version"], 1);
        assert_eq!(
            app.get(&format!("{path}/history")).await.json["items"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        let audit_after = app.get("/api/v1/audit?entity=pledge").await.json["items"]
            .as_array()
            .map(Vec::len);
        assert_eq!(audit_after, audit_before);
    }
}

#[tokio::test]
async fn a_delegate_changes_only_its_own_states_pledges() {
    for app in apps(false).await {
        let own = app
            .post(
                "/api/v1/pledges",
                &app.delegate,
                pledge_body("PAK", "DEL-1"),
            )
            .await;
        assert_eq!(own.status, StatusCode::CREATED, "{}", app.backend);
        let other = app
            .post(
                "/api/v1/pledges",
                &app.delegate,
                pledge_body("BGD", "DEL-2"),
            )
            .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        assert_eq!(
            other.json["detail"],
            "a delegate of PAK may record only PAK's pledges, not BGD's"
        );
        let (bgd, _) = create(&app, "BGD", "DEL-3").await;
        let patch = app
            .patch(
                &format!("/api/v1/pledges/{bgd}"),
                &app.delegate,
                None,
                json!({"quantity": 5}),
            )
            .await;
        assert_eq!(patch.status, StatusCode::FORBIDDEN);
        let own_id = own.json["id"].as_i64().unwrap_or_default();
        let moved = app
            .patch(
                &format!("/api/v1/pledges/{own_id}"),
                &app.delegate,
                None,
                json!({"member_state": "BGD"}),
            )
            .await;
        assert_eq!(
            moved.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a pledge stays with its state"
        );
    }
}

#[tokio::test]
async fn history_shows_each_version_with_before_and_after_and_the_audit_agrees() {
    for app in apps(false).await {
        let (id, _) = create(&app, "PAK", "HIST-1").await;
        let path = format!("/api/v1/pledges/{id}");
        for (etag, change) in [
            ("\"1\"", json!({"quantity": 3})),
            ("\"2\"", json!({"readiness": "L3"})),
            ("\"3\"", json!({"status": "verified"})),
        ] {
            let answer = app.patch(&path, &app.admin, Some(etag), change).await;
            assert_eq!(
                answer.status,
                StatusCode::OK,
                "{}: {}",
                app.backend,
                answer.json
            );
        }
        let history = app.get(&format!("{path}/history")).await.json["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(history.len(), 4, "created, then three changes");
        let versions: Vec<_> = history
            .iter()
            .map(|v| v["version"].as_i64().unwrap_or_default())
            .collect();
        assert_eq!(versions, [1, 2, 3, 4]);
        let change = |i: usize| {
            (
                history[i]["changes"][0]["field"].clone(),
                history[i]["changes"][0]["before"].clone(),
                history[i]["changes"][0]["after"].clone(),
            )
        };
        assert_eq!(change(1), (json!("quantity"), json!(2), json!(3)));
        assert_eq!(change(2), (json!("readiness"), json!("L2"), json!("L3")));
        assert_eq!(
            change(3),
            (json!("status"), json!("pledged"), json!("verified"))
        );
        assert!(
            history
                .iter()
                .skip(1)
                .all(|v| v["changes"].as_array().map(Vec::len) == Some(1))
        );
        assert_eq!(history[0]["changed_by"], "test planner");
        assert_eq!(history[3]["changed_by"], "test admin");
        assert_eq!(history[3]["valid_to"], serde_json::Value::Null);
        assert_eq!(
            history[1]["valid_to"], history[2]["valid_from"],
            "versions are contiguous"
        );

        let audit = app
            .get(&format!("/api/v1/audit?entity=pledge&entity_id={id}"))
            .await
            .json["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let actions: Vec<_> = audit
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(actions, ["create", "update", "update", "update"]);
        assert_eq!(audit[1]["before"]["quantity"], 2);
        assert_eq!(audit[1]["after"]["quantity"], 3);
        assert_eq!(audit[3]["actor"], "test admin");
        assert_eq!(audit[3]["actor_role"], "admin");
        assert_eq!(audit[0]["before"], serde_json::Value::Null);
    }
}

#[tokio::test]
async fn the_board_as_of_a_moment_between_two_changes_shows_the_earlier_values() {
    for app in apps(false).await {
        let (id, _) = create(&app, "PAK", "ASOF-1").await;
        let path = format!("/api/v1/pledges/{id}");
        assert_eq!(
            app.patch(&path, &app.planner, None, json!({"quantity": 3}))
                .await
                .status,
            StatusCode::OK
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let between = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        assert_eq!(
            app.patch(
                &path,
                &app.planner,
                None,
                json!({"quantity": 7, "readiness": "RDL"})
            )
            .await
            .status,
            StatusCode::OK
        );

        let then = app
            .store
            .pledge_as_of(id, between)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no version at {between}"));
        assert_eq!(
            (then.quantity, then.readiness.as_str(), then.version),
            (3, "L2", 2),
            "{}",
            app.backend
        );
        let now = app
            .store
            .pledge_as_of(id, chrono::Utc::now())
            .await
            .unwrap_or_default()
            .unwrap_or_else(|| panic!("no current version"));
        assert_eq!((now.quantity, now.version), (7, 3));
        let before_creation = chrono::DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z")
            .map(|t| t.to_utc())
            .unwrap_or_default();
        assert_eq!(
            app.store
                .pledge_as_of(id, before_creation)
                .await
                .unwrap_or_default(),
            None
        );
        let board = app.store.pledges_as_of(between).await.unwrap_or_default();
        assert_eq!(
            board.iter().filter(|p| p.id == id).count(),
            1,
            "one version per pledge at any moment"
        );
    }
}

#[tokio::test]
async fn changes_are_published_as_events() {
    for app in apps(false).await {
        let mut events = app.state.subscribe();
        let (id, _) = create(&app, "PAK", "EVT-1").await;
        app.patch(
            &format!("/api/v1/pledges/{id}"),
            &app.planner,
            None,
            json!({"quantity": 4}),
        )
        .await;
        let first = events.recv().await.unwrap_or_else(|e| panic!("{e}"));
        let second = events.recv().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (first.entity, first.id, first.version, first.action),
            ("pledge", id, 1, "create")
        );
        assert_eq!((second.version, second.action), (2, "update"));
    }
}

#[tokio::test]
async fn the_event_stream_needs_a_token_and_speaks_sse() {
    for app in apps(false).await {
        let anonymous = app
            .call(Method::GET, "/api/v1/events", None, &[], None)
            .await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
        let request = axum::http::Request::get("/api/v1/events")
            .header("authorization", format!("Bearer {}", app.viewer))
            .body(axum::body::Body::empty())
            .unwrap_or_default();
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .unwrap_or_else(|e| match e {});
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/event-stream")
        );
    }
}

#[tokio::test]
async fn requests_without_a_valid_token_are_401_with_a_challenge() {
    for app in apps(false).await {
        for token in [None, Some("pb_not-a-real-token")] {
            let answer = app
                .call(Method::GET, "/api/v1/pledges", token, &[], None)
                .await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
            assert_eq!(
                answer.header("www-authenticate").as_deref(),
                Some("Bearer realm=\"pledgeboard\"")
            );
            assert_eq!(answer.content_type, "application/problem+json");
        }
        let revoked_id = app
            .store
            .list_tokens()
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|t| t.name == "test viewer")
            .map(|t| t.id)
            .unwrap_or_default();
        app.store
            .revoke_token(revoked_id)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            app.get("/api/v1/pledges").await.status,
            StatusCode::UNAUTHORIZED,
            "a revoked token stops working at once"
        );
    }
}
