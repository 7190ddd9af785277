//! Who is asking: the bearer token of an `/api/v1` request, or the session cookie of a page
//! (and of a page's own API calls, such as the live board's event stream), resolved to an
//! [`Actor`]. A cookie-authenticated change must come from this site's own pages (Origin).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use pledgeboard_domain::Actor;

use crate::{ApiError, AppState};

/// The actor behind a request; extracting it refuses requests without a live token.
pub struct Authenticated(pub Actor);

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// The cookie that carries a web session id.
pub const SESSION_COOKIE: &str = "pb_session";

/// The session id in the request's cookies, if any.
pub fn session_cookie(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

/// Whether a state-changing request comes from this site: its `Origin` names the host it was
/// sent to. Browsers send `Origin` with every unsafe request.
pub fn same_origin(parts: &Parts) -> bool {
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    match (
        header(axum::http::header::HOST),
        header(axum::http::header::ORIGIN),
    ) {
        (Some(host), Some(origin)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest == host),
        _ => false,
    }
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if bearer(parts).is_none()
            && let Some(session) = session_cookie(parts)
        {
            let actor = state.store.session_actor(session).await?.ok_or_else(|| {
                ApiError::Unauthorized("your session has ended: log in again".into())
            })?;
            if !parts.method.is_safe() && !same_origin(parts) {
                return Err(ApiError::Forbidden(
                    "this change did not come from Pledgeboard's own pages".into(),
                ));
            }
            return Ok(Self(actor));
        }
        let token = bearer(parts).ok_or_else(|| {
            ApiError::Unauthorized("send your token as 'Authorization: Bearer <token>'".into())
        })?;
        match state.store.authenticate(token).await? {
            Some(actor) => {
                tracing::Span::current().record("actor", actor.name.as_str());
                Ok(Self(actor))
            }
            None => Err(ApiError::Unauthorized(
                "this token is unknown or has been revoked".into(),
            )),
        }
    }
}
