//! Query parameters that several routes (and pages) read: every value arrives as text, is
//! trimmed, and a wrong one becomes a field error named after its parameter.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use pledgeboard_domain::{DomainError, FieldError};

/// The parameter's text when it was given and is not blank.
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parses one parameter when given, recording a named error when it is wrong.
pub fn param<T>(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &Option<String>,
    parse: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Option<T> {
    let v = given(value)?;
    parse(v)
        .map_err(|e| errors.push(FieldError::new(field, v, e)))
        .ok()
}

/// Reads `as_of`: an RFC 3339 timestamp, or a date meaning the end of that day (UTC).
pub fn parse_as_of(text: &str) -> Result<DateTime<Utc>, DomainError> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .filter(|_| t.len() == 10)
        .and_then(|d| {
            d.and_time(NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999)?)
                .and_utc()
                .into()
        })
        .ok_or_else(|| {
            DomainError::invalid(format!(
                "as_of '{t}' is not a timestamp like 2025-04-15T09:30:00Z or a date like 2025-04-15"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_takes_timestamps_and_dates() {
        assert_eq!(
            parse_as_of("2025-04-15T09:30:00Z").map(|t| t.to_rfc3339()),
            Ok("2025-04-15T09:30:00+00:00".into())
        );
        assert_eq!(
            parse_as_of("2025-04-15").map(|t| t.format("%H:%M").to_string()),
            Ok("23:59".into())
        );
        assert!(parse_as_of("15/04/2025").is_err());
    }

    #[test]
    fn a_blank_parameter_is_not_given_and_a_wrong_one_is_named() {
        assert_eq!(given(&Some("  ".into())), None);
        assert_eq!(given(&Some(" PAK ".into())), Some("PAK"));
        let mut errors = Vec::new();
        let parsed = param(&mut errors, "as_of", &Some("soon".into()), parse_as_of);
        assert_eq!(parsed, None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "as_of");
        assert_eq!(param(&mut errors, "as_of", &None, parse_as_of), None);
        assert_eq!(errors.len(), 1, "an absent parameter is no error");
    }
}
