//! Request tracing: every request gets an `x-request-id` — the client's own when it is short
//! and printable (see [`is_fit_request_id`]), else a fresh UUID — a span carrying it, and the
//! id echoed on the response.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::HeaderValue;
use tower_http::request_id::RequestId;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The header that carries a request's id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Longest client-supplied request id kept, in bytes: a UUID is 36, a W3C trace id 32 and a
/// ULID 26; 64 keeps any tracer's ids while a log line stays a line.
pub const MAX_REQUEST_ID_BYTES: usize = 64;

/// Whether a client's `x-request-id` is kept: 1 to [`MAX_REQUEST_ID_BYTES`] bytes, each an
/// ASCII letter or digit or one of `-` `_` `.` `:` `+` `/` `=` (what UUIDs, ULIDs, trace ids and
/// base64 ids are made of). Spaces, quotes, control and non-ASCII characters are not: they
/// could forge or break a log line.
pub fn is_fit_request_id(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    (1..=MAX_REQUEST_ID_BYTES).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:+/=".contains(b))
}

/// Drops a client's `x-request-id` unless it is fit to keep (one, and fit), so that the next
/// layer gives the request a fresh UUID instead.
pub async fn drop_unfit_request_id(mut request: Request) -> Request {
    let headers = request.headers_mut();
    let mut values = headers.get_all(REQUEST_ID_HEADER).iter();
    let keep = matches!((values.next(), values.next()), (Some(v), None) if is_fit_request_id(v));
    if !keep {
        headers.remove(REQUEST_ID_HEADER);
    }
    request
}

/// Wraps the router in a tracing layer: one span per request, with its id.
pub fn traced(router: Router) -> Router {
    router.layer(
        TraceLayer::new_for_http()
            .make_span_with(|req: &axum::http::Request<Body>| {
                let request_id = req
                    .extensions()
                    .get::<RequestId>()
                    .and_then(|id| id.header_value().to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    method = %req.method(),
                    path = %req.uri().path(),
                    request_id = %request_id,
                    actor = tracing::field::Empty,
                )
            })
            .on_response(DefaultOnResponse::new().level(Level::INFO)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(value: &str) -> bool {
        HeaderValue::from_str(value).is_ok_and(|v| is_fit_request_id(&v))
    }

    #[test]
    fn uuids_trace_ids_and_base64_ids_are_kept() {
        assert!(fit("0b0e4c6e-4f4e-4d3a-9f0e-6a5d2c1b0a99"));
        assert!(fit("4bf92f3577b34da6a3ce929d0e0e4736"));
        assert!(fit("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assert!(fit("svc:abc/12+Q=="));
        assert!(fit(&"a".repeat(MAX_REQUEST_ID_BYTES)));
    }

    #[test]
    fn long_empty_or_unprintable_ids_are_replaced() {
        assert!(!fit(""));
        assert!(!fit(&"a".repeat(MAX_REQUEST_ID_BYTES + 1)));
        assert!(!fit("two words"));
        assert!(!fit("quote\"d"));
        assert!(!fit("semi;colon"));
        assert!(!fit("tab\there"));
        assert!(!HeaderValue::from_bytes("idé".as_bytes()).is_ok_and(|v| is_fit_request_id(&v)));
    }
}
