//! A file sent to an import route: the raw body (`text/csv`, `.xlsx`) or the `file` field of a
//! multipart form.

use axum::RequestExt;
use axum::body::Bytes;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use futures_util::StreamExt;

use crate::{ApiError, AppState};

/// The bytes of an uploaded file, as received: gathered once into a buffer sized from the
/// request's `Content-Length` (at most the import limit), never copied again. Collecting the
/// chunks first and joining them after would hold the file twice at its peak.
pub struct UploadedFile(pub Bytes);

/// The buffer a file of this request is gathered into: `Content-Length`, when it is given and
/// within `limit` (a larger one is refused by the body limit before anything is kept).
pub fn size_hint(headers: &HeaderMap, limit: usize) -> usize {
    headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(0, |n| n.min(limit))
}

/// The whole of a multipart field, gathered into one buffer of `capacity`.
pub async fn field_bytes(mut field: Field<'_>, capacity: usize) -> Result<Bytes, MultipartError> {
    let mut bytes = Vec::with_capacity(capacity);
    while let Some(chunk) = field.chunk().await? {
        bytes.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(bytes))
}

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

impl FromRequest<AppState> for UploadedFile {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let capacity = size_hint(req.headers(), state.settings.max_import_bytes);
        let multipart = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            let mut body = req.into_limited_body().into_data_stream();
            let mut bytes = Vec::with_capacity(capacity);
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| {
                    let limited = std::error::Error::source(&e)
                        .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
                    if limited {
                        too_large_or(axum::http::StatusCode::PAYLOAD_TOO_LARGE, String::new())
                    } else {
                        ApiError::BadRequest(format!("the file could not be read: {e}"))
                    }
                })?;
                bytes.extend_from_slice(&chunk);
            }
            return Ok(Self(Bytes::from(bytes)));
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
                let bytes = field_bytes(field, capacity)
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
