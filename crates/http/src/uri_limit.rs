//! The longest address the server reads, checked before routing, tracing or any handler sees
//! the request: a longer one is a 414 in problem details, and is never logged or echoed.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ApiError;

/// Longest path and query accepted, in bytes. The longest address the pages and the API build
/// is a filtered pledge list with a cursor, well under 1 KiB; 8 KiB is what common proxies
/// (nginx's default header buffer) pass on, so nothing legitimate is refused here first.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Answers 414 to a request whose path and query are longer than [`MAX_URI_BYTES`].
pub async fn refuse_long_uris(request: Request, next: Next) -> Response {
    let length = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if length > MAX_URI_BYTES {
        tracing::warn!(length, "refused an address over the length limit");
        return ApiError::UriTooLong(format!(
            "the address is {length} bytes long; this server reads addresses of at most \
             {MAX_URI_BYTES} bytes (send long filters in fewer words)"
        ))
        .into_response();
    }
    next.run(request).await
}
