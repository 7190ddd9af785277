//! Query parameters that several routes (and pages) read: every value arrives as text, is
//! trimmed, and a wrong one becomes a field error named after its parameter.

use chrono::{DateTime, Utc};
use pledgeboard_domain::{DomainError, FieldError, as_of, message};

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

/// A whole-number parameter outside `min..=max`, in words.
pub fn out_of_range(field: &str, min: impl ToString, max: impl ToString) -> DomainError {
    let (min, max) = (min.to_string(), max.to_string());
    DomainError::invalid(message!(
        "err-param-range",
        "{field} must be a whole number from {min} to {max}",
        field = field,
        min = min,
        max = max
    ))
}

/// Reads `as_of` now: an RFC 3339 timestamp, or a date meaning the end of that day (UTC), no
/// later than the end of the latest date begun anywhere on earth (`pledgeboard_domain::as_of`).
pub fn parse_as_of(text: &str) -> Result<DateTime<Utc>, DomainError> {
    as_of::parse_as_of(text, Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

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
