//! Which language a request is answered in: `?lang=en|fr` (remembered in a cookie for the
//! pages that follow), else the remembered choice, else the first language of
//! `Accept-Language` the pages speak, else English.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::{Lang, PageContext, with_page};

/// The cookie that remembers the language switch.
pub const LANG_COOKIE: &str = "pb_lang";
/// How long the choice is remembered: a year.
const REMEMBERED_SECONDS: u32 = 365 * 24 * 3600;

/// The middleware: chooses the language, answers in it, and remembers a `?lang=` choice.
pub async fn page_language(request: Request, next: Next) -> Response {
    let asked = asked_in_query(request.uri().query());
    let lang = asked
        .or_else(|| remembered(request.headers()))
        .or_else(|| accepted(request.headers()))
        .unwrap_or_default();
    let address = request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path().to_owned(), ToString::to_string);
    let mut response = with_page(PageContext { lang, address }, next.run(request)).await;
    if let Some(lang) = asked {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age={REMEMBERED_SECONDS}; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// `lang=` in a query string, when it names a language the pages speak. A bilingual
/// `lang=en,fr` (slips) asks for its first language here.
fn asked_in_query(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "lang")
        .and_then(|(_, value)| {
            let value = value.replace("%2C", ",").replace("%2c", ",");
            value.split(',').next().and_then(Lang::parse)
        })
}

fn remembered(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Lang::parse(value))
}

/// The most wanted language of `Accept-Language` that the pages speak (`q=0` is a refusal).
fn accepted(headers: &HeaderMap) -> Option<Lang> {
    let header = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut offered: Vec<(f32, usize, Lang)> = header
        .split(',')
        .take(32)
        .enumerate()
        .filter_map(|(order, item)| {
            let mut parts = item.split(';');
            let lang = Lang::parse(parts.next()?)?;
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (q > 0.0).then_some((q, order, lang))
        })
        .collect();
    offered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    offered.first().map(|(_, _, lang)| *lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            name,
            HeaderValue::from_str(value).unwrap_or_else(|e| panic!("{e}")),
        );
        h
    }

    #[test]
    fn accept_language_is_read_by_preference() {
        let a = |v| accepted(&headers(header::ACCEPT_LANGUAGE, v));
        assert_eq!(a("fr-FR,fr;q=0.9,en;q=0.8"), Some(Lang::Fr));
        assert_eq!(a("de-DE,en;q=0.5,fr;q=0.7"), Some(Lang::Fr));
        assert_eq!(a("en-GB,fr;q=0.9"), Some(Lang::En));
        assert_eq!(a("fr;q=0,de"), None);
        assert_eq!(a("de"), None);
    }

    #[test]
    fn the_query_wins_then_the_cookie() {
        assert_eq!(asked_in_query(Some("a=1&lang=fr")), Some(Lang::Fr));
        assert_eq!(asked_in_query(Some("lang=fr%2Cen")), Some(Lang::Fr));
        assert_eq!(asked_in_query(Some("lang=xx")), None);
        assert_eq!(
            remembered(&headers(header::COOKIE, "pb_session=1; pb_lang=fr")),
            Some(Lang::Fr)
        );
    }
}
