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
    ("post", "/api/v1/pledges/{id}/reinstate"),
    ("get", "/api/v1/pledges/{id}/history"),
    ("get", "/api/v1/pledges/{id}/milestones"),
    ("post", "/api/v1/pledges/{id}/milestones"),
    ("delete", "/api/v1/pledges/{id}/milestones/{milestone_id}"),
    ("get", "/api/v1/audit"),
    ("get", "/api/v1/events"),
    ("get", "/api/v1/openapi.json"),
    ("post", "/api/v1/imports/pledges"),
    ("post", "/api/v1/imports/requirements"),
    ("get", "/api/v1/imports/pledges/template.csv"),
    ("get", "/api/v1/exports/pledges.csv"),
    ("get", "/api/v1/exports/pledges.xlsx"),
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
                .replace("{milestone_id}", "1")
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
            .replace("{milestone_id}", "1")
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

/// Every operation of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().cloned().unwrap_or_default() {
        for (method, operation) in item.as_object().cloned().unwrap_or_default() {
            all.push((method, path.clone(), operation));
        }
    }
    all
}

#[tokio::test]
async fn every_error_response_is_problem_details() {
    let (_, doc) = document().await;
    let mut errors = 0;
    for (method, path, operation) in operations(&doc) {
        for (status, response) in operation["responses"]
            .as_object()
            .cloned()
            .unwrap_or_default()
        {
            if !(status.starts_with('4') || status.starts_with('5')) {
                continue;
            }
            errors += 1;
            let content = &response["content"];
            assert_eq!(
                content["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{method} {path} {status}: {content}"
            );
            // Another body beside it only where the API gives one (an import's report).
            for (media_type, body) in content.as_object().cloned().unwrap_or_default() {
                if media_type != "application/problem+json" {
                    assert_eq!(
                        (status.as_str(), body["schema"]["$ref"].as_str()),
                        ("422", Some("#/components/schemas/ImportReportResponse")),
                        "{method} {path} {status}: {media_type}"
                    );
                }
            }
        }
    }
    assert!(errors > 100, "only {errors} error responses");
}

#[tokio::test]
async fn each_operation_lists_the_400_413_415_and_401_answers_its_shape_can_give() {
    let (_, doc) = document().await;
    for (method, path, operation) in operations(&doc) {
        let responses = &operation["responses"];
        let what = format!("{method} {path}");
        let has_parameters = operation["parameters"]
            .as_array()
            .is_some_and(|p| !p.is_empty());
        let body = &operation["requestBody"]["content"];
        let reads_json = body["application/json"].is_object();
        if has_parameters || body.is_object() {
            assert!(responses["400"].is_object(), "{what} lacks 400");
        }
        if body.is_object() {
            assert!(responses["413"].is_object(), "{what} lacks 413");
        }
        assert_eq!(responses["415"].is_object(), reads_json, "{what}: 415");
        let behind_token = path.starts_with("/api/v1/") && path != "/api/v1/openapi.json";
        assert_eq!(responses["401"].is_object(), behind_token, "{what}: 401");
        assert_eq!(
            operation["security"][0]["bearer"].is_array(),
            behind_token,
            "{what}: bearer security"
        );
    }
    let create = &doc["paths"]["/api/v1/pledges"]["post"]["responses"];
    for status in ["400", "413", "415", "422"] {
        assert!(
            create[status].is_object(),
            "POST /api/v1/pledges lacks {status}"
        );
    }
    let import = &doc["paths"]["/api/v1/imports/pledges"]["post"]["responses"];
    assert!(import["400"].is_object() && import["415"].is_null());
}

#[tokio::test]
async fn the_documented_400_and_415_are_what_the_router_answers() {
    let (app, _) = document().await;
    let bad_json = app
        .send(
            axum::http::Request::post("/api/v1/pledges")
                .header("authorization", format!("Bearer {}", app.admin))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{"))
                .unwrap_or_default(),
        )
        .await;
    assert_eq!(bad_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_json.content_type, "application/problem+json");
    let not_json = app
        .send(
            axum::http::Request::post("/api/v1/pledges")
                .header("authorization", format!("Bearer {}", app.admin))
                .header("content-type", "text/csv")
                .body(axum::body::Body::from("a,b"))
                .unwrap_or_default(),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(not_json.content_type, "application/problem+json");
}

/// The schema of parameter `name` of `method path`, without the "sent empty" alternative.
fn parameter_schema(doc: &Value, method: &str, path: &str, name: &str) -> Value {
    let parameters = doc["paths"][path][method]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let parameter = parameters
        .into_iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"));
    let schema = &parameter["schema"];
    match parameter["in"].as_str() {
        Some("query") => {
            assert_eq!(
                schema["anyOf"][1]["maxLength"], 0,
                "{name}: sent empty is no filter"
            );
            schema["anyOf"][0].clone()
        }
        _ => schema.clone(),
    }
}

fn words(schema: &Value) -> Vec<String> {
    schema["enum"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn parameters_state_what_the_handlers_accept() {
    for app in apps(true).await {
        let doc = app.get("/api/v1/openapi.json").await.json;
        let limit = parameter_schema(&doc, "get", "/api/v1/pledges", "limit");
        assert_eq!(
            (
                limit["type"].as_str(),
                limit["minimum"].as_u64(),
                limit["maximum"].as_u64()
            ),
            (Some("integer"), Some(1), Some(1000))
        );
        let audit_cursor = parameter_schema(&doc, "get", "/api/v1/audit", "cursor");
        assert_eq!(audit_cursor["minimum"], 0);
        assert_eq!(
            words(&parameter_schema(
                &doc,
                "get",
                "/api/v1/pledges",
                "readiness"
            )),
            ["L1", "L2", "L3", "RDL"]
        );
        let states = words(&parameter_schema(
            &doc,
            "get",
            "/api/v1/pledges",
            "member_state",
        ));
        assert_eq!(states.len(), 193);
        let iso3 = words(&parameter_schema(
            &doc,
            "get",
            "/api/v1/reports/countries/{iso3}",
            "iso3",
        ));
        assert!(iso3.contains(&"PAK".to_owned()) && iso3.contains(&"PAK.csv".to_owned()));
        let if_match = parameter_schema(&doc, "patch", "/api/v1/pledges/{id}", "If-Match");
        assert!(if_match["pattern"].is_string());

        // Every documented word is accepted, and a word outside them is refused.
        for (name, path) in [
            ("readiness", "/api/v1/pledges"),
            ("status", "/api/v1/pledges"),
            ("category", "/api/v1/pledges"),
            ("sort", "/api/v1/reports/countries"),
            ("order", "/api/v1/reports/countries"),
            ("conference", "/api/v1/reports/countries"),
        ] {
            let accepted = words(&parameter_schema(&doc, "get", path, name));
            assert!(!accepted.is_empty(), "{name} of {path}");
            for word in accepted.iter().chain([&String::new()]) {
                let answer = app.get(&format!("{path}?{name}={word}")).await;
                assert_eq!(
                    answer.status,
                    StatusCode::OK,
                    "{path}?{name}={word}: {}",
                    answer.json
                );
            }
            let refused = app.get(&format!("{path}?{name}=not-a-word")).await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{name}=not-a-word"
            );
        }

        // Reference codes are listed as they stand: a mission added now is in the next document.
        let added = app
            .post(
                "/api/v1/missions",
                &app.admin,
                serde_json::json!({"acronym": "UNTEST", "name": "Test mission", "location": "Nowhere"}),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.json);
        let doc = app.get("/api/v1/openapi.json").await.json;
        let missions = words(&parameter_schema(
            &doc,
            "get",
            "/api/v1/requirements",
            "mission",
        ));
        assert!(missions.contains(&"UNTEST".to_owned()), "{missions:?}");
    }
}

#[tokio::test]
async fn every_json_answer_has_a_named_schema() {
    let (_app, doc) = document().await;
    let mut untyped = Vec::new();
    // The document itself is the one answer whose shape is OpenAPI's, not ours.
    let described = operations(&doc)
        .into_iter()
        .filter(|(_, path, _)| path != "/api/v1/openapi.json");
    for (method, path, operation) in described {
        let responses = operation["responses"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (status, response) in responses {
            let Some(schema) = response["content"]
                .get("application/json")
                .map(|c| &c["schema"])
            else {
                continue;
            };
            let named = schema.get("$ref").is_some()
                || schema["items"].get("$ref").is_some()
                || schema.get("properties").is_some();
            if !named {
                untyped.push(format!("{method} {path} {status}: {schema}"));
            }
        }
    }
    assert!(untyped.is_empty(), "answers without a schema: {untyped:#?}");
    let schemas = &doc["components"]["schemas"];
    for name in [
        "CoverageReportResponse",
        "CountriesReportResponse",
        "CountrySummaryResponse",
        "RenewalsResponse",
        "AllocationResponse",
    ] {
        assert!(schemas.get(name).is_some(), "{name} is in the document");
    }
}
