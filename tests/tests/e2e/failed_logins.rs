//! Over a real socket, failed attempts are counted by the client's address: the 21st unknown
//! bearer token and the 21st failed log-in from 127.0.0.1 get 429 with `Retry-After`.

use reqwest::{Client, StatusCode};

use crate::cli::create_token;
use crate::server::Server;

#[tokio::test]
async fn the_21st_failed_attempt_from_one_address_gets_429_while_a_live_token_works() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("limit.db").display());
    let token = create_token(&db, "viewer", None, "limit viewer");
    let server = Server::start(dir.path(), &["--db", &db]);
    let client = Client::new();
    for attempt in 1..=20 {
        let status = client
            .get(server.url("/api/v1/pledges"))
            .bearer_auth(format!("pb_guess{attempt}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .status();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let refused = client
        .post(server.url("/login"))
        .header("origin", &server.base_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("token=pb_guess21")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no Retry-After in seconds"));
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let api = client
        .get(server.url("/api/v1/pledges"))
        .bearer_auth("pb_guess22")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(api.headers().contains_key("retry-after"));

    let live = client
        .get(server.url("/api/v1/pledges"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        live.status(),
        StatusCode::OK,
        "a live token is never refused"
    );
}
