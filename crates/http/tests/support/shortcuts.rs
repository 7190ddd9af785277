//! One-call forms of what tests do again and again: read an answer that must be 200 (as
//! text, CSV rows or JSON), record a pledge that must be created, withdraw one.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;

use super::{Answer, TestApp};

/// A body's text, read with the viewer's token, checking the status is 200.
pub async fn text(app: &TestApp, path: &str) -> String {
    let request = Request::get(path)
        .header("authorization", format!("Bearer {}", app.viewer))
        .body(Body::empty())
        .unwrap_or_default();
    let (answer, body) = app.exchange(request).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}: {path}: {body}",
        app.backend
    );
    body
}

/// A CSV answer's records (the header row aside), read as [`text`].
pub async fn csv_rows(app: &TestApp, path: &str) -> Vec<Vec<String>> {
    let body = text(app, path).await;
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| {
            r.map(|r| r.iter().map(str::to_owned).collect())
                .unwrap_or_default()
        })
        .collect()
}

/// A JSON answer read as the viewer, checking the status is 200.
pub async fn json_ok(app: &TestApp, path: &str) -> Value {
    let answer = app.get(path).await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}: {path}: {}",
        app.backend,
        answer.json
    );
    answer.json
}

/// Records a pledge as the planner through the API and returns its id; it must be created.
pub async fn create(app: &TestApp, body: Value) -> i64 {
    let answer = app.post("/api/v1/pledges", &app.planner, body).await;
    assert_eq!(
        answer.status,
        StatusCode::CREATED,
        "{}: {}",
        app.backend,
        answer.json
    );
    answer.json["id"].as_i64().unwrap_or_default()
}

/// Withdraws pledge `id` as the planner through the API.
pub async fn withdraw(app: &TestApp, id: i64) -> Answer {
    app.call(
        Method::POST,
        &format!("/api/v1/pledges/{id}/withdraw"),
        Some(&app.planner),
        &[],
        None,
    )
    .await
}
