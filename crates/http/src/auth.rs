//! Who is asking: the bearer token of every `/api/v1` request, resolved to an [`Actor`].

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

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
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
