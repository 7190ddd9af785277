//! Twenty planners change the same pledge at the same moment from the same version: exactly
//! one change wins, the others are told it is stale, and the history has one new version.

use pledgeboard_store::testing::{backends, fresh_url};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::server::Server;

const CLIENTS: usize = 20;

#[tokio::test]
async fn of_twenty_concurrent_changes_from_one_version_exactly_one_wins() {
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = match backend {
            "sqlite" => format!("sqlite://{}", dir.path().join("race.db").display()),
            other => fresh_url(other)
                .await
                .unwrap_or_else(|e| panic!("{other}: {e}")),
        };
        let server = Server::start(dir.path(), &["--demo", "--db", &db]);
        let token = server
            .demo_admin_token()
            .unwrap_or_else(|| panic!("no admin token"));
        let client = Client::new();
        let created: Value = client
            .post(server.url("/api/v1/pledges"))
            .bearer_auth(&token)
            .json(&json!({"pledge_ref": "RACE-1", "member_state": "PAK", "capability": "QRF-COY", "quantity": 1}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let id = created["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{created}"));
        let url = server.url(&format!("/api/v1/pledges/{id}"));

        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(CLIENTS));
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..CLIENTS {
            let (client, url, token, barrier) =
                (client.clone(), url.clone(), token.clone(), barrier.clone());
            tasks.spawn(async move {
                barrier.wait().await;
                let quantity = 2 + i as u64;
                let response = client
                    .patch(&url)
                    .bearer_auth(&token)
                    .header("if-match", "\"1\"")
                    .json(&json!({"quantity": quantity}))
                    .send()
                    .await;
                (
                    quantity,
                    response
                        .map(|r| r.status())
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                )
            });
        }
        let mut winners = Vec::new();
        let mut stale = 0;
        let mut other = Vec::new();
        while let Some(done) = tasks.join_next().await {
            match done.unwrap_or_else(|e| panic!("{e}")) {
                (quantity, StatusCode::OK) => winners.push(quantity),
                (_, StatusCode::PRECONDITION_FAILED) => stale += 1,
                (_, status) => other.push(status),
            }
        }
        assert!(other.is_empty(), "{backend}: unexpected answers {other:?}");
        assert_eq!(winners.len(), 1, "{backend}: exactly one change wins");
        assert_eq!(stale, CLIENTS - 1, "{backend}: the others are stale");

        let history: Value = client
            .get(format!("{url}/history"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let versions = history["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(versions.len(), 2, "{backend}: one new version");
        assert_eq!(
            versions[1]["values"]["quantity"],
            json!(winners[0]),
            "{backend}: the winner's value is stored"
        );
        assert!(server.stop(), "{backend}: clean shutdown");
    }
}
