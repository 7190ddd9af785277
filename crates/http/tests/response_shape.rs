//! What every answer looks like, whoever gives it: the security headers on every route (API,
//! pages, assets, errors, redirects), errors as problem details with a request id (405, 414,
//! 415, 400, 413 — from handlers, extractors and the router alike), and which client request
//! ids are kept.

mod support;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use serde_json::Value;
use support::pages::{HOST, log_in};
use support::{TestApp, apps, apps_with};
use tower::ServiceExt;

/// Every page path with a sample value for its parameters, and the methods it answers.
const PAGES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("GET", "/pledges"),
    ("GET", "/pledges/new"),
    ("POST", "/pledges/new"),
    ("GET", "/pledges/1"),
    ("POST", "/pledges/1"),
    ("POST", "/pledges/1/withdraw"),
    ("POST", "/pledges/1/reinstate"),
    ("GET", "/import"),
    ("POST", "/import"),
    ("GET", "/countries"),
    ("GET", "/countries/PAK"),
    ("GET", "/renewals"),
    ("GET", "/requirements"),
    ("POST", "/requirements"),
    ("GET", "/no-such-page"),
    ("DELETE", "/login"),
];

/// The assets the pages load.
const ASSETS: &[&str] = &[
    "/assets/pledgeboard.css",
    "/assets/board.js",
    "/assets/pledge_form.js",
    "/assets/import.js",
];

/// Sends a request and returns the status and headers only (an event stream never ends).
async fn head_of(app: &TestApp, request: Request<Body>) -> (StatusCode, HeaderMap) {
    let response = app
        .router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    (response.status(), response.headers().clone())
}

/// Who sends a request in the walk.
#[derive(Clone, Copy, Debug)]
enum Client<'a> {
    Anonymous,
    Bearer(&'a str),
    Cookie(&'a str),
}

fn request(method: &str, path: &str, client: Client<'_>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("host", HOST)
        .header("origin", format!("http://{HOST}"));
    match client {
        Client::Anonymous => {}
        Client::Bearer(token) => {
            builder = builder.header("authorization", format!("Bearer {token}"))
        }
        Client::Cookie(cookie) => builder = builder.header("cookie", cookie),
    }
    builder.body(Body::empty()).unwrap_or_default()
}

/// Asserts the headers every answer carries; `asset` answers may be cached.
fn assert_shaped(what: &str, status: StatusCode, headers: &HeaderMap, asset: bool) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            csp.contains(directive),
            "{what} ({status}): CSP '{csp}' lacks {directive}"
        );
    }
    assert!(
        !csp.contains("unsafe"),
        "{what}: CSP allows something unsafe: {csp}"
    );
    assert_eq!(
        header("x-content-type-options"),
        "nosniff",
        "{what} ({status})"
    );
    assert_eq!(
        header("referrer-policy"),
        "same-origin",
        "{what} ({status})"
    );
    assert_eq!(header("x-frame-options"), "DENY", "{what} ({status})");
    assert!(
        !header("x-request-id").is_empty(),
        "{what} ({status}): no x-request-id"
    );
    let cache = header("cache-control");
    if asset {
        assert!(
            !cache.contains("no-store"),
            "{what}: assets may be cached ({cache})"
        );
        assert!(!cache.is_empty(), "{what}: assets say how long they keep");
    } else if status == StatusCode::OK && cache.starts_with("private") {
        // Reports and the board, tagged with the data version: kept only by the browser that
        // asked, and checked with the ETag before each use (or kept for a settled past moment).
        assert!(
            headers.get("etag").is_some(),
            "{what}: private caching without an ETag"
        );
        assert!(
            cache == "private, no-cache" || cache.starts_with("private, max-age="),
            "{what}: {cache}"
        );
    } else {
        assert_eq!(cache, "no-store", "{what} ({status})");
    }
}

/// Every documented API operation, with sample path values.
fn documented_operations(doc: &Value) -> Vec<(String, String)> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().cloned().unwrap_or_default() {
        for (method, _) in item.as_object().cloned().unwrap_or_default() {
            let concrete = path
                .replace("{id}", "1")
                .replace("{milestone_id}", "1")
                .replace("{acronym}", "MINUSCA")
                .replace("{code}", "ISB-2023")
                .replace("{iso3}", "PAK");
            operations.push((method.to_uppercase(), concrete));
        }
    }
    operations
}

