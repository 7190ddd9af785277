//! Reports answered once per data version: `ETag` from the data version and what was asked,
//! `If-None-Match` answered 304, the rendered answer kept in the [`ReportCache`]
//! (`report_cache.rs`), and the caching a browser may do (`Cache-Control`, which
//! `security_headers.rs` leaves in place).
//!
//! A report of the present is tagged `W/"<data version>-<hash>"` and may be kept privately but
//! checked every time (`private, no-cache`). A report as of a moment past (a minute ago or
//! earlier) does not change: tagged `W/"past-<hash>"` whatever the version, kept for a year
//! (`immutable`), or until midnight UTC for the reports that count renewals due from today.

use std::future::Future;
use std::hash::{Hash, Hasher};

use axum::body::{Body, to_bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::report_cache::CachedAnswer;
use crate::{ApiError, AppState};

/// How long a past moment's answer may be kept: a year.
pub const IMMUTABLE: &str = "private, max-age=31536000, immutable";
/// A present answer: kept privately, checked with its ETag before each use.
pub const REVALIDATE: &str = "private, no-cache";
/// How far back a moment must be for its answer to be taken as settled: a change dated before
/// it may still be committing.
const SETTLED_AFTER_SECONDS: i64 = 60;

/// What one answer is: the route, the parameters, and what it depends on beyond them.
pub struct Asked<'a> {
    /// The route (JSON and CSV differ), with its path values.
    pub route: &'a str,
    /// The request's query string, as sent.
    pub query: Option<&'a str>,
    /// The moment asked for, if any (read leniently: a bad one gets its 422 from the report).
    pub as_of: Option<DateTime<Utc>>,
    /// Whether the answer counts from today's date (renewals due), so it changes at midnight.
    pub daily: bool,
}

/// The moment a request asks for, read leniently (a bad one gets its 422 from the report).
pub fn as_of_hint(text: &Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref()
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| crate::params::parse_as_of(t).ok())
}

/// An answer's key in the cache, its ETag and its caching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub key: String,
    pub etag: String,
    pub cache_control: String,
}

/// The query's pairs sorted, so that the same parameters in another order are one answer.
fn normalised(query: Option<&str>) -> String {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.unwrap_or_default()).unwrap_or_default();
    pairs.sort();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

fn hash_of(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

fn seconds_to_midnight(now: DateTime<Utc>) -> i64 {
    let tomorrow = now.date_naive() + Duration::days(1);
    let midnight = tomorrow.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    midnight.map_or(0, |m| (m - now).num_seconds().max(0))
}

/// The tag of an answer at `version` and `now`; `vary` is what else the answer shows (the
/// board's navigation names who is signed in), kept out of the cache key.
pub fn tag_at(asked: &Asked<'_>, version: i64, now: DateTime<Utc>, vary: &str) -> Tag {
    let past = asked
        .as_of
        .is_some_and(|t| t <= now - Duration::seconds(SETTLED_AFTER_SECONDS));
    let today: Option<NaiveDate> = (!past || asked.daily).then(|| now.date_naive());
    let at = if past {
        "past".to_owned()
    } else {
        version.to_string()
    };
    let day = today.map(|d| d.to_string()).unwrap_or_default();
    // Answers are kept per language: a workbook's About sheet and a page's words follow it.
    let lang = crate::i18n::current().code();
    let key = format!(
        "{}?{}#{at}@{day}~{lang}",
        asked.route,
        normalised(asked.query)
    );
    let etag = format!("W/\"{at}-{:016x}\"", hash_of(&format!("{key}|{vary}")));
    let cache_control = match (past, asked.daily) {
        (false, _) => REVALIDATE.to_owned(),
        (true, false) => IMMUTABLE.to_owned(),
        (true, true) => format!("private, max-age={}", seconds_to_midnight(now)),
    };
    Tag {
        key,
        etag,
        cache_control,
    }
}

/// The tag of an answer now, reading the data version.
pub async fn tag(state: &AppState, asked: &Asked<'_>, vary: &str) -> Result<Tag, ApiError> {
    let version = state.store.data_version().await?;
    Ok(tag_at(asked, version, Utc::now(), vary))
}

/// Whether `If-None-Match` names `etag` (weak comparison, as for GET).
pub fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

/// `response` with the tag's ETag and caching.
pub fn tagged(mut response: Response, tag: &Tag) -> Response {
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&tag.etag) {
        headers.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&tag.cache_control) {
        headers.insert(header::CACHE_CONTROL, v);
    }
    response
}

