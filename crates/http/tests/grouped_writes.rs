//! Many `POST /api/v1/pledges` at once through the real router: on SQLite the writer task
//! commits them in groups, yet each request gets its own answer, version, audit entry and
//! event, whose data version is the one its change committed as; a duplicate key among them
//! is a 409 for that request alone. SQLite always, PostgreSQL when configured.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::http::StatusCode;
use pledgeboard_http::ChangeEvent;
use pledgeboard_http::Changes;
use pledgeboard_store::AuditFilter;
use support::{Answer, TestApp, apps, pledge_body};
use tokio::sync::broadcast::error::TryRecvError;
use tokio::task::JoinSet;

/// Requests sent at once: more than a group holds (64), so that groups follow each other.
const AT_ONCE: usize = 80;

/// Posts a pledge of each reference at once, each on a task of its own; the answers in the
/// order of the references.
async fn post_at_once(app: &Arc<TestApp>, references: &[String]) -> Vec<Answer> {
    let mut tasks = JoinSet::new();
    for (i, reference) in references.iter().enumerate() {
        let (app, body) = (Arc::clone(app), pledge_body("GHA", reference));
        tasks.spawn(async move { (i, app.post("/api/v1/pledges", &app.planner, body).await) });
    }
    let mut answers = tasks.join_all().await;
    answers.sort_by_key(|(i, _)| *i);
    answers.into_iter().map(|(_, a)| a).collect()
}

/// Every event published so far.
fn drain(events: &mut Changes) -> Vec<ChangeEvent> {
    let mut all = Vec::new();
    loop {
        match events.try_recv() {
            Ok(event) => all.push(event),
            Err(TryRecvError::Empty) => return all,
            Err(other) => panic!("{other}"),
        }
    }
}

async fn audit_actions(app: &TestApp, id: i64) -> Vec<String> {
    let filter = AuditFilter {
        entity: Some("pledge".into()),
        entity_id: Some(id.to_string()),
        limit: 100,
        ..AuditFilter::default()
    };
    let (entries, _) = app
        .store
        .list_audit(&filter)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    entries.into_iter().map(|e| e.action).collect()
}

async fn data_version(app: &TestApp) -> i64 {
    app.store
        .data_version()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn pledges_posted_at_once_each_get_their_own_id_data_version_audit_entry_and_event() {
    for app in apps(false).await {
        let app = Arc::new(app);
        let backend = app.backend;
        let mut events = app.state.subscribe();
        let start = data_version(&app).await;
        let references: Vec<String> = (0..AT_ONCE).map(|i| format!("HALL-{i}")).collect();
        let answers = post_at_once(&app, &references).await;

        let mut ids = BTreeSet::new();
        for (answer, reference) in answers.iter().zip(&references) {
            assert_eq!(
                answer.status,
                StatusCode::CREATED,
                "{backend}: {}",
                answer.json
            );
            assert_eq!(answer.json["pledge_ref"], reference.as_str(), "{backend}");
            assert_eq!(answer.header("etag").as_deref(), Some("\"1\""), "{backend}");
            ids.insert(answer.json["id"].as_i64().unwrap_or_default());
        }
        assert_eq!(ids.len(), AT_ONCE, "{backend}: distinct ids");

        let published = drain(&mut events);
        assert_eq!(published.len(), AT_ONCE, "{backend}: one event each");
        let by_id: BTreeMap<i64, &ChangeEvent> = published.iter().map(|e| (e.id, e)).collect();
        assert_eq!(
            by_id.keys().copied().collect::<BTreeSet<_>>(),
            ids,
            "{backend}"
        );
        let versions: BTreeSet<i64> = published.iter().map(|e| e.data_version).collect();
        let expected: BTreeSet<i64> = (start + 1..=start + AT_ONCE as i64).collect();
        assert_eq!(
            versions, expected,
            "{backend}: each event its own data version"
        );
        assert_eq!(
            data_version(&app).await,
            start + AT_ONCE as i64,
            "{backend}"
        );
        for event in &published {
            assert_eq!(
                (event.entity, event.action, event.version),
                ("pledge", "create", 1)
            );
            assert_eq!(audit_actions(&app, event.id).await, ["create"], "{backend}");
        }
    }
}

#[tokio::test]
async fn a_duplicate_key_among_pledges_posted_at_once_is_409_and_the_others_are_created() {
    for app in apps(false).await {
        let app = Arc::new(app);
        let backend = app.backend;
        let first = app
            .post("/api/v1/pledges", &app.planner, pledge_body("GHA", "TAKEN"))
            .await;
        assert_eq!(
            first.status,
            StatusCode::CREATED,
            "{backend}: {}",
            first.json
        );
        let mut events = app.state.subscribe();
        let start = data_version(&app).await;
        let mut references: Vec<String> = (0..40).map(|i| format!("ROOM-{i}")).collect();
        references.insert(17, "TAKEN".into());
        let answers = post_at_once(&app, &references).await;

        for (answer, reference) in answers.iter().zip(&references) {
            if reference == "TAKEN" {
                assert_eq!(
                    answer.status,
                    StatusCode::CONFLICT,
                    "{backend}: {}",
                    answer.json
                );
                assert_eq!(answer.content_type, "application/problem+json", "{backend}");
            } else {
                assert_eq!(
                    answer.status,
                    StatusCode::CREATED,
                    "{backend}: {}",
                    answer.json
                );
            }
        }
        let published = drain(&mut events);
        assert_eq!(
            published.len(),
            40,
            "{backend}: no event for the refused one"
        );
        let versions: BTreeSet<i64> = published.iter().map(|e| e.data_version).collect();
        assert_eq!(versions, (start + 1..=start + 40).collect(), "{backend}");
        let listed = app.get("/api/v1/pledges?member_state=GHA&limit=1000").await;
        let stored = listed.json["items"].as_array().map_or(0, Vec::len);
        assert_eq!(stored, 41, "{backend}: TAKEN and the 40 created");
    }
}
