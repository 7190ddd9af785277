//! Static assets compiled into the binary.

use axum::http::header;
use axum::response::IntoResponse;

/// How long a browser may keep an asset: their names carry no version, so a new binary's
/// assets must be picked up within minutes, yet a board refreshed all day need not fetch them
/// on every page.
pub const ASSET_CACHE_CONTROL: &str = "public, max-age=300";

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, ASSET_CACHE_CONTROL),
        ],
        body,
    )
}

fn script(body: &'static str) -> impl IntoResponse {
    asset("text/javascript; charset=utf-8", body)
}

/// The one stylesheet.
pub async fn stylesheet() -> impl IntoResponse {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../assets/pledgeboard.css"),
    )
}

/// The board's live-update script.
pub async fn board_script() -> impl IntoResponse {
    script(include_str!("../../assets/board.js"))
}

/// The pledge form's focus and personnel pre-fill.
pub async fn pledge_form_script() -> impl IntoResponse {
    script(include_str!("../../assets/pledge_form.js"))
}

/// The import form's in-place preview and apply.
pub async fn import_script() -> impl IntoResponse {
    script(include_str!("../../assets/import.js"))
}

/// The navigation's narrow-screen menu.
pub async fn nav_script() -> impl IntoResponse {
    script(include_str!("../../assets/nav.js"))
}

/// The tab icon, at `/assets/favicon.svg` and at `/favicon.ico`, where browsers look unasked.
pub async fn favicon() -> impl IntoResponse {
    asset("image/svg+xml", include_str!("../../assets/favicon.svg"))
}
