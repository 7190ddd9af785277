//! Two real `pledgeboard serve` processes on one PostgreSQL database behave as one server:
//! events cross between them, concurrent changes and imports through both stay correct, they
//! can start together on an empty database, and a session made on one works on the other.
//! PostgreSQL only (SQLite has one process per file).

use std::time::{Duration, Instant};

use pledgeboard_store::Store;
use pledgeboard_store::testing::{self, fresh_url, postgres_or_not_run};
use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::cli::pledgeboard;
use crate::login::session_cookie;
use crate::server::Server;
use crate::sse::{open_events, read_until};

/// A fresh PostgreSQL database, or `None` (and a NOT RUN line) without a server.
pub async fn shared_database(test: &str) -> Option<String> {
    postgres_or_not_run(test)?;
    Some(
        fresh_url("postgres")
            .await
            .unwrap_or_else(|e| panic!("postgres: {e}")),
    )
}

/// Instance A (with the demo loaded, which prints an admin token) and instance B on `db`.
pub fn two_instances(db: &str) -> (tempfile::TempDir, Server, Server, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = Server::start(dir.path(), &["--demo", "--db", db]);
    let token = a
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no admin token"));
    let b = Server::start(dir.path(), &["--db", db]);
    (dir, a, b, token)
}

/// Records a pledge through `server`; returns its id.
pub async fn record_pledge(client: &Client, server: &Server, token: &str, reference: &str) -> i64 {
    let response = client
        .post(server.url("/api/v1/pledges"))
        .bearer_auth(token)
        .json(&json!({"pledge_ref": reference, "member_state": "PAK", "capability": "QRF-COY", "quantity": 1}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap_or_else(|e| panic!("{e}"));
    created["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{created}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_saved_on_one_instance_reaches_the_other_instances_streams_within_a_second() {
    let Some(db) = shared_database("events across instances").await else {
        return;
    };
    let (_dir, a, b, token) = two_instances(&db);
    let client = Client::new();
    let mut on_b = open_events(&client, &b, ("authorization", &format!("Bearer {token}"))).await;
    let mut on_a = open_events(&client, &a, ("authorization", &format!("Bearer {token}"))).await;

    let saved = Instant::now();
    let id = record_pledge(&client, &a, &token, "ACROSS-1").await;
    let wanted = format!("\"id\":{id},");
    let (text, heard) =
        read_until(&mut on_b, Duration::from_secs(5), |t| t.contains(&wanted)).await;
    let took = saved.elapsed();
    assert!(heard, "B never heard of pledge {id}: {text}");
    assert!(took < Duration::from_secs(1), "B heard after {took:?}");
    assert!(text.contains("\"action\":\"create\""), "{text}");

    // A's own boards hear it once, not once more back from the database.
    let (text, _) = read_until(&mut on_a, Duration::from_secs(2), |_| false).await;
    assert_eq!(text.matches(&wanted).count(), 1, "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_twenty_conflicting_changes_split_across_two_instances_exactly_one_wins() {
    const CLIENTS: usize = 20;
    let Some(db) = shared_database("conflicting changes across instances").await else {
        return;
    };
    let (_dir, a, b, token) = two_instances(&db);
    let client = Client::new();
    let id = record_pledge(&client, &a, &token, "RACE-2").await;
    let urls = [a.url(""), b.url("")];

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(CLIENTS));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..CLIENTS {
        let url = format!("{}/api/v1/pledges/{id}", urls[i % 2]);
        let (client, token, barrier) = (client.clone(), token.clone(), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            client
                .patch(&url)
                .bearer_auth(&token)
                .header(header::IF_MATCH, "\"1\"")
                .json(&json!({"quantity": 2 + i}))
                .send()
                .await
                .map(|r| r.status())
                .unwrap_or_else(|e| panic!("{e}"))
        });
    }
    let statuses = tasks.join_all().await;
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let stale = statuses
        .iter()
        .filter(|s| **s == StatusCode::PRECONDITION_FAILED)
        .count();
    assert_eq!((won, stale), (1, CLIENTS - 1), "{statuses:?}");

    let history: Value = client
        .get(b.url(&format!("/api/v1/pledges/{id}/history")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let versions = history["items"].as_array().map_or(0, Vec::len);
    assert_eq!(versions, 2, "one new version: {history}");
}

/// A pledge file of `PAK` pledges `OVERLAP-{from}` to `OVERLAP-{to - 1}`.
fn pledge_file(from: usize, to: usize) -> String {
    let mut csv = String::from("pledge_ref,member_state,capability,quantity\n");
    for i in from..to {
        csv.push_str(&format!("OVERLAP-{i:04},PAK,QRF-COY,{}\n", 1 + i % 3));
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_overlapping_imports_through_two_instances_at_once_leave_one_copy_of_each_pledge() {
    let Some(db) = shared_database("overlapping imports across instances").await else {
        return;
    };
    let (_dir, a, b, token) = two_instances(&db);
    let client = Client::new();
    let files = [
        (a.url(""), pledge_file(0, 600)),
        (b.url(""), pledge_file(300, 900)),
    ];
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(files.len()));
    let mut tasks = tokio::task::JoinSet::new();
    for (base, file) in files {
        let (client, token, barrier) = (client.clone(), token.clone(), barrier.clone());
        tasks.spawn(async move {
            barrier.wait().await;
            let response = client
                .post(format!("{base}/api/v1/imports/pledges"))
                .bearer_auth(&token)
                .header(header::CONTENT_TYPE, "text/csv")
                .body(file)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let status = response.status();
            let report: Value = response.json().await.unwrap_or_else(|e| panic!("{e}"));
            (status, report)
        });
    }
    let reports = tasks.join_all().await;
    for (status, report) in &reports {
        assert_eq!(*status, StatusCode::OK, "{report}");
        assert_eq!(report["applied"], true, "{report}");
    }
    let created: u64 = reports
        .iter()
        .map(|(_, r)| r["created"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        created, 900,
        "each pledge created by one import only: {reports:?}"
    );

    let store = Store::connect(&db).await.unwrap_or_else(|e| panic!("{e}"));
    let copies = testing::count_pledges_with_ref_prefix(&store, "OVERLAP-")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(copies, (900, 900), "(rows, distinct references)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_started_at_the_same_moment_on_an_empty_database_migrate_it_once() {
    let Some(db) = shared_database("two instances starting at once").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let starts: Vec<_> = (0..2)
        .map(|_| {
            let (db, path, barrier) = (db.clone(), dir.path().to_owned(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                Server::start(&path, &["--db", &db])
            })
        })
        .collect();
    let servers: Vec<Server> = starts
        .into_iter()
        .map(|s| {
            s.join()
                .unwrap_or_else(|_| panic!("an instance failed to start"))
        })
        .collect();
    let client = Client::new();
    for server in &servers {
        let ready = client
            .get(server.url("/readyz"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ready.status(), StatusCode::OK);
    }
    let store = Store::connect(&db).await.unwrap_or_else(|e| panic!("{e}"));
    let applied = store
        .applied_migrations()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut distinct = applied.clone();
    distinct.dedup();
    assert!(!applied.is_empty());
    assert_eq!(applied, distinct, "each migration ran once");
    let states = testing::count_member_states(&store)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        states > 190,
        "the reference data is in place once: {states}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_refuses_a_schema_newer_than_it_knows_naming_both_versions() {
    let Some(db) = shared_database("a schema from the future").await else {
        return;
    };
    pledgeboard(&db, &["migrate"]);
    let store = Store::connect(&db).await.unwrap_or_else(|e| panic!("{e}"));
    let known = store
        .applied_migrations()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let newest = known.last().cloned().unwrap_or_default();
    let future = "m29991231_000001_from_a_later_release";
    testing::record_migration(&store, future)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(crate::server::binary())
        .args(["serve", "--bind", "127.0.0.1:0", "--db", &db])
        .env_remove("PLEDGEBOARD_DB")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it started: {said}");
    assert!(
        said.contains(future) && said.contains(&newest) && said.contains("newer"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_on_one_instance_works_on_the_other() {
    let Some(db) = shared_database("a session across instances").await else {
        return;
    };
    let (_dir, a, b, token) = two_instances(&db);
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let cookie = session_cookie(&client, &a, &token).await;

    let without = client
        .get(b.url("/pledges/new"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(without.status(), StatusCode::OK, "the form needs a session");
    let page = client
        .get(b.url("/pledges/new"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.status(), StatusCode::OK, "B did not know A's session");
    let form = page.text().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(form.contains("pledge_ref"), "{form}");
    open_events(&client, &b, ("cookie", &cookie)).await;
}
