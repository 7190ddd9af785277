//! `ApiError`: the one place that picks status codes. Every error body is RFC 9457
//! `application/problem+json` with a stable machine `type`.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::{DomainError, FieldError, Message, message};

use crate::i18n::{Lang, said};
use pledgeboard_store::StoreError;
use serde::Serialize;

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error as the API reports it.
#[derive(Debug)]
pub enum ApiError {
    /// The request is malformed (bad JSON, bad path segment).
    BadRequest(String),
    /// No valid token was presented.
    Unauthorized(String),
    /// The token's role may not do this.
    Forbidden(String),
    /// The thing asked for does not exist, in words said in the request's language.
    NotFound(Message),
    /// A unique key is taken, in words said in the request's language.
    Conflict(Message),
    /// The data breaks the rules; each bad field is listed.
    Invalid(Vec<FieldError>),
    /// `If-Match` named a version that is no longer current.
    PreconditionFailed { current: i32 },
    /// The body is larger than the configured limit.
    PayloadTooLarge(String),
    /// The body is not in a media type this route reads.
    UnsupportedMediaType(String),
    /// The path exists but not with this method (the answer carries `Allow`).
    MethodNotAllowed(String),
    /// The request's address is longer than the server reads.
    UriTooLong(String),
    /// The request did not arrive in time.
    Timeout(String),
    /// Too many failed attempts from this address; it may try again after this many seconds.
    TooManyRequests { retry_after_secs: u64 },
    /// Any other status a layer answered by itself: kept, with a generic type.
    Status(StatusCode, String),
    /// The database cannot be reached.
    Unavailable,
    /// The server is busy with work of this kind; the client may retry after that many
    /// seconds (answered 503 with `Retry-After`).
    Busy {
        detail: String,
        retry_after_seconds: u64,
    },
    /// Anything else: logged, never shown.
    Internal(String),
}

/// One invalid field in a problem body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub value: String,
    pub message: String,
}

/// An RFC 9457 problem details body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable machine-readable kind, e.g. `urn:pledgeboard:problem:invalid`.
    #[serde(rename = "type")]
    pub kind: String,
    /// In the request's language, like `detail` and each error's `message`.
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every invalid field, for 422 answers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", "Token required"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            Self::PreconditionFailed { .. } => (
                StatusCode::PRECONDITION_FAILED,
                "stale",
                "Changed by someone else",
            ),
            Self::PayloadTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Request too large",
            ),
            Self::UnsupportedMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            Self::MethodNotAllowed(_) => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
            ),
            Self::UriTooLong(_) => (StatusCode::URI_TOO_LONG, "uri-too-long", "Address too long"),
            Self::Timeout(_) => (StatusCode::REQUEST_TIMEOUT, "timeout", "Request too slow"),
            Self::Status(status, _) => (
                *status,
                "error",
                status.canonical_reason().unwrap_or("Error"),
            ),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Already exists"),
            Self::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", "Invalid data"),
            Self::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-attempts",
                "Too many failed attempts",
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
            Self::Busy { .. } => (StatusCode::SERVICE_UNAVAILABLE, "busy", "Busy, try again"),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
            ),
        }
    }

    /// The seconds a client should wait before trying again, for `Retry-After`: a busy
    /// server's turn, or an address that failed too often.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            Self::TooManyRequests { retry_after_secs } => Some(*retry_after_secs),
            Self::Busy {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            Self::Unavailable => Some(UNAVAILABLE_RETRY_AFTER_SECS),
            _ => None,
        }
    }

    /// A single invalid field.
    pub fn invalid_field(field: &str, value: &str, error: impl Into<Message>) -> Self {
        Self::Invalid(vec![FieldError::new(field, value, error)])
    }
}

