//! Milestones through the real router: recorded and read back, every refusal a planner can
//! meet (order, future date, role, unknown mission, stale `If-Match`), the implied raise in the
//! pledge, its history and the coverage report, one data version and one event per change,
//! the audit trail, an admin's deletion, and the pledge page's form. SQLite always,
//! PostgreSQL when configured.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::pages::{error_beside, log_in, page, submit};
use support::shortcuts::{create, json_ok};
use support::{Answer, TestApp, apps, pledge_body};
use tokio::sync::broadcast::error::TryRecvError;

/// A new L1 pledge of `state` (HEL-UTIL for MINUSCA), recorded by the planner; its id.
async fn l1_pledge(app: &TestApp, state: &str, reference: &str) -> i64 {
    let mut body = pledge_body(state, reference);
    body["readiness"] = json!("L1");
    create(app, body).await
}

fn path(id: i64) -> String {
    format!("/api/v1/pledges/{id}/milestones")
}

/// `POST` a milestone with `token` (and `If-Match` when given).
async fn record(
    app: &TestApp,
    id: i64,
    token: &str,
    if_match: Option<&str>,
    body: Value,
) -> Answer {
    let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
    app.call(Method::POST, &path(id), Some(token), &headers, Some(body))
        .await
}

/// Records a milestone as the planner; it must be created.
async fn recorded(app: &TestApp, id: i64, body: Value) -> Value {
    let answer = record(app, id, &app.planner, None, body).await;
    assert_eq!(
        answer.status,
        StatusCode::CREATED,
        "{}: {}",
        app.backend,
        answer.json
    );
    answer.json
}

/// A 422's first field error as `field: message`.
fn refusal(answer: &Answer) -> String {
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.json
    );
    assert_eq!(answer.content_type, "application/problem+json");
    let e = &answer.json["errors"][0];
    format!(
        "{}: {}",
        e["field"].as_str().unwrap_or_default(),
        e["message"].as_str().unwrap_or_default()
    )
}

