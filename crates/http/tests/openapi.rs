//! The OpenAPI document: valid OpenAPI 3.1, and in step with the routes the router serves.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::Value;
use support::apps;

/// The OpenAPI 3.1 JSON Schema (2022-10-07) published by the OpenAPI Initiative (Apache-2.0).
const OPENAPI_31_SCHEMA: &str = include_str!("fixtures/openapi-3.1-schema.json");

/// Every route DESIGN.md promises so far: (method, path under /api/v1 or root).
const CONTRACT: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/v1/member-states"),
    ("get", "/api/v1/capabilities"),
    ("get", "/api/v1/missions"),
    ("post", "/api/v1/missions"),
    ("get", "/api/v1/conferences"),
    ("post", "/api/v1/conferences"),
    ("get", "/api/v1/requirements"),
    ("post", "/api/v1/requirements"),
    ("get", "/api/v1/requirements/{id}"),
    ("put", "/api/v1/requirements/{id}"),
    ("delete", "/api/v1/requirements/{id}"),
    ("get", "/api/v1/pledges"),
    ("post", "/api/v1/pledges"),
    ("get", "/api/v1/pledges/{id}"),
    ("patch", "/api/v1/pledges/{id}"),
    ("post", "/api/v1/pledges/{id}/withdraw"),
    ("get", "/api/v1/pledges/{id}/history"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/events"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/imports/pledges"),
    ("post", "/api/v1/imports/requirements"),
    ("get", "/api/v1/imports/pledges/template.csv"),
    ("get", "/api/v1/exports/pledges.csv"),
];

async fn document() -> (support::TestApp, Value) {
    let app = apps(false)
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no backend"));
    let answer = app
        .call(Method::GET, "/api/v1/openapi.json", None, &[], None)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    (app, answer.json)
}

#[tokio::test]
async fn the_document_is_valid_openapi_3_1() {
    let (_, doc) = document().await;
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1.")),
        "{}",
        doc["openapi"]
    );
    let schema: Value = serde_json::from_str(OPENAPI_31_SCHEMA).unwrap_or_else(|e| panic!("{e}"));
    let validator = jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("the OpenAPI schema itself: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "not valid OpenAPI 3.1: {errors:#?}");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn every_contract_route_is_documented() {
    let (_, doc) = document().await;
    let missing: Vec<_> = CONTRACT
        .iter()
        .filter(|(method, path)| doc["paths"][*path][*method].is_null())
        .collect();
    assert!(missing.is_empty(), "undocumented routes: {missing:?}");
}

#[tokio::test]
async fn every_documented_route_is_served() {
    let (app, doc) = document().await;
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    let mut count = 0;
    for (path, item) in paths {
        for (method, _) in item.as_object().cloned().unwrap_or_default() {
            let concrete = path
                .replace("{id}", "1")
                .replace("{acronym}", "MINUSCA")
                .replace("{code}", "ISB-2023");
            let method: Method = method
                .to_uppercase()
                .parse()
                .unwrap_or_else(|e| panic!("{e}"));
            if path.ends_with("/events") {
                continue; // an endless stream; covered by the events tests
            }
            let answer = app
                .call(method.clone(), &concrete, Some(&app.viewer), &[], None)
                .await;
            let unrouted = answer.status == StatusCode::METHOD_NOT_ALLOWED
                || answer.json["detail"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("there is no page or endpoint"));
            assert!(
                !unrouted,
                "{method} {path} is documented but not served ({})",
                answer.status
            );
            count += 1;
        }
    }
    assert!(count >= CONTRACT.len() - 1, "only {count} routes checked");
}

#[tokio::test]
async fn the_router_serves_no_undocumented_api_route() {
    let (app, doc) = document().await;
    // Every method on every documented path that is not documented must be refused.
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for (path, item) in paths {
        let concrete = path
            .replace("{id}", "1")
            .replace("{acronym}", "MINUSCA")
            .replace("{code}", "ISB-2023");
        for method in ["get", "post", "put", "patch", "delete"] {
            if item[method].is_object() {
                continue;
            }
            let answer = app
                .call(
                    method.to_uppercase().parse().unwrap_or(Method::GET),
                    &concrete,
                    Some(&app.admin),
                    &[],
                    None,
                )
                .await;
            assert_eq!(
                answer.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is served but not documented"
            );
        }
    }
}
