//! Tokens are stored only as hashes: the database file never holds one in clear.

use crate::cli::create_token;
use crate::server::Server;

#[tokio::test]
async fn the_database_file_holds_no_token_in_clear() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = dir.path().join("tokens.db");
    let db = format!("sqlite://{}", file.display());
    let tokens: Vec<String> = ["admin", "planner", "viewer"]
        .iter()
        .map(|role| create_token(&db, role, None, &format!("stored {role}")))
        .collect();
    let delegate = create_token(&db, "delegate", Some("Pakistan"), "stored delegate");

    let server = Server::start(dir.path(), &["--db", &db]);
    for token in tokens.iter().chain([&delegate]) {
        let status = reqwest::Client::new()
            .get(server.url("/api/v1/pledges"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .status();
        assert_eq!(
            status,
            reqwest::StatusCode::OK,
            "the token works, so the test searches for real tokens"
        );
    }
    assert!(server.stop());

    let mut bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    for extra in ["tokens.db-wal", "tokens.db-shm"] {
        if let Ok(more) = std::fs::read(dir.path().join(extra)) {
            bytes.extend(more);
        }
    }
    let haystack = String::from_utf8_lossy(&bytes);
    assert!(
        haystack.contains("stored planner"),
        "the token table was read"
    );
    for token in tokens.iter().chain([&delegate]) {
        let secret = token.trim_start_matches("pb_");
        assert!(!haystack.contains(secret), "a token is stored in clear");
        assert!(
            !haystack.contains(&secret[..16]),
            "part of a token is stored in clear"
        );
    }
}
