//! A file sent to an import route: the raw body (`text/csv`, `.xlsx`) or the `file` field of a
//! multipart form.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header::CONTENT_TYPE;

use crate::ApiError;

/// The bytes of an uploaded file, as received (never copied again).
pub struct UploadedFile(pub Bytes);

/// The multipart field that carries the file.
pub const FILE_FIELD: &str = "file";

fn too_large_or(status: axum::http::StatusCode, fallback: String) -> ApiError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(
            "the file is larger than this server accepts for an import".into(),
        )
    } else {
        ApiError::BadRequest(fallback)
    }
}

impl<S: Send + Sync> FromRequest<S> for UploadedFile {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let bytes = Bytes::from_request(req, state)
                .await
                .map_err(|r| too_large_or(r.status(), r.body_text()))?;
            return Ok(Self(bytes));
        }
        let mut form = Multipart::from_request(req, state)
            .await
            .map_err(|r| too_large_or(r.status(), r.body_text()))?;
        while let Some(field) = form
            .next_field()
            .await
            .map_err(|e| too_large_or(e.status(), e.body_text()))?
        {
            if field.name() == Some(FILE_FIELD) {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| too_large_or(e.status(), e.body_text()))?;
                return Ok(Self(bytes));
            }
        }
        Err(ApiError::BadRequest(format!(
            "the form has no '{FILE_FIELD}' field with the file"
        )))
    }
}