#[tokio::test]
async fn a_milestone_round_trips_and_raises_the_pledge_with_its_reason_in_the_history() {
    for app in apps(false).await {
        let id = l1_pledge(&app, "PAK", "MS-API-1").await;
        let nv = record(
            &app,
            id,
            &app.planner,
            None,
            json!({"kind": "nv_received", "date": "2025-05-20", "source_ref": "NV/PAK/2025/0042",
                   "note": "Received at the Permanent Mission"}),
        )
        .await;
        assert_eq!(nv.status, StatusCode::CREATED, "{}", nv.json);
        assert_eq!(nv.header("etag").as_deref(), Some("\"2\""));
        assert_eq!(nv.header("location"), Some(path(id)));
        assert_eq!(nv.json["milestone"]["label"], "Note verbale received");
        assert_eq!(nv.json["milestone"]["recorded_by"], "test planner");
        assert_eq!(nv.json["pledge"]["readiness"], "L1");

        let aav = recorded(
            &app,
            id,
            json!({"kind": "aav_completed", "date": "2025-09-02"}),
        )
        .await;
        assert_eq!(aav["pledge"]["readiness"], "L2", "{}", app.backend);
        assert_eq!(aav["pledge"]["version"], 3);
        let pledge = json_ok(&app, &format!("/api/v1/pledges/{id}")).await;
        assert_eq!(pledge["readiness"], "L2", "{}", app.backend);

        let list = json_ok(&app, &path(id)).await;
        let kinds: Vec<&str> = list["items"]
            .as_array()
            .map(|items| items.iter().filter_map(|m| m["kind"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(kinds, ["nv_received", "aav_completed"], "{}", app.backend);
        assert_eq!(list["items"][0]["source_ref"], "NV/PAK/2025/0042");
        assert_eq!(list["items"][0]["date"], "2025-05-20");

        let history = json_ok(&app, &format!("/api/v1/pledges/{id}/history")).await;
        let last = &history["items"][2];
        assert_eq!(last["event"], "milestone", "{}", app.backend);
        assert_eq!(
            last["reason"],
            "Assessment and Advisory Visit completed on 2025-09-02: readiness raised from L1 to L2"
        );
        assert_eq!(
            last["changes"],
            json!([{"field": "readiness", "before": "L1", "after": "L2"}])
        );
        assert_eq!(history["items"][0]["reason"], Value::Null);

        let deployed = recorded(&app, id, json!({"kind": "deployed", "date": "2025-11-01"})).await;
        assert_eq!(deployed["pledge"]["status"], "deployed", "{}", app.backend);
    }
}

#[tokio::test]
async fn each_rule_is_refused_in_words_and_writes_nothing() {
    for app in apps(false).await {
        let id = l1_pledge(&app, "PAK", "MS-API-2").await;
        recorded(&app, id, json!({"kind": "accepted", "date": "2025-06-01"})).await;
        let version = app.store.data_version().await.unwrap_or_default();

        let backwards = record(
            &app,
            id,
            &app.planner,
            None,
            json!({"kind": "aav_completed", "date": "2025-05-01"}),
        )
        .await;
        assert_eq!(
            refusal(&backwards),
            "date: 'Assessment and Advisory Visit completed' cannot be dated 2025-05-01: \
             'Accepted by the UN', an earlier step, is dated 2025-06-01; date it on or after 2025-06-01"
        );

        let future = record(
            &app,
            id,
            &app.planner,
            None,
            json!({"kind": "aav_completed", "date": "2999-01-01"}),
        )
        .await;
        assert!(
            refusal(&future).starts_with("date: 2999-01-01 is in the future"),
            "{}",
            future.json
        );

        let unknown = record(
            &app,
            id,
            &app.planner,
            None,
            json!({"kind": "selected", "date": "2025-07-01", "mission": "MINUSKA"}),
        )
        .await;
        assert!(
            refusal(&unknown).starts_with("mission: unknown mission 'MINUSKA'"),
            "{}",
            unknown.json
        );

        let twice = record(
            &app,
            id,
            &app.planner,
            None,
            json!({"kind": "accepted", "date": "2025-06-02"}),
        )
        .await;
        assert!(refusal(&twice).starts_with("kind: this pledge already has 'Accepted by the UN'"));

        let bad_kind = record(
            &app,
            id,
            &app.planner,
            None,
            json!({"kind": "visited", "date": ""}),
        )
        .await;
        assert_eq!(bad_kind.json["errors"].as_array().map(Vec::len), Some(2));

        let stale = record(
            &app,
            id,
            &app.planner,
            Some("\"1\""),
            json!({"kind": "aav_completed", "date": "2025-07-01"}),
        )
        .await;
        assert_eq!(
            stale.status,
            StatusCode::PRECONDITION_FAILED,
            "{}",
            stale.json
        );

        assert_eq!(
            app.store.data_version().await.unwrap_or_default(),
            version,
            "{}: a refusal writes nothing",
            app.backend
        );
        let list = json_ok(&app, &path(id)).await;
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    }
}

#[tokio::test]
async fn only_a_role_that_may_change_the_pledge_records_a_milestone() {
    for app in apps(false).await {
        let ghana = l1_pledge(&app, "GHA", "MS-API-3").await;
        let pakistan = l1_pledge(&app, "PAK", "MS-API-4").await;
        let body = json!({"kind": "nv_received", "date": "2025-05-20"});

        let viewer = record(&app, ghana, &app.viewer, None, body.clone()).await;
        assert_eq!(viewer.status, StatusCode::FORBIDDEN, "{}", viewer.json);
        assert_eq!(
            viewer.json["detail"],
            "a viewer may read but not record pledges"
        );
        let other_state = record(&app, ghana, &app.delegate, None, body.clone()).await;
        assert_eq!(other_state.status, StatusCode::FORBIDDEN);
        assert_eq!(
            other_state.json["detail"],
            "a delegate of PAK may record only PAK's pledges, not GHA's"
        );
        let own_state = record(&app, pakistan, &app.delegate, None, body.clone()).await;
        assert_eq!(own_state.status, StatusCode::CREATED, "{}", own_state.json);

        let missing = record(&app, 999_999, &app.planner, None, body).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&path(999_999)).await.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn each_milestone_and_deletion_raises_the_data_version_once_with_its_event() {
    for app in apps(false).await {
        let id = l1_pledge(&app, "PAK", "MS-API-5").await;
        let mut events = app.state.subscribe();
        let mut version = app.store.data_version().await.unwrap_or_default();
        for (kind, date) in [
            ("nv_received", "2025-05-20"),
            ("aav_completed", "2025-09-02"),
        ] {
            recorded(&app, id, json!({"kind": kind, "date": date})).await;
            let event = events
                .try_recv()
                .unwrap_or_else(|e| panic!("{}: {e}", app.backend));
            let now = app.store.data_version().await.unwrap_or_default();
            assert_eq!(now, version + 1, "{}: {kind}", app.backend);
            assert_eq!(
                (event.entity, event.action, event.data_version),
                ("pledge", "milestone", now)
            );
            assert!(matches!(events.try_recv(), Err(TryRecvError::Empty)));
            version = now;
        }
        let milestone_id = json_ok(&app, &path(id)).await["items"][0]["id"]
            .as_i64()
            .unwrap_or_default();
        let deleted = app
            .call(
                Method::DELETE,
                &format!("{}/{milestone_id}", path(id)),
                Some(&app.admin),
                &[],
                None,
            )
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.json);
        let event = events.try_recv().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((event.entity, event.action), ("milestone", "delete"));
        assert_eq!(event.data_version, version + 1, "{}", app.backend);
        assert_eq!(
            app.store.data_version().await.unwrap_or_default(),
            version + 1
        );
    }
}

#[tokio::test]
async fn a_milestone_is_audited_and_an_admin_deletion_too() {
    for app in apps(false).await {
        let id = l1_pledge(&app, "PAK", "MS-API-6").await;
        let m = recorded(
            &app,
            id,
            json!({"kind": "sur_aligned", "date": "2025-09-02"}),
        )
        .await;
        let milestone_id = m["milestone"]["id"].as_i64().unwrap_or_default();
        let audit = app
            .call(
                Method::GET,
                &format!("/api/v1/audit?entity=pledge&entity_id={id}"),
                Some(&app.admin),
                &[],
                None,
            )
            .await;
        let last = audit.json["items"]
            .as_array()
            .and_then(|items| items.last().cloned())
            .unwrap_or_default();
        assert_eq!(
            last["action"], "milestone",
            "{}: {}",
            app.backend, audit.json
        );
        assert_eq!(last["actor"], "test planner");
        assert_eq!(last["after"]["readiness"], "L3");
        assert_eq!(last["after"]["milestone"]["kind"], "sur_aligned");

        let one = format!("{}/{milestone_id}", path(id));
        let by_planner = app
            .call(Method::DELETE, &one, Some(&app.planner), &[], None)
            .await;
        assert_eq!(by_planner.status, StatusCode::FORBIDDEN);
        let by_admin = app
            .call(Method::DELETE, &one, Some(&app.admin), &[], None)
            .await;
        assert_eq!(by_admin.status, StatusCode::NO_CONTENT, "{}", by_admin.json);
        let again = app
            .call(Method::DELETE, &one, Some(&app.admin), &[], None)
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert_eq!(
            json_ok(&app, &path(id)).await["items"],
            json!([]),
            "{}",
            app.backend
        );
        let pledge = json_ok(&app, &format!("/api/v1/pledges/{id}")).await;
        assert_eq!(pledge["readiness"], "L3", "a deletion lowers nothing");

        let deletions = app
            .call(
                Method::GET,
                &format!("/api/v1/audit?entity=milestone&entity_id={milestone_id}"),
                Some(&app.admin),
                &[],
                None,
            )
            .await;
        assert_eq!(deletions.json["items"][0]["action"], "delete");
        assert_eq!(deletions.json["items"][0]["actor"], "test admin");
        assert_eq!(deletions.json["items"][0]["before"]["kind"], "sur_aligned");
    }
}

#[tokio::test]
async fn a_raise_by_milestone_reaches_the_cached_coverage_report() {
    for app in apps(false).await {
        let requirement = app
            .call(
                Method::POST,
                "/api/v1/requirements",
                Some(&app.admin),
                &[],
                Some(
                    json!({"mission": "MINUSCA", "capability": "HEL-UTIL", "quantity": 4,
                            "personnel": 160, "needed_by": "2027-01-01", "priority": "critical"}),
                ),
            )
            .await;
        assert_eq!(
            requirement.status,
            StatusCode::CREATED,
            "{}",
            requirement.json
        );
        let id = l1_pledge(&app, "PAK", "MS-API-7").await;
        let firm = |report: &Value| report["missions"][0]["requirements"][0]["firm"].clone();
        let before = app.get("/api/v1/reports/coverage").await;
        assert_eq!(firm(&before.json), json!(0), "{}", app.backend);
        recorded(
            &app,
            id,
            json!({"kind": "aav_completed", "date": "2025-09-02"}),
        )
        .await;
        let after = app.get("/api/v1/reports/coverage").await;
        assert_ne!(after.header("etag"), before.header("etag"));
        assert_eq!(firm(&after.json), json!(2), "{}", app.backend);
    }
}

#[tokio::test]
async fn the_pledge_page_shows_the_timeline_and_its_form_records_a_milestone() {
    for app in apps(false).await {
        let id = l1_pledge(&app, "PAK", "MS-PAGE-1").await;
        let cookie = log_in(&app, &app.planner).await;
        let (shown, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(html.contains("No milestone recorded yet."), "{html}");
        assert!(
            html.contains(r#"<option value="nv_received" selected>Note verbale received</option>"#),
            "the first step is offered first: {html}"
        );

        let form = format!("/pledges/{id}/milestones");
        let (refused, html) = submit(
            &app,
            &form,
            &[
                ("milestone_kind", "aav_completed"),
                ("milestone_date", "2999-01-01"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert!(
            error_beside(&html, "milestone_date").starts_with("2999-01-01 is in the future"),
            "{html}"
        );
        assert!(
            html.contains(r#"value="2999-01-01""#),
            "the typed date is kept"
        );

        let (done, _) = submit(
            &app,
            &form,
            &[
                ("milestone_kind", "aav_completed"),
                ("milestone_date", "2025-09-02"),
                ("milestone_mission", ""),
                ("milestone_source_ref", "UN/DPO/AAV/2025/17"),
                ("milestone_note", "Visit to the base at Risalpur"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", app.backend);
        let to = done.header("location").unwrap_or_default();
        assert_eq!(to, format!("/pledges/{id}?milestone#milestones"));
        let (_, html) = page(&app, &format!("/pledges/{id}?milestone"), Some(&cookie)).await;
        assert!(html.contains("Milestone recorded"), "{html}");
        assert!(
            html.contains("<strong>Assessment and Advisory Visit completed</strong>"),
            "{html}"
        );
        assert!(html.contains("readiness raised from L1 to L2"), "{html}");
        assert!(html.contains("Source: UN/DPO/AAV/2025/17"), "{html}");
        assert!(html.contains("Visit to the base at Risalpur"), "{html}");
        assert!(
            !html.contains(r#"<option value="aav_completed""#),
            "a recorded kind is not offered again"
        );
        assert!(
            html.contains(r#"<option value="sur_aligned" selected>"#),
            "the next step is offered first"
        );
        let pledge = json_ok(&app, &format!("/api/v1/pledges/{id}")).await;
        assert_eq!(pledge["readiness"], "L2");

        support::shortcuts::withdraw(&app, id).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        assert!(
            html.contains("A withdrawn pledge takes no milestones"),
            "{html}"
        );
        assert!(
            !html.contains("milestone-form"),
            "no form on a withdrawn pledge"
        );

        let viewer = log_in(&app, &app.viewer).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&viewer)).await;
        assert!(html.contains("Assessment and Advisory Visit completed"));
        assert!(!html.contains("milestone-form"), "a viewer gets no form");
    }
}

#[tokio::test]
async fn an_admin_deletes_a_milestone_from_the_pledge_page_after_confirming_and_it_is_audited() {
    for app in apps(false).await {
        let id = l1_pledge(&app, "GHA", "DEL-PAGE-1").await;
        let recorded = recorded(&app, id, json!({"kind": "accepted", "date": "2025-06-01"})).await;
        let milestone_id = recorded["milestone"]["id"].as_i64().unwrap_or_default();
        let action = format!("/pledges/{id}/milestones/{milestone_id}/delete");

        // Only an admin sees the button, and only an admin's deletion is carried out.
        let planner = log_in(&app, &app.planner).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&planner)).await;
        assert!(
            !html.contains(&action),
            "{}: a planner sees no delete",
            app.backend
        );
        let (refused, _) = submit(&app, &action, &[("confirm", "yes")], &planner).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", app.backend);

        let admin = log_in(&app, &app.admin).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&admin)).await;
        assert!(html.contains(&format!("action=\"{action}\"")), "{html}");
        assert!(
            html.contains("data-confirm=\"Delete"),
            "a dialog asks first"
        );

        // Without JavaScript, the page asks first and deletes nothing.
        let (asked, html) = submit(&app, &action, &[], &admin).await;
        assert_eq!(asked.status, StatusCode::OK, "{html}");
        assert!(html.contains("Yes, delete it"), "{html}");
        assert_eq!(
            json_ok(&app, &path(id)).await["items"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );

        let (done, _) = submit(&app, &action, &[("confirm", "yes")], &admin).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(
            done.header("location").as_deref(),
            Some(format!("/pledges/{id}?milestone_deleted#milestones").as_str())
        );
        assert_eq!(json_ok(&app, &path(id)).await["items"], json!([]));
        let (_, html) = page(
            &app,
            &format!("/pledges/{id}?milestone_deleted"),
            Some(&admin),
        )
        .await;
        assert!(html.contains("Milestone deleted"), "{html}");
        let audit = app
            .call(
                Method::GET,
                &format!("/api/v1/audit?entity=milestone&entity_id={milestone_id}"),
                Some(&app.admin),
                &[],
                None,
            )
            .await;
        assert_eq!(audit.json["items"][0]["action"], "delete");
        assert_eq!(audit.json["items"][0]["before"]["kind"], "accepted");

        // Deleted already: there is nothing left to delete.
        let (gone, _) = submit(&app, &action, &[], &admin).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", app.backend);
    }
}
