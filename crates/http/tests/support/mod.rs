//! Drives the real router on a fresh database per test, on every configured backend, with a
//! token for each role.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support code"
)]

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use pledgeboard_domain::{MemberStateCode, Role};
use pledgeboard_http::{AppState, HttpSettings, router};
use pledgeboard_store::Store;
use pledgeboard_store::testing::{backends, fresh_store};
use serde_json::Value;
use tower::ServiceExt;

pub mod pages;
pub mod shortcuts;

/// An app on a fresh database, named by its backend for assertion messages.
pub struct TestApp {
    pub backend: &'static str,
    pub router: Router,
    pub state: AppState,
    pub store: Store,
    pub admin: String,
    pub planner: String,
    /// A delegate of Pakistan.
    pub delegate: String,
    pub viewer: String,
}

/// One app per configured backend, each with the demo data loaded when `demo` is set.
pub async fn apps(demo: bool) -> Vec<TestApp> {
    apps_with(demo, HttpSettings::default()).await
}

/// Like [`apps`], with the given HTTP settings.
pub async fn apps_with(demo: bool, settings: HttpSettings) -> Vec<TestApp> {
    let mut apps = Vec::new();
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        if demo {
            store
                .load_demo_fixtures()
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e}"));
        }
        let token = |name: &'static str, role: Role, state: Option<&str>| {
            let store = store.clone();
            let state = state.map(|s| MemberStateCode::parse(s).unwrap_or_else(|e| panic!("{e}")));
            async move {
                store
                    .create_token(name, role, state)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
                    .1
            }
        };
        let admin = token("test admin", Role::Admin, None).await;
        let planner = token("test planner", Role::Planner, None).await;
        let delegate = token("test delegate PAK", Role::Delegate, Some("PAK")).await;
        let viewer = token("test viewer", Role::Viewer, None).await;
        let state = AppState::with_settings(store.clone(), settings.clone())
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        apps.push(TestApp {
            backend,
            router: router(state.clone()),
            state,
            store,
            admin,
            planner,
            delegate,
            viewer,
        });
    }
    apps
}

/// A response's status, headers and body as JSON (or `Null` when empty / not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub response: Response<()>,
    pub json: Value,
}

impl Answer {
    /// A response header as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

impl TestApp {
    /// Sends a request and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Answer {
        self.exchange(request).await.0
    }

    /// Sends a request; the answer (JSON parsed when it is JSON) and its body as text.
    pub async fn exchange(&self, request: Request<Body>) -> (Answer, String) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        let (parts, body) = response.into_parts();
        let bytes = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let answer = Answer {
            status: parts.status,
            content_type: parts
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            response: Response::from_parts(parts, ()),
        };
        (answer, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A request with a token (if any), extra headers and a JSON body (if any).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Answer {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).unwrap_or_else(|e| panic!("{e}")))
            .await
    }

    /// `GET path` as a viewer.
    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, Some(&self.viewer), &[], None)
            .await
    }

    /// `POST path` with a JSON body and a token.
    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), &[], Some(body))
            .await
    }

    /// `PATCH path` with a JSON body, a token and optionally `If-Match`.
    pub async fn patch(
        &self,
        path: &str,
        token: &str,
        if_match: Option<&str>,
        body: Value,
    ) -> Answer {
        let headers: Vec<(&str, &str)> = if_match.map(|v| ("if-match", v)).into_iter().collect();
        self.call(Method::PATCH, path, Some(token), &headers, Some(body))
            .await
    }
}

/// A valid new pledge body for `state` with reference `reference`.
pub fn pledge_body(state: &str, reference: &str) -> Value {
    serde_json::json!({
        "pledge_ref": reference,
        "member_state": state,
        "capability": "HEL-UTIL",
        "quantity": 2,
        "personnel": 80,
        "female_personnel": 8,
        "readiness": "L2",
        "available_from": "2026-03-01",
        "mission": "MINUSCA",
        "conference": "ISB-2025",
        "monthly_cost_usd": "1250000.50",
        "partners": [{"member_state": "JPN", "role": "equips"}],
        "equipment": [{"category": "Aviation", "description": "Mi-17", "quantity": 2, "lease": "wet"}]
    })
}
