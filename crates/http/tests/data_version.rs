//! Through the API: every committed change raises the data version by one and its event
//! carries the version it committed as; a PATCH that changes nothing, a dry run and a failed
//! import raise nothing and tell no board. SQLite always, PostgreSQL when configured.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use pledgeboard_http::Changes;
use serde_json::json;
use support::shortcuts::create;
use support::{Answer, TestApp, apps, pledge_body};
use tokio::sync::broadcast::error::TryRecvError;

async fn import(app: &TestApp, csv: &str, dry_run: bool) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/imports/pledges?dry_run={dry_run}"))
        .header("authorization", format!("Bearer {}", app.planner))
        .header("content-type", "text/csv")
        .body(Body::from(csv.to_owned()))
        .unwrap_or_else(|e| panic!("{e:?}"));
    app.send(request).await
}

/// The one event a change published; it carries the version now stored, one above `before`.
async fn one_event(app: &TestApp, events: &mut Changes, before: i64) -> i64 {
    let event = events
        .try_recv()
        .unwrap_or_else(|e| panic!("{}: {e}", app.backend));
    let now = app
        .store
        .data_version()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(now, before + 1, "{}: {event:?}", app.backend);
    assert_eq!(event.data_version, now, "{}", app.backend);
    assert!(matches!(events.try_recv(), Err(TryRecvError::Empty)));
    now
}

async fn nothing(app: &TestApp, events: &mut Changes, before: i64, what: &str) {
    assert!(
        matches!(events.try_recv(), Err(TryRecvError::Empty)),
        "{}: {what}",
        app.backend
    );
    assert_eq!(
        app.store
            .data_version()
            .await
            .unwrap_or_else(|e| panic!("{e:?}")),
        before,
        "{}: {what}",
        app.backend
    );
}

const FILE: &str = "pledge_ref,member_state,capability,quantity,readiness\nDV-1,GHA,INF-COY,1,L1\n";
const BAD: &str = "pledge_ref,member_state,capability,quantity,readiness\nDV-2,GHA,NO-SUCH,1,L1\n";

#[tokio::test]
async fn each_change_raises_the_version_once_and_its_event_carries_it() {
    for app in apps(false).await {
        let mut events = app.state.subscribe();
        let v = app
            .store
            .data_version()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));

        let id = create(&app, pledge_body("PAK", "DV-A")).await;
        let v = one_event(&app, &mut events, v).await;

        let path = format!("/api/v1/pledges/{id}");
        let changed = app
            .patch(&path, &app.planner, None, json!({"quantity": 3}))
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
        let v = one_event(&app, &mut events, v).await;

        let same = app
            .patch(&path, &app.planner, None, json!({"quantity": 3}))
            .await;
        assert_eq!(same.status, StatusCode::OK, "{}", same.json);
        nothing(&app, &mut events, v, "a PATCH that changes nothing").await;

        let withdrawn = support::shortcuts::withdraw(&app, id).await;
        assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.json);
        let v = one_event(&app, &mut events, v).await;

        let dry = import(&app, FILE, true).await;
        assert_eq!(dry.status, StatusCode::OK, "{}", dry.json);
        nothing(&app, &mut events, v, "a dry run").await;

        let real = import(&app, FILE, false).await;
        assert_eq!(real.status, StatusCode::OK, "{}", real.json);
        let v = one_event(&app, &mut events, v).await;

        import(&app, FILE, false).await;
        nothing(&app, &mut events, v, "an import of unchanged rows").await;

        let failed = import(&app, BAD, false).await;
        assert_eq!(failed.json["applied"], json!(false), "{}", failed.json);
        nothing(&app, &mut events, v, "a failed import").await;

        let requirement = app
            .call(
                Method::POST,
                "/api/v1/requirements",
                Some(&app.admin),
                &[],
                Some(
                    json!({"mission": "UNMISS", "capability": "INF-COY", "quantity": 2,
                    "personnel": 300, "needed_by": "2027-01-01", "priority": "high"}),
                ),
            )
            .await;
        assert_eq!(
            requirement.status,
            StatusCode::CREATED,
            "{}",
            requirement.json
        );
        let v = one_event(&app, &mut events, v).await;
        let rid = requirement.json["id"].as_i64().unwrap_or_default();
        let deleted = app
            .call(
                Method::DELETE,
                &format!("/api/v1/requirements/{rid}"),
                Some(&app.admin),
                &[],
                None,
            )
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT);
        one_event(&app, &mut events, v).await;
    }
}
