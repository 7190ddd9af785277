//! Static assets compiled into the binary.

use axum::http::header;
use axum::response::IntoResponse;

/// The one stylesheet.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../assets/pledgeboard.css"),
    )
}

/// The board's live-update script.
pub async fn board_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../assets/board.js"),
    )
}