impl ApiError {
    /// The status and problem details body this error is answered with, its words in the
    /// language of the request (the `type` never changes).
    pub fn problem(self) -> (StatusCode, Problem) {
        let lang = crate::i18n::current();
        let (status, slug, english_title) = self.parts();
        let title = match lang {
            Lang::En => english_title.to_owned(),
            _ => match lang.t(&format!("error-title-{slug}")) {
                said if said.starts_with("error-title-") => english_title.to_owned(),
                said => said,
            },
        };
        let in_lang = |english: String, key: &str, args: &[(&'static str, String)]| match lang {
            Lang::En => english,
            _ => lang.t_with(key, args),
        };
        let (detail, errors) = match self {
            Self::BadRequest(d)
            | Self::Unauthorized(d)
            | Self::Forbidden(d)
            | Self::PayloadTooLarge(d)
            | Self::UnsupportedMediaType(d)
            | Self::MethodNotAllowed(d)
            | Self::UriTooLong(d)
            | Self::Timeout(d)
            | Self::Status(_, d)
            | Self::Busy { detail: d, .. } => (d, Vec::new()),
            Self::NotFound(words) | Self::Conflict(words) => (said(&words), Vec::new()),
            Self::TooManyRequests { retry_after_secs } => (
                in_lang(
                    format!(
                        "too many failed log-ins or unknown tokens from your address; try again in {retry_after_secs} seconds"
                    ),
                    "error-detail-too-many-attempts",
                    &[("seconds", retry_after_secs.to_string())],
                ),
                Vec::new(),
            ),
            Self::PreconditionFailed { current } => (
                in_lang(
                    format!(
                        "someone changed this since you loaded it: it is now at version {current}; reload and apply your change again"
                    ),
                    "error-detail-stale",
                    &[("version", current.to_string())],
                ),
                Vec::new(),
            ),
            Self::Invalid(fields) => (
                match fields.len() {
                    1 => in_lang("1 field is invalid".to_owned(), "error-one-field", &[]),
                    n => in_lang(
                        format!("{n} fields are invalid"),
                        "error-fields",
                        &[("count", n.to_string())],
                    ),
                },
                fields
                    .into_iter()
                    .map(|f| ProblemField {
                        message: said(&f.words),
                        field: f.field,
                        value: f.value,
                    })
                    .collect(),
            ),
            Self::Unavailable => (
                in_lang(
                    "the database cannot be reached; try again shortly".to_owned(),
                    "error-detail-unavailable",
                    &[],
                ),
                Vec::new(),
            ),
            Self::Internal(internal) => {
                tracing::error!(error = %internal, "request failed");
                (
                    in_lang(
                        "something went wrong on our side; it has been logged".to_owned(),
                        "error-detail-internal",
                        &[],
                    ),
                    Vec::new(),
                )
            }
        };
        let body = Problem {
            kind: format!("urn:pledgeboard:problem:{slug}"),
            title,
            status: status.as_u16(),
            detail,
            errors,
        };
        (status, body)
    }
}

/// Seconds a 503 asks a client to wait (`Retry-After`): a write refused while an import holds
/// SQLite's writer, or a database out of reach, is a passing state; a 200,000-row import takes
/// a few seconds here.
const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = self.retry_after_seconds();
        let (status, body) = self.problem();
        let json = serde_json::to_vec(&body).unwrap_or_default();
        let mut response = (status, [(header::CONTENT_TYPE, PROBLEM_JSON)], json).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"pledgeboard\""),
            );
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::NotFound(
                message!("err-not-found", "{what} does not exist", what = &what)
                    .quoting("what", what),
            ),
            StoreError::Conflict(detail) => Self::Conflict(detail),
            StoreError::Stale { current } => Self::PreconditionFailed { current },
            StoreError::Invalid(detail) => Self::Invalid(vec![FieldError::new("", "", detail)]),
            StoreError::Unavailable(detail) => {
                tracing::warn!(error = %detail, "database unavailable");
                Self::Unavailable
            }
            StoreError::Busy(detail) => Self::Busy {
                detail,
                retry_after_seconds: UNAVAILABLE_RETRY_AFTER_SECS,
            },
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self::Invalid(vec![FieldError::new("", "", e)])
    }
}

/// Whether an error was caused by the request body timeout.
fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    std::iter::successors(Some(error), |e| e.source())
        .any(|e| e.is::<tower_http::timeout::TimeoutError>())
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        if timed_out(&r) {
            return Self::Timeout("the request body did not arrive in time; send it again".into());
        }
        match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => {
                Self::PayloadTooLarge("the request body is larger than this server accepts".into())
            }
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                Self::UnsupportedMediaType("send JSON with 'Content-Type: application/json'".into())
            }
            StatusCode::UNPROCESSABLE_ENTITY => {
                Self::Invalid(vec![FieldError::new("", "", r.body_text())])
            }
            _ => Self::BadRequest(r.body_text()),
        }
    }
}

impl From<pledgeboard_domain::Forbidden> for ApiError {
    fn from(f: pledgeboard_domain::Forbidden) -> Self {
        Self::Forbidden(said(&f.0))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::BadRequest(r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::BadRequest(r.body_text())
    }
}
