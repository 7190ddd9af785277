//! Reading `/api/v1/events` streams in tests.

use std::time::{Duration, Instant};

use reqwest::{Client, Response, StatusCode};

use crate::server::Server;

/// Opens `server`'s event stream with one credential header (`authorization` or `cookie`).
pub async fn open_events(client: &Client, server: &Server, auth: (&str, &str)) -> Response {
    let response = client
        .get(server.url("/api/v1/events"))
        .header(auth.0, auth.1)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status(), StatusCode::OK);
    response
}

/// Reads a stream until what it sent so far satisfies `done`, it ends, or `limit` passes:
/// what it sent, and whether `done` was satisfied.
pub async fn read_until(
    response: &mut Response,
    limit: Duration,
    done: impl Fn(&str) -> bool,
) -> (String, bool) {
    let start = Instant::now();
    let mut text = String::new();
    while let Some(left) = limit.checked_sub(start.elapsed()) {
        match tokio::time::timeout(left, response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                text.push_str(&String::from_utf8_lossy(&chunk));
                if done(&text) {
                    return (text, true);
                }
            }
            Ok(Ok(None)) => break,
            Ok(Err(e)) => {
                text.push_str(&format!("[error: {e}]"));
                break;
            }
            Err(_) => break,
        }
    }
    (text, false)
}
