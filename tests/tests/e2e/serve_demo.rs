//! `pledgeboard serve --demo`: creates the database, loads the fixtures once, serves them.

use pledgeboard_store::testing::{backends, fresh_url};
use serde_json::Value;

use crate::server::Server;

async fn get_json(url: &str, token: &str) -> Value {
    let response = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    assert!(
        response.status().is_success(),
        "GET {url}: {}",
        response.status()
    );
    response
        .json()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

fn admin_token(server: &Server) -> String {
    server.demo_admin_token().unwrap_or_else(|| {
        panic!(
            "serve --demo printed no admin token: {:?}",
            server.stdout_lines
        )
    })
}

async fn pakistan_pledges(server: &Server, token: &str) -> Vec<Value> {
    let page = get_json(
        &server.url("/api/v1/pledges?member_state=PAK&limit=1000"),
        token,
    )
    .await;
    page["items"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn serve_demo_creates_the_database_and_serves_the_fixture_pledges() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server = Server::start(dir.path(), &["--demo"]);
    assert!(
        dir.path().join("pledgeboard.db").exists(),
        "the default SQLite file is created"
    );
    assert!(
        server
            .stdout_lines
            .iter()
            .any(|l| l.starts_with("demo data:"))
    );

    let token = admin_token(&server);
    let pak = pakistan_pledges(&server, &token).await;
    assert!(pak.len() >= 8, "Pakistan's demo pledges: {}", pak.len());
    assert!(pak.iter().all(|p| p["member_state"] == "PAK"));
    let all = get_json(&server.url("/api/v1/pledges?limit=1000"), &token).await;
    let total = all["items"].as_array().map(Vec::len).unwrap_or_default();
    assert!(total >= 300, "demo pledges served: {total}");
    assert!(server.stop(), "SIGTERM shuts the server down cleanly");

    let again = Server::start(dir.path(), &["--demo"]);
    assert_eq!(
        again.demo_admin_token(),
        None,
        "the admin token is shown only once"
    );
    let all_again = get_json(&again.url("/api/v1/pledges?limit=1000"), &token).await;
    assert_eq!(
        all_again["items"].as_array().map(Vec::len),
        Some(total),
        "a second start adds nothing"
    );
    assert!(
        again
            .stdout_lines
            .iter()
            .any(|l| l.contains("0 requirements, 0 pledges and 0 milestones added"))
    );
}

#[tokio::test]
async fn serve_demo_works_on_every_backend() {
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let url = match backend {
            "sqlite" => format!("sqlite://{}", dir.path().join("e2e.db").display()),
            other => fresh_url(other)
                .await
                .unwrap_or_else(|e| panic!("{other}: {e}")),
        };
        let server = Server::start(dir.path(), &["--demo", "--db", &url]);
        let token = admin_token(&server);
        let pak = pakistan_pledges(&server, &token).await;
        assert!(!pak.is_empty(), "{backend}");
        let ready = get_json(&server.url("/readyz"), &token).await;
        assert_eq!(ready["status"], "ready", "{backend}");
        assert!(server.stop(), "{backend}: clean shutdown");
    }
}
