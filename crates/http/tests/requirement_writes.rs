//! Requirements, missions and conferences: admins write, others read.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::apps;

fn requirement() -> serde_json::Value {
    json!({"mission": "unmiss", "capability": "SF-COY", "quantity": 2, "personnel": 200, "needed_by": "2026-06-30", "priority": "critical"})
}

#[tokio::test]
async fn admins_create_replace_and_delete_requirements() {
    for app in apps(false).await {
        let created = app
            .post("/api/v1/requirements", &app.admin, requirement())
            .await;
        assert_eq!(
            created.status,
            StatusCode::CREATED,
            "{}: {}",
            app.backend,
            created.json
        );
        assert_eq!(created.json["mission"], "UNMISS");
        let id = created.json["id"].as_i64().unwrap_or_default();
        let path = format!("/api/v1/requirements/{id}");

        let duplicate = app
            .post("/api/v1/requirements", &app.admin, requirement())
            .await;
        assert_eq!(duplicate.status, StatusCode::CONFLICT);
        assert_eq!(
            duplicate.json["detail"],
            "UNMISS already has a requirement for SF-COY; change that one instead"
        );

        let mut changed = requirement();
        changed["quantity"] = json!(3);
        let replaced = app
            .call(
                Method::PUT,
                &path,
                Some(&app.admin),
                &[("if-match", "\"1\"")],
                Some(changed.clone()),
            )
            .await;
        assert_eq!(replaced.status, StatusCode::OK);
        assert_eq!(
            (
                replaced.json["quantity"].clone(),
                replaced.json["version"].clone()
            ),
            (json!(3), json!(2))
        );
        let stale = app
            .call(
                Method::PUT,
                &path,
                Some(&app.admin),
                &[("if-match", "\"1\"")],
                Some(changed),
            )
            .await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);

        let listed = app.get("/api/v1/requirements?mission=UNMISS").await;
        assert_eq!(listed.json["items"].as_array().map(Vec::len), Some(1));

        let deleted = app
            .call(Method::DELETE, &path, Some(&app.admin), &[], None)
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
        let audit = app
            .get(&format!("/api/v1/audit?entity=requirement&entity_id={id}"))
            .await
            .json["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let actions: Vec<_> = audit
            .iter()
            .map(|e| e["action"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(actions, ["create", "update", "delete"]);
        assert_eq!(audit[2]["before"]["quantity"], 3);
    }
}

#[tokio::test]
async fn requirement_validation_reports_every_field() {
    for app in apps(false).await {
        let body = json!({"mission": "MINUSKA", "capability": "TRN-MTT", "quantity": 0, "needed_by": "30/06/2026", "priority": "urgent"});
        let answer = app.post("/api/v1/requirements", &app.admin, body).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        let fields: Vec<_> = answer.json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(
            fields,
            ["mission", "capability", "quantity", "needed_by", "priority"]
        );
        assert_eq!(
            answer.json["errors"][1]["message"],
            "TRN-MTT is a training pledge, not capacity a mission can require"
        );
    }
}

#[tokio::test]
async fn only_admins_write_requirements_missions_and_conferences() {
    for app in apps(false).await {
        for token in [&app.planner, &app.delegate, &app.viewer] {
            assert_eq!(
                app.post("/api/v1/requirements", token, requirement())
                    .await
                    .status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(
                app.post(
                    "/api/v1/missions",
                    token,
                    json!({"acronym": "UNTEST", "name": "x", "location": "y"})
                )
                .await
                .status,
                StatusCode::FORBIDDEN
            );
        }
        assert_eq!(
            app.get("/api/v1/requirements").await.status,
            StatusCode::OK,
            "viewers read"
        );
    }
}

#[tokio::test]
async fn a_new_mission_and_conference_can_be_used_at_once() {
    for app in apps(false).await {
        let mission = app.post("/api/v1/missions", &app.admin, json!({"acronym": "untest", "name": "UN Test Mission", "location": "Testland", "established_on": "2026-01-01"})).await;
        assert_eq!(
            mission.status,
            StatusCode::CREATED,
            "{}: {}",
            app.backend,
            mission.json
        );
        assert_eq!(
            app.post(
                "/api/v1/missions",
                &app.admin,
                json!({"acronym": "UNTEST", "name": "again", "location": "y"})
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        let conference = app.post("/api/v1/conferences", &app.admin, json!({"code": "tst-2026", "name": "Test", "hosts": ["Pakistan", "JP"], "location": "Islamabad", "starts_on": "2026-05-01", "ends_on": "2026-05-02"})).await;
        assert_eq!(
            conference.status,
            StatusCode::CREATED,
            "{}",
            conference.json
        );
        assert_eq!(conference.json["hosts"], json!(["PAK", "JPN"]));
        let mut body = support::pledge_body("PAK", "NEW-MISSION-1");
        body["mission"] = json!("UNTEST");
        body["conference"] = json!("TST-2026");
        assert_eq!(
            app.post("/api/v1/pledges", &app.planner, body).await.status,
            StatusCode::CREATED,
            "the catalog was reloaded"
        );
        let renamed = app
            .call(
                Method::PUT,
                "/api/v1/missions/UNTEST",
                Some(&app.admin),
                &[],
                Some(json!({"name": "UN Test Mission II", "location": "Testland"})),
            )
            .await;
        assert_eq!(renamed.status, StatusCode::OK);
        let missions = app.get("/api/v1/missions").await.json["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(missions.iter().any(|m| m["name"] == "UN Test Mission II"));
        let backwards = app.call(Method::PUT, "/api/v1/conferences/TST-2026", Some(&app.admin), &[], Some(json!({"name": "Test", "hosts": ["PAK"], "location": "x", "starts_on": "2026-05-02", "ends_on": "2026-05-01"}))).await;
        assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
