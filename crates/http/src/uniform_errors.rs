//! Errors in one shape, whoever answered: a 405 from the router (with its `Allow`), a 400,
//! 413, 415 or 422 from one of axum's own extractors (a page form, a page query), a 408 from a
//! timeout layer. Such answers come as bare text or empty; this layer re-dresses them as the
//! [`ApiError`] they stand for — problem details, or the HTML error page when a browser asked
//! for a page. Answers already in shape (problem details, pages, JSON reports) pass untouched.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::{FieldError, Message, message};

use crate::ApiError;
use crate::pages::error_page::PageError;

/// Longest bare error text read back as a detail: axum's own rejection texts are under 200
/// bytes; anything longer is not a message meant for a person.
const MAX_BARE_TEXT_BYTES: usize = 4 * 1024;
/// Characters of such a text kept in the detail.
const MAX_DETAIL_CHARS: usize = 300;

/// Re-dresses bare error answers (see the module documentation).
pub async fn dress_bare_errors(request: Request, next: Next) -> Response {
    let wants_page = wants_page(&request);
    let method = request.method().clone();
    let response = next.run(request).await;
    if !is_bare_error(&response) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = to_bytes(body, MAX_BARE_TEXT_BYTES)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let error = error_for(parts.status, &method, &parts.headers, &text);
    let dressed = if wants_page {
        PageError(error).into_response()
    } else {
        error.into_response()
    };
    // The layer's own headers stay (`Allow`, `Retry-After`, …); the body's are the new body's.
    let (new_parts, new_body) = dressed.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in &new_parts.headers {
        parts.headers.insert(name, value.clone());
    }
    parts.status = new_parts.status;
    Response::from_parts(parts, new_body)
}

/// An error answer whose body is empty or plain text: not yet problem details or a page.
fn is_bare_error(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"))
}

/// Whether a browser asked for a page: not an API or probe path, and HTML accepted.
fn wants_page<B>(request: &axum::http::Request<B>) -> bool {
    let path = request.uri().path();
    let api = path.starts_with("/api/") || path == "/healthz" || path == "/readyz";
    let html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    !api && html
}

/// The error a bare answer stands for, in a planner's words.
fn error_for(status: StatusCode, method: &Method, headers: &HeaderMap, text: &str) -> ApiError {
    let said = || cut(text);
    match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            ApiError::MethodNotAllowed(format!(
                "{method} is not accepted at this address; it accepts {allowed}"
            ))
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge("the request body is larger than this server accepts".into())
        }
        StatusCode::REQUEST_TIMEOUT => ApiError::Timeout(
            "the request took too long to arrive; check the connection and send it again".into(),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(or(
            said(),
            "this address does not read a body of that media type",
        )),
        StatusCode::BAD_REQUEST => ApiError::BadRequest(or(said(), "the request is malformed")),
        StatusCode::UNPROCESSABLE_ENTITY => {
            ApiError::Invalid(vec![FieldError::new("", "", or(said(), "invalid data"))])
        }
        StatusCode::UNAUTHORIZED => ApiError::Unauthorized(or(said(), "log in first")),
        StatusCode::FORBIDDEN => ApiError::Forbidden(or(said(), "you may not do this")),
        StatusCode::NOT_FOUND => ApiError::NotFound(match said() {
            words if words.is_empty() => {
                message!("err-nothing-here", "there is nothing at this address")
            }
            words => Message::text(words),
        }),
        StatusCode::INTERNAL_SERVER_ERROR => ApiError::Internal(said()),
        other => ApiError::Status(
            other,
            or(
                said(),
                other
                    .canonical_reason()
                    .unwrap_or("the request was not answered"),
            ),
        ),
    }
}

/// At most [`MAX_DETAIL_CHARS`] characters of a bare text, on one line.
fn cut(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_DETAIL_CHARS)
        .collect()
}

fn or(said: String, fallback: &str) -> String {
    if said.is_empty() {
        fallback.to_owned()
    } else {
        said
    }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    /// A router whose one route answers as a tower layer would: a bare status, no body.
    fn app(status: StatusCode) -> Router {
        Router::new()
            .route("/api/v1/slow", get(move || async move { status }))
            .route(
                "/slow-page",
                get(move || async move { (status, "plain words") }),
            )
            .layer(axum::middleware::from_fn(dress_bare_errors))
    }

    async fn answer(status: StatusCode, path: &str, accept: &str) -> (Response, String) {
        let request = axum::http::Request::get(path)
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap_or_default();
        let response = app(status)
            .oneshot(request)
            .await
            .unwrap_or_else(|e| match e {});
        let (parts, body) = response.into_parts();
        let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
        (
            Response::from_parts(parts, Body::empty()),
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    fn content_type(response: &Response) -> &str {
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    #[tokio::test]
    async fn a_timeout_layers_bare_408_becomes_problem_details() {
        let (response, body) = answer(StatusCode::REQUEST_TIMEOUT, "/api/v1/slow", "*/*").await;
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(content_type(&response), crate::error::PROBLEM_JSON);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        assert_eq!(json["type"], "urn:pledgeboard:problem:timeout");
        assert_eq!(json["status"], 408);
        assert!(
            json["detail"]
                .as_str()
                .is_some_and(|d| d.contains("too long"))
        );
    }

    #[tokio::test]
    async fn an_unknown_bare_status_keeps_its_status_in_problem_details() {
        let (response, body) = answer(StatusCode::TOO_MANY_REQUESTS, "/api/v1/slow", "*/*").await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(content_type(&response), crate::error::PROBLEM_JSON);
        let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        assert_eq!(json["status"], 429);
        assert_eq!(json["title"], "Too Many Requests");
    }

    #[tokio::test]
    async fn a_browser_asking_for_a_page_gets_the_html_error_page() {
        let (response, body) = answer(StatusCode::BAD_REQUEST, "/slow-page", "text/html").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(content_type(&response).starts_with("text/html"), "{body}");
        assert!(body.contains("plain words"), "{body}");
    }

    #[test]
    fn a_long_bare_text_is_cut_to_one_line() {
        let text = format!("line\n{}", "x".repeat(10_000));
        let detail = cut(&text);
        assert_eq!(detail.chars().count(), MAX_DETAIL_CHARS);
        assert!(!detail.contains('\n'));
    }
}