#[tokio::test]
async fn every_route_answers_with_the_security_headers_anonymous_or_signed_in() {
    for app in apps(true).await {
        let doc = app.get("/api/v1/openapi.json").await.json;
        let operations = documented_operations(&doc);
        assert!(operations.len() >= 30, "{} operations", operations.len());
        let cookie = log_in(&app, &app.admin).await;
        let mut statuses = std::collections::BTreeSet::new();
        let clients = [
            Client::Anonymous,
            Client::Bearer(&app.admin),
            Client::Cookie(&cookie),
        ];
        for client in clients {
            let pages = PAGES
                .iter()
                .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
                // Logging out would end the session the rest of the walk uses.
                .filter(|(_, p)| !(p == "/logout" && matches!(client, Client::Cookie(_))));
            for (method, path) in operations.iter().cloned().chain(pages) {
                let (status, headers) = head_of(&app, request(&method, &path, client)).await;
                assert_shaped(
                    &format!("{method} {path} as {client:?}"),
                    status,
                    &headers,
                    false,
                );
                statuses.insert(status.as_u16());
            }
            for path in ASSETS {
                let (status, headers) = head_of(&app, request("GET", path, client)).await;
                assert_eq!(status, StatusCode::OK, "{path}");
                assert_shaped(path, status, &headers, true);
            }
        }
        // The walk met answers of every kind: content, redirects, and errors of many sorts.
        for expected in [200, 303, 400, 401, 404, 405, 415] {
            assert!(
                statuses.contains(&expected),
                "{}: no {expected} in {statuses:?}",
                app.backend
            );
        }
    }
}

/// A request's answer as (status, headers, JSON body).
async fn problem_of(app: &TestApp, request: Request<Body>) -> (StatusCode, HeaderMap, Value) {
    let (answer, body) = app.exchange(request).await;
    let json = serde_json::from_str(&body).unwrap_or(Value::Null);
    (answer.status, answer.response.headers().clone(), json)
}

/// Asserts a problem details answer of `status` and `kind`, with a request id.
fn assert_problem(
    what: &str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &Value,
    expected: u16,
    kind: &str,
) {
    assert_eq!(status.as_u16(), expected, "{what}: {body}");
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json"),
        "{what}"
    );
    assert_eq!(body["status"], expected, "{what}: {body}");
    assert_eq!(
        body["type"],
        format!("urn:pledgeboard:problem:{kind}"),
        "{what}: {body}"
    );
    assert!(
        body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{what}: {body}"
    );
    assert!(
        body["detail"].as_str().is_some_and(|t| !t.is_empty()),
        "{what}: {body}"
    );
    assert!(
        headers.contains_key("x-request-id"),
        "{what}: no x-request-id"
    );
}

fn with_body(
    method: &str,
    path: &str,
    token: &str,
    content_type: &str,
    body: &str,
) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from(body.to_owned()))
        .unwrap_or_default()
}

#[tokio::test]
async fn a_method_not_allowed_is_problem_details_with_allow() {
    for app in apps(false).await {
        for (method, path) in [
            ("PUT", "/api/v1/pledges"),
            ("DELETE", "/login"),
            ("POST", "/healthz"),
        ] {
            let (status, headers, body) =
                problem_of(&app, request(method, path, Client::Bearer(&app.admin))).await;
            let what = format!("{method} {path}");
            assert_problem(&what, status, &headers, &body, 405, "method-not-allowed");
            let allow = headers
                .get("allow")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            assert!(allow.contains("GET"), "{what}: Allow '{allow}'");
            assert!(
                body["detail"].as_str().is_some_and(|d| d.contains(method)),
                "{body}"
            );
        }
        let allow = head_of(&app, request("PUT", "/api/v1/pledges", Client::Anonymous))
            .await
            .1;
        let allow = allow
            .get("allow")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    }
}

#[tokio::test]
async fn an_address_over_the_limit_is_a_414_that_echoes_nothing() {
    for app in apps(false).await {
        let filter = "A".repeat(9 * 1024);
        for path in [
            format!("/api/v1/pledges?member_state={filter}"),
            format!("/countries/{filter}"),
            format!("/{filter}"),
        ] {
            let (answer, text) = app
                .exchange(request("GET", &path, Client::Bearer(&app.viewer)))
                .await;
            let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            let headers = answer.response.headers().clone();
            assert_problem(
                "a long address",
                answer.status,
                &headers,
                &body,
                414,
                "uri-too-long",
            );
            assert!(
                !text.contains("AAAAAAAA"),
                "the address is echoed: {}",
                &text[..200.min(text.len())]
            );
            assert_shaped("a long address", answer.status, &headers, false);
        }
        // Just under the limit is read (and answered by the handler, here as an unknown state).
        let near = format!("/api/v1/pledges?member_state={}", "A".repeat(8 * 1024 - 40));
        let answer = app
            .call(Method::GET, &near, Some(&app.viewer), &[], None)
            .await;
        assert_ne!(answer.status, StatusCode::URI_TOO_LONG);
    }
}

