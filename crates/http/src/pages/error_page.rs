//! Errors on pages are pages: the same status and words as the API's problem details, in HTML,
//! inside the usual frame with its navigation (the pages' links, not who is signed in: an error
//! is rendered without the request).

use askama::Template;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::Forbidden;
use pledgeboard_store::StoreError;

use crate::ApiError;
use crate::i18n::Lang;
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
        let invalid_fields = match &self.0 {
            ApiError::Invalid(fields) => Some(fields.len()),
            _ => None,
        };
        let (status, problem) = self.0.problem();
        let lang = crate::i18n::current();
        let page = ErrorPage {
            nav: Nav::anonymous(),
            title: title_in(&problem.kind, problem.title, lang),
            detail: match invalid_fields {
                Some(1) if lang != Lang::En => lang.t("error-one-field"),
                Some(n) if lang != Lang::En => {
                    lang.t_with("error-fields", &[("count", n.to_string())])
                }
                _ => problem.detail,
            },
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

/// An error page's title in `lang`: by the problem's type, the API's English title in English.
fn title_in(kind: &str, english: &str, lang: Lang) -> String {
    let slug = kind.rsplit(':').next().unwrap_or_default();
    let key = format!("error-title-{slug}");
    match lang {
        Lang::En => english.to_owned(),
        Lang::Fr => match lang.t(&key) {
            said if said == key => english.to_owned(),
            said => said,
        },
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
