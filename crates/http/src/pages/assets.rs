//! Static assets compiled into the binary.

use axum::http::header;
use axum::response::IntoResponse;

fn script(body: &'static str) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        body,
    )
}

/// The one stylesheet.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
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