/// 304 with the tag, when the client holds this answer already.
pub fn not_modified(headers: &HeaderMap, tag: &Tag) -> Option<Response> {
    matches(headers, &tag.etag).then(|| tagged(StatusCode::NOT_MODIFIED.into_response(), tag))
}

/// A kept answer as a response, tagged.
pub fn respond(answer: &CachedAnswer, tag: &Tag) -> Response {
    let mut response = Response::new(Body::from(answer.body.clone()));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, answer.content_type.clone());
    if let Some(d) = &answer.disposition {
        headers.insert(header::CONTENT_DISPOSITION, d.clone());
    }
    tagged(response, tag)
}

/// Why an answer was not kept: an error, or an answer other than 200, passed on as it is.
enum NotKept {
    Error(ApiError),
    Answer(Response),
}

async fn keepable(response: Response) -> Result<CachedAnswer, NotKept> {
    if response.status() != StatusCode::OK {
        return Err(NotKept::Answer(response));
    }
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, usize::MAX)
        .await
        .map_err(|e| NotKept::Error(ApiError::Internal(format!("reading a report: {e}"))))?;
    Ok(CachedAnswer {
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        disposition: parts.headers.get(header::CONTENT_DISPOSITION).cloned(),
        body,
    })
}

/// Answers a report: 304 when the client holds it, else the kept answer, else `compute`'s
/// (kept when it is a 200).
pub async fn cached_report<F>(
    state: &AppState,
    headers: &HeaderMap,
    asked: Asked<'_>,
    compute: F,
) -> Result<Response, ApiError>
where
    F: Future<Output = Result<Response, ApiError>>,
{
    let tag = tag(state, &asked, "").await?;
    if let Some(answer) = not_modified(headers, &tag) {
        return Ok(answer);
    }
    let kept = state
        .reports
        .get_or_compute(&tag.key, async {
            keepable(compute.await.map_err(NotKept::Error)?).await
        })
        .await;
    match kept {
        Ok(answer) => Ok(respond(&answer, &tag)),
        Err(NotKept::Error(e)) => Err(e),
        Err(NotKept::Answer(response)) => Ok(response),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(query: Option<&str>, as_of: Option<DateTime<Utc>>, daily: bool) -> Asked<'_> {
        Asked {
            route: "/r",
            query,
            as_of,
            daily,
        }
    }

    #[test]
    fn the_same_parameters_at_the_same_version_have_one_tag_and_a_new_version_another() {
        let now = Utc::now();
        let a = tag_at(&asked(Some("b=2&a=1"), None, false), 7, now, "");
        let b = tag_at(&asked(Some("a=1&b=2"), None, false), 7, now, "");
        assert_eq!(a, b);
        assert!(a.etag.starts_with("W/\"7-"));
        assert_eq!(a.cache_control, REVALIDATE);
        let c = tag_at(&asked(Some("a=1&b=2"), None, false), 8, now, "");
        assert_ne!(a.etag, c.etag);
        assert_ne!(a.key, c.key);
        let d = tag_at(&asked(Some("a=1"), None, false), 7, now, "");
        assert_ne!(a.etag, d.etag);
        let e = tag_at(&asked(Some("a=1&b=2"), None, false), 7, now, "someone");
        assert_ne!(a.etag, e.etag, "what else it shows changes the tag");
        assert_eq!(a.key, e.key, "but not the key");
    }

    #[test]
    fn a_settled_past_moment_is_one_answer_at_every_version() {
        let now = Utc::now();
        let past = Some(now - Duration::hours(1));
        let a = tag_at(&asked(Some("as_of=x"), past, false), 7, now, "");
        let b = tag_at(&asked(Some("as_of=x"), past, false), 9, now, "");
        assert_eq!(a, b);
        assert_eq!(a.cache_control, IMMUTABLE);
        let daily = tag_at(&asked(Some("as_of=x"), past, true), 7, now, "");
        assert!(daily.cache_control.starts_with("private, max-age="));
        let recent = tag_at(&asked(Some("as_of=x"), Some(now), false), 7, now, "");
        assert_eq!(recent.cache_control, REVALIDATE, "not yet settled");
    }

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", \"7-ab\""),
        );
        assert!(matches(&h, "W/\"7-ab\""));
        assert!(!matches(&h, "W/\"8-ab\""));
        assert!(!matches(&HeaderMap::new(), "W/\"7-ab\""));
    }
}
