//! The headers every answer carries, whoever produced it (page, API, asset, error, redirect):
//! a strict Content-Security-Policy, no MIME sniffing, no referrer to other sites, no framing,
//! and `Cache-Control: no-store` on everything but the assets and the answers whose handler
//! allows private caching (reports and the board, tagged with the data version).

use axum::extract::Request;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Only this server's own scripts, styles, images and connections; no inline script or style,
/// no plugins, no `<base>`, forms post only here, and no page may frame these.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Every header set on every answer, with its value.
pub const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
];

/// The caching of every answer but the assets': pages and API answers carry what a signed-in
/// user may see, which no shared or browser cache should keep.
pub const NO_STORE: &str = "no-store";

/// Where the assets are served; they say how long they may be cached.
pub const ASSETS_PREFIX: &str = "/assets/";

/// Whether a handler's own caching keeps its answer out of shared caches: the reports and the
/// board (`cached_answers.rs`) say `private`, and may be kept by the browser that asked.
fn is_private(cache_control: &str) -> bool {
    cache_control
        .split(',')
        .any(|d| d.trim().eq_ignore_ascii_case("private"))
}

/// Adds the security headers (replacing any a handler set) and `no-store` outside the assets,
/// unless a handler said `private` caching itself.
pub async fn add_security_headers(request: Request, next: Next) -> Response {
    let asset = request.uri().path().starts_with(ASSETS_PREFIX);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    let kept = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| asset || is_private(v));
    if !kept {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    }
    response
}
