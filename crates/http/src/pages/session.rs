//! Logging in with a token (a session cookie, HttpOnly and SameSite=Strict, and Secure when
//! the site is reached over https) and out. Failed log-ins are counted per client address.

use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use pledgeboard_domain::Actor;
use serde::Deserialize;

use crate::auth::{SESSION_COOKIE, failed_attempt, same_origin, session_cookie};
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::filters::PAGE_VALUE;
use crate::{ApiError, AppState, HttpSettings};

/// The login page.
#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    error: Option<String>,
}

/// Renders a template, or a plain error when it cannot be (a bug).
pub fn render(template: &impl Template) -> Response {
    match render_html(template) {
        Ok(html) => Html(html).into_response(),
        Err(e) => e.into_response(),
    }
}

/// A template's HTML in the language of the page being answered (`i18n::page`), which its
/// filters read (`t`, `thousands`, `page_in`).
pub fn render_html(template: &impl Template) -> Result<String, ApiError> {
    let page = crate::i18n::page();
    let values = (PAGE_VALUE, &page as &dyn std::any::Any);
    template
        .render_with_values(&values)
        .map_err(|e| ApiError::Internal(format!("template: {e}")))
}

/// Who is signed in, and which links their role may follow.
pub struct Nav {
    pub user: String,
    pub role: String,
    pub can_record: bool,
    pub is_admin: bool,
}

impl Nav {
    /// The navigation for `actor`.
    pub fn of(actor: &Actor) -> Self {
        Self {
            user: actor.name.clone(),
            role: crate::i18n::current().t(&format!("role-{}", actor.role)),
            can_record: actor.may_record_pledges().is_ok(),
            is_admin: actor.may_administer().is_ok(),
        }
    }

    /// The navigation when nobody is known: every page's link, and a way to log in.
    pub fn anonymous() -> Self {
        Self {
            user: String::new(),
            role: String::new(),
            can_record: false,
            is_admin: false,
        }
    }
}

/// The signed-in planner of a page; without a live session the page sends them to log in.
pub struct PageUser(pub Actor);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(session) = session_cookie(parts) else {
            return Err(Redirect::to("/login").into_response());
        };
        match state.store.session_actor(session).await {
            Ok(Some(actor)) => Ok(Self(actor)),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(ApiError::from(e).into_response()),
        }
    }
}

/// `GET /login`
pub async fn login_page() -> Response {
    render(&LoginPage { error: None })
}

/// The login form.
#[derive(Deserialize)]
pub struct LoginForm {
    token: String,
}

fn session_header(value: &str, max_age: i64, settings: &HttpSettings) -> String {
    let secure = if settings
        .public_origin
        .as_ref()
        .is_some_and(|o| o.is_https())
    {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    )
}

/// `POST /login`: a live token opens a session; anything else shows the form again, and past
/// the failed-attempt limit the error page with 429 and `Retry-After`.
pub async fn log_in(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Response {
    if !same_origin(&parts, &state.settings) {
        return (
            StatusCode::FORBIDDEN,
            render(&LoginPage {
                error: Some(crate::i18n::current().t("login-wrong-origin")),
            }),
        )
            .into_response();
    }
    let actor = match state.store.authenticate(&form.token).await {
        Ok(Some(actor)) => actor,
        Ok(None) => {
            let refused = ApiError::Unauthorized(String::new());
            if let error @ ApiError::TooManyRequests { .. } =
                failed_attempt(&parts, &state, refused)
            {
                return PageError(error).into_response();
            }
            let page = LoginPage {
                error: Some(crate::i18n::current().t("login-unknown-token")),
            };
            return (StatusCode::UNAUTHORIZED, render(&page)).into_response();
        }
        Err(e) => return ApiError::from(e).into_response(),
    };
    match state.store.create_session(&actor).await {
        Ok(session) => {
            let max_age = pledgeboard_store::SESSION_HOURS * 3600;
            let mut headers = HeaderMap::new();
            if let Ok(value) = session_header(&session, max_age, &state.settings).parse() {
                headers.insert(header::SET_COOKIE, value);
            }
            (headers, Redirect::to("/")).into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// `POST /logout`: ends the session (and its open event streams) and clears the cookie.
pub async fn log_out(State(state): State<AppState>, parts: Parts) -> Response {
    if !same_origin(&parts, &state.settings) {
        return StatusCode::FORBIDDEN.into_response();
    }
    if let Some(session) = session_cookie(&parts) {
        if let Err(e) = state.store.end_session(session).await {
            return ApiError::from(e).into_response();
        }
        state
            .live_streams()
            .end_session(&pledgeboard_store::SessionKey::of(session));
    }
    let mut headers = HeaderMap::new();
    if let Ok(value) = session_header("", 0, &state.settings).parse() {
        headers.insert(header::SET_COOKIE, value);
    }
    (headers, Redirect::to("/login")).into_response()
}