#[tokio::test]
async fn an_unsupported_media_type_is_problem_details() {
    for app in apps(false).await {
        let (status, headers, body) = problem_of(
            &app,
            with_body(
                "POST",
                "/api/v1/pledges",
                &app.admin,
                "text/plain",
                "quantity=2",
            ),
        )
        .await;
        assert_problem(
            "a text pledge",
            status,
            &headers,
            &body,
            415,
            "unsupported-media-type",
        );

        // A page form sent as something else than a form: axum's own rejection, re-dressed.
        let cookie = log_in(&app, &app.admin).await;
        let form_as_json = |accept: &str| {
            Request::post("/pledges/new")
                .header("host", HOST)
                .header("origin", format!("http://{HOST}"))
                .header("cookie", &cookie)
                .header("content-type", "application/json")
                .header("accept", accept)
                .body(Body::from("{}"))
                .unwrap_or_default()
        };
        let (status, headers, body) = problem_of(&app, form_as_json("*/*")).await;
        assert_problem(
            "a JSON page form",
            status,
            &headers,
            &body,
            415,
            "unsupported-media-type",
        );
        let (answer, html) = app.exchange(form_as_json("text/html,*/*;q=0.8")).await;
        assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(
            answer.content_type.starts_with("text/html"),
            "{}",
            answer.content_type
        );
        assert!(html.contains("Unsupported media type"), "{html}");
        assert!(answer.header("x-request-id").is_some());
    }
}

#[tokio::test]
async fn a_malformed_request_is_a_400_in_problem_details() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.viewer).await;
        let cases = [
            with_body(
                "POST",
                "/api/v1/pledges",
                &app.admin,
                "application/json",
                "{\"quantity\": 2,",
            ),
            request(
                "GET",
                "/api/v1/pledges/not-a-number",
                Client::Bearer(&app.viewer),
            ),
            request(
                "GET",
                "/api/v1/pledges/99999999999999999999999",
                Client::Bearer(&app.viewer),
            ),
            with_body(
                "POST",
                "/api/v1/imports/pledges?dry_run=maybe",
                &app.admin,
                "text/csv",
                "pledge_ref\n",
            ),
            // A page's own path and query extractors (axum's, answering bare text).
            request("GET", "/pledges/not-a-number", Client::Cookie(&cookie)),
        ];
        for case in cases {
            let what = format!("{} {}", case.method(), case.uri());
            let (status, headers, body) = problem_of(&app, case).await;
            assert_problem(&what, status, &headers, &body, 400, "bad-request");
        }
    }
}

#[tokio::test]
async fn a_page_form_over_the_body_limit_is_a_413_in_problem_details() {
    let settings = pledgeboard_http::HttpSettings {
        max_body_bytes: 1024,
        ..Default::default()
    };
    for app in apps_with(false, settings).await {
        let cookie = log_in(&app, &app.admin).await;
        let request = Request::post("/pledges/new")
            .header("host", HOST)
            .header("origin", format!("http://{HOST}"))
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!("notes={}", "x".repeat(4096))))
            .unwrap_or_default();
        let (status, headers, body) = problem_of(&app, request).await;
        assert_problem("a large form", status, &headers, &body, 413, "too-large");
    }
}

fn with_request_id(values: &[&[u8]]) -> Request<Body> {
    let mut builder = Request::get("/healthz");
    for value in values {
        builder = builder.header("x-request-id", *value);
    }
    builder.body(Body::empty()).unwrap_or_default()
}

fn is_uuid(id: &str) -> bool {
    id.len() == 36
        && id.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[tokio::test]
async fn a_short_printable_request_id_is_kept_and_any_other_replaced() {
    let app = apps(false)
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no backend"));
    let id_of = |headers: &HeaderMap| {
        let all: Vec<String> = headers
            .get_all("x-request-id")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        assert_eq!(all.len(), 1, "one id per answer: {all:?}");
        all[0].clone()
    };
    let longest = "b".repeat(64);
    for kept in [
        "client-42",
        "0b0e4c6e-4f4e-4d3a-9f0e-6a5d2c1b0a99",
        "svc:a/b+c=.d_e",
        longest.as_str(),
    ] {
        let (_, headers) = head_of(&app, with_request_id(&[kept.as_bytes()])).await;
        assert_eq!(id_of(&headers), kept);
    }
    let too_long = "b".repeat(65);
    let replaced: [&[&[u8]]; 7] = [
        &[],
        &[too_long.as_bytes()],
        &[b"two words"],
        &[b"quote\"d"],
        &[b"line;break"],
        &["idé".as_bytes()],
        &[b"first", b"second"],
    ];
    for values in replaced {
        let (_, headers) = head_of(&app, with_request_id(values)).await;
        let id = id_of(&headers);
        assert!(is_uuid(&id), "{values:?} gave '{id}', not a fresh UUID");
    }
    // On an error answer too.
    let request = Request::get("/api/v1/no-such")
        .header("x-request-id", "trace-7")
        .body(Body::empty())
        .unwrap_or_default();
    let (status, headers) = head_of(&app, request).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(id_of(&headers), "trace-7");
}
