//! `pledgeboard outcome` prints the same figures as `GET /api/v1/reports/outcome`, in every
//! format, now and `--as-of` a moment.

use serde_json::Value;

use crate::cli::pledgeboard;
use crate::server::Server;

/// `pledgeboard outcome --conference ISB-2023 ARGS…` on `db`, through the shared runner.
fn outcome(db: &str, args: &[&str]) -> String {
    pledgeboard(
        db,
        &[&["outcome", "--conference", "ISB-2023"], args].concat(),
    )
}

#[tokio::test]
async fn the_command_line_outcome_agrees_with_the_api() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("outcome.db").display());
    let server = Server::start(dir.path(), &["--demo", "--db", &db]);
    let token = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no admin token"));
    let get = |path: &str| {
        let request = reqwest::Client::new()
            .get(server.url(path))
            .bearer_auth(&token);
        async move {
            request
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .text()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let api: Value =
        serde_json::from_str(&get("/api/v1/reports/outcome?conference=ISB-2023").await)
            .unwrap_or_else(|e| panic!("{e}"));
    assert!(api["pledges"].as_u64().unwrap_or_default() > 100, "{api}");

    let json: Value = serde_json::from_str(&outcome(&db, &["--format", "json"]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json, api, "JSON");

    let csv = outcome(&db, &["--format", "csv"]);
    assert_eq!(
        csv.replace("\r\n", "\n"),
        get("/api/v1/reports/outcome.csv?conference=ISB-2023")
            .await
            .replace("\r\n", "\n"),
        "CSV"
    );

    let text = outcome(&db, &["--format", "text"]);
    for (figure, value) in [
        ("pledges", &api["pledges"]),
        ("states", &api["states"]),
        ("formed_units", &api["formed_units"]),
        ("reaffirmed", &api["lineage"]["reaffirmed"]),
        ("superseded_since", &api["superseded_since"]),
    ] {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(figure))
            .unwrap_or_else(|| panic!("no {figure} line in {text}"));
        assert_eq!(
            line.split_whitespace().nth(1),
            Some(value.to_string().as_str()),
            "{figure}"
        );
    }
    assert!(text.contains("Counting rules:"), "{text}");

    // As of a moment before a withdrawal: the command line and the API give the figures of then.
    let listed: Value = serde_json::from_str(
        &get("/api/v1/pledges?conference=ISB-2023&status=pledged&limit=1").await,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let id = listed["items"][0]["id"].as_i64().unwrap_or_default();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let moment = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let withdrawn = reqwest::Client::new()
        .post(server.url(&format!("/api/v1/pledges/{id}/withdraw")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(withdrawn.status().is_success(), "withdraw {id}");
    let then: Value =
        serde_json::from_str(&outcome(&db, &["--as-of", &moment, "--format", "json"]))
            .unwrap_or_else(|e| panic!("{e}"));
    let api_then: Value = serde_json::from_str(
        &get(&format!(
            "/api/v1/reports/outcome?conference=ISB-2023&as_of={}",
            moment.replace('+', "%2B")
        ))
        .await,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(then, api_then, "JSON as of {moment}");
    assert_eq!(
        then["pledges"], api["pledges"],
        "as of {moment}: before the withdrawal"
    );
    let now: Value = serde_json::from_str(&outcome(&db, &["--format", "json"]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        now["withdrawn"],
        api["withdrawn"].as_u64().unwrap_or_default() + 1
    );
    assert!(
        outcome(&db, &["--as-of", &moment]).contains("as it stood at"),
        "the text says which moment"
    );
}
