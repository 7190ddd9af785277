//! Open `/api/v1/events` streams end when their credential does: a token revoked by
//! `pledgeboard token revoke` in another process, or a session that logs out. They are not
//! cut by the body timeout.

use std::time::{Duration, Instant};

use pledgeboard_store::testing::{backends, fresh_url};
use reqwest::{Client, Response, StatusCode};
use serde_json::json;

use crate::cli::{create_token, revoke_token};
use crate::server::Server;
use crate::sse::open_events;

/// A database for `backend`, in `dir` for SQLite.
async fn database(backend: &str, dir: &std::path::Path) -> String {
    match backend {
        "sqlite" => format!("sqlite://{}", dir.join("streams.db").display()),
        other => fresh_url(other)
            .await
            .unwrap_or_else(|e| panic!("{other}: {e}")),
    }
}

/// Reads a stream until it ends or `limit` passes: what it sent, and whether it ended.
async fn read_until_end(response: &mut Response, limit: Duration) -> (String, bool) {
    let start = Instant::now();
    let mut text = String::new();
    while let Some(left) = limit.checked_sub(start.elapsed()) {
        match tokio::time::timeout(left, response.chunk()).await {
            Ok(Ok(Some(chunk))) => text.push_str(&String::from_utf8_lossy(&chunk)),
            Ok(Ok(None)) => return (text, true),
            Ok(Err(e)) => return (format!("{text}[error: {e}]"), true),
            Err(_) => break,
        }
    }
    (text, false)
}

async fn bearer_stream(client: &Client, server: &Server, token: &str) -> Response {
    open_events(
        client,
        server,
        ("authorization", &format!("Bearer {token}")),
    )
    .await
}

#[tokio::test]
async fn a_revoked_tokens_event_stream_ends_within_seconds() {
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = database(backend, dir.path()).await;
        let kept = create_token(&db, "viewer", None, "board kept");
        let revoked = create_token(&db, "viewer", None, "board revoked");
        let server = Server::start(dir.path(), &["--db", &db]);
        let client = Client::new();
        let mut kept_stream = bearer_stream(&client, &server, &kept).await;
        let mut stream = bearer_stream(&client, &server, &revoked).await;
        let (_, ended) = read_until_end(&mut stream, Duration::from_secs(3)).await;
        assert!(
            !ended,
            "{backend}: the stream ended before the token was revoked"
        );

        revoke_token(&db, "board revoked");
        let revoked_at = Instant::now();
        let (text, ended) = read_until_end(&mut stream, Duration::from_secs(15)).await;
        assert!(
            ended,
            "{backend}: the stream outlived its revoked token by 15 s"
        );
        assert!(
            revoked_at.elapsed() <= Duration::from_secs(6),
            "{backend}: ended {:?} after the revocation",
            revoked_at.elapsed()
        );
        assert!(text.contains("event: ended"), "{backend}: {text:?}");

        let (_, ended) = read_until_end(&mut kept_stream, Duration::from_secs(1)).await;
        assert!(!ended, "{backend}: another token's stream ended too");
        let again = client
            .get(server.url("/api/v1/events"))
            .bearer_auth(&revoked)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "{backend}");
    }
}

#[tokio::test]
async fn a_sessions_event_stream_ends_when_it_logs_out() {
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = database(backend, dir.path()).await;
        let token = create_token(&db, "planner", None, "board session");
        let server = Server::start(dir.path(), &["--db", &db]);
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let origin = server.base_url.clone();
        let login = client
            .post(server.url("/login"))
            .header("origin", &origin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("token={token}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(login.status(), StatusCode::SEE_OTHER, "{backend}");
        let cookie = login
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or_else(|| panic!("no session cookie"))
            .to_owned();
        let mut stream = open_events(&client, &server, ("cookie", &cookie)).await;
        let mut other = bearer_stream(&client, &server, &token).await;

        let logout = client
            .post(server.url("/logout"))
            .header("origin", &origin)
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(logout.status(), StatusCode::SEE_OTHER, "{backend}");
        let logged_out = Instant::now();
        let (text, ended) = read_until_end(&mut stream, Duration::from_secs(10)).await;
        assert!(
            ended,
            "{backend}: the stream outlived its session's logout by 10 s"
        );
        assert!(
            logged_out.elapsed() <= Duration::from_secs(4),
            "{backend}: {:?}",
            logged_out.elapsed()
        );
        assert!(text.contains("event: ended"), "{backend}: {text:?}");
        let (_, ended) = read_until_end(&mut other, Duration::from_secs(3)).await;
        assert!(
            !ended,
            "{backend}: the token's own stream is not the session's"
        );
    }
}

#[tokio::test]
async fn an_event_stream_is_not_cut_by_the_body_timeout() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("long.db").display());
    let token = create_token(&db, "planner", None, "long board");
    let server = Server::start(dir.path(), &["--db", &db, "--body-timeout", "1"]);
    let client = Client::new();
    let mut stream = bearer_stream(&client, &server, &token).await;
    let (_, ended) = read_until_end(&mut stream, Duration::from_secs(3)).await;
    assert!(!ended, "the stream was cut by a 1 s body timeout");
    let created = client
        .post(server.url("/api/v1/pledges"))
        .bearer_auth(&token)
        .json(&json!({"pledge_ref": "LONG-1", "member_state": "PAK", "capability": "QRF-COY", "quantity": 1}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(created.status(), StatusCode::CREATED);
    let start = Instant::now();
    let mut text = String::new();
    while !text.contains("event: pledge") && start.elapsed() < Duration::from_secs(5) {
        if let Ok(Ok(Some(chunk))) =
            tokio::time::timeout(Duration::from_secs(1), stream.chunk()).await
        {
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
    assert!(text.contains("event: pledge"), "{text:?}");
}

#[tokio::test]
async fn the_server_stops_cleanly_with_event_streams_open() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("stop.db").display());
    let token = create_token(&db, "viewer", None, "stopping board");
    let server = Server::start(dir.path(), &["--db", &db]);
    let client = Client::new();
    let mut stream = bearer_stream(&client, &server, &token).await;
    let stopping = Instant::now();
    let stopped = tokio::task::spawn_blocking(move || server.stop());
    let (text, ended) = read_until_end(&mut stream, Duration::from_secs(10)).await;
    assert!(ended && text.contains("event: ended"), "{text:?}");
    assert!(
        stopped.await.unwrap_or_else(|e| panic!("{e}")),
        "SIGTERM with a stream open exits cleanly"
    );
    assert!(
        stopping.elapsed() < Duration::from_secs(10),
        "{:?}",
        stopping.elapsed()
    );
}
