//! The database goes away under a running instance and comes back: meanwhile requests get
//! 503 with `Retry-After` within the configured wait and `/readyz` says not ready; afterwards
//! the instance serves again and its boards hear other instances' changes again, with no
//! restart. The outage is played by a TCP proxy between instance B and PostgreSQL.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode, header};

use crate::db_proxy::DbProxy;
use crate::server::Server;
use crate::several_instances::{record_pledge, shared_database};
use crate::sse::{open_events, read_until};

/// The seconds B waits for a database connection before answering 503.
const DB_TIMEOUT_SECS: u64 = 2;

/// Polls `url` until it answers `wanted` or `limit` passes; returns the last answer's status
/// and `Retry-After`.
async fn wait_for(
    client: &Client,
    url: &str,
    wanted: StatusCode,
    limit: Duration,
) -> (StatusCode, Option<String>) {
    let start = Instant::now();
    loop {
        let (status, retry_after) = match client.get(url).send().await {
            Ok(r) => (
                r.status(),
                r.headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            ),
            Err(e) => panic!("{url}: {e}"),
        };
        if status == wanted || start.elapsed() > limit {
            return (status, retry_after);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_answers_503_while_its_database_is_gone_and_recovers_by_itself() {
    let Some(db) = shared_database("a database outage").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let a = Server::start(dir.path(), &["--demo", "--db", &db]);
    let token = a
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no admin token"));
    let target = db
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|authority| authority.rsplit('@').next())
        .unwrap_or_else(|| panic!("no host in {db}"))
        .to_owned();
    let proxy = DbProxy::start(target).await;
    let timeout = DB_TIMEOUT_SECS.to_string();
    let b = Server::start(
        dir.path(),
        &["--db", &proxy.url(&db), "--db-timeout", &timeout],
    );
    let client = Client::new();
    let bearer = format!("Bearer {token}");
    let ready = wait_for(&client, &b.url("/readyz"), StatusCode::OK, Duration::ZERO).await;
    assert_eq!(ready.0, StatusCode::OK);
    let mut board = open_events(&client, &b, ("authorization", &bearer)).await;

    proxy.cut();
    let (status, retry_after) = wait_for(
        &client,
        &b.url("/readyz"),
        StatusCode::SERVICE_UNAVAILABLE,
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "/readyz during the outage"
    );
    assert!(retry_after.is_some(), "/readyz: no Retry-After");
    let asked = Instant::now();
    let refused = client
        .get(b.url("/api/v1/reports/coverage"))
        .header(header::AUTHORIZATION, &bearer)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let took = asked.elapsed();
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.headers().contains_key(header::RETRY_AFTER));
    assert!(
        took < Duration::from_secs(DB_TIMEOUT_SECS + 2),
        "a request waited {took:?} for the database"
    );
    let write = client
        .post(b.url("/api/v1/pledges"))
        .header(header::AUTHORIZATION, &bearer)
        .json(&serde_json::json!({"pledge_ref": "OUTAGE-0", "member_state": "PAK", "capability": "QRF-COY", "quantity": 1}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(write.status(), StatusCode::SERVICE_UNAVAILABLE);

    proxy.restore();
    let (status, _) = wait_for(
        &client,
        &b.url("/readyz"),
        StatusCode::OK,
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "/readyz after the outage");
    let (text, resynced) = read_until(&mut board, Duration::from_secs(10), |t| {
        t.contains("event: resync")
    })
    .await;
    assert!(resynced, "the board was not told to resync: {text}");

    let id = record_pledge(&client, &a, &token, "AFTER-OUTAGE").await;
    let wanted = format!("\"id\":{id},");
    let (text, heard) =
        read_until(&mut board, Duration::from_secs(5), |t| t.contains(&wanted)).await;
    assert!(
        heard,
        "B's board did not hear A's change after the outage: {text}"
    );
    let recorded = client
        .post(b.url("/api/v1/pledges"))
        .header(header::AUTHORIZATION, &bearer)
        .json(&serde_json::json!({"pledge_ref": "OUTAGE-1", "member_state": "PAK", "capability": "QRF-COY", "quantity": 1}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(recorded.status(), StatusCode::CREATED, "B writes again");
}
