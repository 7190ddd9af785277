//! `pledgeboard follow-through` prints the same figures as the API, in every format.

use serde_json::Value;

use crate::cli::pledgeboard;
use crate::server::Server;

/// `pledgeboard follow-through --conference ISB-2023 ARGS…` on `db`, through the shared runner.
fn follow_through(db: &str, args: &[&str]) -> String {
    pledgeboard(
        db,
        &[&["follow-through", "--conference", "ISB-2023"], args].concat(),
    )
}

#[tokio::test]
async fn the_command_line_follow_through_agrees_with_the_api() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("follow.db").display());
    let server = Server::start(dir.path(), &["--demo", "--db", &db]);
    let token = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no admin token"));
    let api: Value = reqwest::Client::new()
        .get(server.url("/api/v1/reports/follow-through?conference=ISB-2023&stalled_days=120"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let json: Value = serde_json::from_str(&follow_through(
        &db,
        &["--stalled-days", "120", "--format", "json"],
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json, api, "JSON");

    let csv = follow_through(&db, &["--stalled-days", "120", "--format", "csv"]);
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .unwrap_or_default()
        })
        .collect();
    let text = follow_through(&db, &["--stalled-days", "120"]);
    for stage in api["stages"].as_array().cloned().unwrap_or_default() {
        let key = stage["stage"].as_str().unwrap_or_default();
        let label = stage["label"].as_str().unwrap_or_default();
        let row = rows
            .iter()
            .find(|r| r[0] == "stage" && r[1] == key)
            .unwrap_or_else(|| panic!("no CSV row for {key}"));
        assert_eq!(row[3], stage["pledges"].to_string(), "CSV {key}");
        let line = text
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no text line for {label} in {text}"));
        let cells: Vec<&str> = line[label.len()..].split_whitespace().collect();
        assert_eq!(
            cells,
            [
                stage["pledges"].to_string().as_str(),
                stage["share_pct"].as_str().unwrap_or_default()
            ],
            "text {key}"
        );
    }
    assert!(text.contains(&format!(
        "Stalled (no milestone for more than 120 days): {}",
        api["stalled_count"]
    )));
}
