//! Drives the real router on a fresh database per test, on every configured backend.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use http_body_util::BodyExt;
use pledgeboard_http::{AppState, router};
use pledgeboard_store::testing::{backends, fresh_store};
use serde_json::Value;
use tower::ServiceExt;

/// An app on a fresh database, named by its backend for assertion messages.
pub struct TestApp {
    pub backend: &'static str,
    pub router: Router,
}

/// One app per configured backend, each with the demo data loaded when `demo` is set.
pub async fn apps(demo: bool) -> Vec<TestApp> {
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
        let state = AppState::new(store)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        apps.push(TestApp {
            backend,
            router: router(state),
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

impl TestApp {
    /// Sends a request and reads the whole answer.
    pub async fn send(&self, request: Request<Body>) -> Answer {
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
        Answer {
            status: parts.status,
            content_type: parts
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            response: Response::from_parts(parts, ()),
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).unwrap_or_default())
            .await
    }
}
