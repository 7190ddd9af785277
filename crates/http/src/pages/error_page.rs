//! Errors on pages are pages: the same status and words as the API's problem details, in HTML,
//! inside the usual frame with its navigation (the pages' links, not who is signed in: an error
//! is rendered without the request).

use askama::Template;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::Forbidden;
use pledgeboard_store::StoreError;

use crate::ApiError;
use crate::pages::filters;
use crate::pages::session::{Nav, render};

/// Why a page could not be shown or a form not applied.
#[derive(Debug)]
pub struct PageError(pub ApiError);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: Nav,
    title: String,
    detail: String,
    problems: Vec<String>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let retry_after = self.0.retry_after_seconds();
        // The problem's words are already in the request's language.
        let (status, problem) = self.0.problem();
        let page = ErrorPage {
            nav: Nav::anonymous(),
            title: problem.title,
            detail: problem.detail,
            problems: problem
                .errors
                .into_iter()
                .map(|e| match e.field.as_str() {
                    "" => e.message,
                    field => format!("{field}: {}", e.message),
                })
                .collect(),
        };
        let mut response = (status, render(&page)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        response
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        Self(e.into())
    }
}

impl From<Forbidden> for PageError {
    fn from(e: Forbidden) -> Self {
        Self(e.into())
    }
}
