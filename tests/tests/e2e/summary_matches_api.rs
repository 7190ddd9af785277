//! `pledgeboard summary` and `pledgeboard coverage` print the same figures as the API, in every
//! format.

use std::process::Command;

use serde_json::Value;

use crate::server::{Server, binary};

fn summary(db: &str, args: &[&str]) -> String {
    command("summary", db, args)
}

fn command(name: &str, db: &str, args: &[&str]) -> String {
    let out = Command::new(binary())
        .args([name, "--db", db])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {name}: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn the_command_line_summary_agrees_with_the_api() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("summary.db").display());
    let server = Server::start(dir.path(), &["--demo", "--db", &db]);
    let token = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no admin token"));
    let api: Value = reqwest::Client::new()
        .get(server.url("/api/v1/reports/countries"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let json: Value = serde_json::from_str(&summary(&db, &["--format", "json"]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["rows"], api["rows"], "JSON rows");
    assert_eq!(json["totals"], api["totals"], "JSON totals");

    let csv = summary(&db, &["--format", "csv"]);
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .unwrap_or_default()
        })
        .collect();
    let api_rows = api["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), api_rows.len() + 1);
    for (row, expected) in rows.iter().zip(&api_rows) {
        assert_eq!(
            row[0],
            expected["member_state"].as_str().unwrap_or_default()
        );
        assert_eq!(row[4], expected["personnel"].to_string());
        assert_eq!(
            row[7],
            expected["monthly_cost_usd"].as_str().unwrap_or_default()
        );
    }

    let text = summary(&db, &["--format", "text"]);
    let total = text
        .lines()
        .find(|l| l.starts_with("TOTAL"))
        .unwrap_or_else(|| panic!("no TOTAL line in {text}"));
    let cells: Vec<&str> = total.split_whitespace().collect();
    let totals = &api["totals"];
    assert!(
        cells.contains(&totals["pledges"].to_string().as_str()),
        "{total}"
    );
    assert!(
        cells.contains(&totals["personnel"].to_string().as_str()),
        "{total}"
    );
    assert!(
        cells.contains(&totals["monthly_cost_usd"].as_str().unwrap_or_default()),
        "{total}"
    );
    assert!(text.contains("indicative"));

    let pak: Value = serde_json::from_str(&summary(
        &db,
        &["--member-state", "Pakistan", "--format", "json"],
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let api_pak: Value = reqwest::Client::new()
        .get(server.url("/api/v1/reports/countries/PAK"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pak, api_pak, "one country's summary");
}

async fn get(server: &Server, token: &str, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[tokio::test]
async fn the_command_line_coverage_agrees_with_the_api() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("coverage.db").display());
    let server = Server::start(dir.path(), &["--demo", "--db", &db]);
    let token = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no admin token"));
    let api: Value = get(&server, &token, "/api/v1/reports/coverage")
        .await
        .json()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let json: Value = serde_json::from_str(&command("coverage", &db, &["--format", "json"]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json, api, "the whole JSON report");

    let api_csv = get(&server, &token, "/api/v1/reports/coverage.csv")
        .await
        .text()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let csv = command("coverage", &db, &["--format", "csv"]);
    assert_eq!(
        csv.replace("\r\n", "\n"),
        api_csv.replace("\r\n", "\n"),
        "the CSV"
    );

    let one: Value = serde_json::from_str(&command(
        "coverage",
        &db,
        &["--mission", "MINUSCA", "--format", "json"],
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(one["missions"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        one["missions"][0],
        api["missions"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["mission"] == "MINUSCA"))
            .cloned()
            .unwrap_or_default()
    );

    let text = command("coverage", &db, &[]);
    let all = text
        .lines()
        .find(|l| l.starts_with("ALL"))
        .unwrap_or_else(|| panic!("no ALL line in {text}"));
    let t = &api["totals"];
    let expected = format!("{} of {}", t["covered_personnel"], t["required_personnel"]);
    assert!(all.contains(&expected), "{all} lacks {expected}");
    assert!(
        all.contains(&format!(
            "{} of {}",
            t["requirements_met"], t["requirements"]
        )),
        "{all}"
    );
    assert!(
        all.contains(t["personnel_coverage_pct"].as_str().unwrap_or("?")),
        "{all}"
    );
}
