//! Versions as entity tags: `ETag: "3"` on responses, `If-Match: "3"` on changes.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::ApiError;

/// The ETag of a version.
pub fn etag(version: i32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// Headers carrying a version's ETag.
pub fn tagged(version: i32) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, etag(version));
    headers
}

/// The version an `If-Match` header asks for: `None` when absent or `*`.
pub fn if_match(headers: &HeaderMap) -> Result<Option<i32>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse::<i32>()
        .map(Some)
        .map_err(|_| {
            ApiError::BadRequest(format!("If-Match '{text}' is not an ETag this server gave"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn quoted_weak_and_bare_versions_are_read() {
        assert_eq!(if_match(&headers("\"3\"")).unwrap(), Some(3));
        assert_eq!(if_match(&headers("W/\"4\"")).unwrap(), Some(4));
        assert_eq!(if_match(&headers("5")).unwrap(), Some(5));
        assert_eq!(if_match(&headers("*")).unwrap(), None);
        assert_eq!(if_match(&HeaderMap::new()).unwrap(), None);
    }

    #[test]
    fn a_foreign_tag_is_a_bad_request() {
        assert!(if_match(&headers("\"abc\"")).is_err());
    }
}
