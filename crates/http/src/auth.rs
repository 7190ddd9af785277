//! Who is asking: the bearer token of an `/api/v1` request, or the session cookie of a page
//! (and of a page's own API calls, such as the live board's event stream), resolved to an
//! [`Actor`]. A cookie-authenticated change must come from this site's own pages (Origin).
//! Bad bearer tokens are counted per client address (`rate_limit`): past the limit, 429.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use pledgeboard_domain::Actor;
use pledgeboard_store::SessionKey;

use crate::live_streams::Credential;
use crate::public_origin::PublicOrigin;
use crate::rate_limit::{client_address, retry_after_secs};
use crate::{ApiError, AppState, HttpSettings};

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

/// Whether a state-changing request comes from this site: its `Origin` names the scheme,
/// host and port the site is reached at — `--public-url` when set, else `http://` and the
/// `Host` the request was sent to. Browsers send `Origin` with every unsafe request.
pub fn same_origin(parts: &Parts, settings: &HttpSettings) -> bool {
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    let Some(origin) = header(axum::http::header::ORIGIN) else {
        return false;
    };
    match &settings.public_origin {
        Some(public) => public.matches(origin),
        None => header(axum::http::header::HOST)
            .and_then(PublicOrigin::plain_http)
            .is_some_and(|site| site.matches(origin)),
    }
}

/// What an authenticated request presented, for checking again later (event streams): its
/// bearer token, else its session.
pub fn credential_of(parts: &Parts, actor: &Actor) -> Credential {
    match (bearer(parts), session_cookie(parts)) {
        (None, Some(session)) => Credential::Session(SessionKey::of(session)),
        _ => Credential::Token(actor.token_id),
    }
}

/// Counts a failed attempt from the request's address: the error to answer with, 429 once
/// the address is past its limit.
pub fn failed_attempt(parts: &Parts, state: &AppState, error: ApiError) -> ApiError {
    match state.failed_auth.record_failure(client_address(parts)) {
        Ok(()) => error,
        Err(wait) => ApiError::TooManyRequests {
            retry_after_secs: retry_after_secs(wait),
        },
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
            if !parts.method.is_safe() && !same_origin(parts, &state.settings) {
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
            None => Err(failed_attempt(
                parts,
                state,
                ApiError::Unauthorized("this token is unknown or has been revoked".into()),
            )),
        }
    }
}
