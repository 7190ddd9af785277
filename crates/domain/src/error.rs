//! The domain's one error type: every message is written for a planner, not a programmer.

use thiserror::Error;

use crate::quoted_value::{cut, cut_message};

/// Why a value could not become a domain type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A value did not parse; the message says what was expected.
    #[error("{0}")]
    Invalid(String),
    /// A member state could not be found; `suggestion` is the closest match, if any is close.
    #[error("unknown member state '{input}'{}", suggestion_text(.suggestion))]
    UnknownMemberState {
        input: String,
        suggestion: Option<String>,
    },
    /// A reference code (capability, mission, conference) is not in the catalog.
    #[error("unknown {kind} '{input}'{}", suggestion_text(.suggestion))]
    UnknownCode {
        kind: &'static str,
        input: String,
        suggestion: Option<String>,
    },
    /// A status change the PCRS workflow does not allow.
    #[error("a {from} pledge cannot become {to}; allowed: {allowed}")]
    ForbiddenTransition {
        from: String,
        to: String,
        allowed: String,
    },
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" — did you mean {s}?"),
        None => String::new(),
    }
}

impl DomainError {
    /// Shorthand for [`DomainError::Invalid`].
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}

/// One invalid field of an input, reported with the others so a planner fixes them all at once.
/// Built only by [`FieldError::new`], which cuts a long value wherever it is quoted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct FieldError {
    /// The field (or CSV column) name, as the planner sees it.
    pub field: String,
    /// The value as given, cut to [`crate::quoted_value::MAX_QUOTED_CHARS`] characters.
    pub value: String,
    /// What is wrong, in a planner's words.
    pub message: String,
}

impl FieldError {
    /// Records that `value` in `field` was refused for `error`; a long value is quoted cut,
    /// in the value and in the message alike.
    pub fn new(field: &str, value: &str, error: impl ToString) -> Self {
        Self {
            field: cut(field).into_owned(),
            value: cut(value).into_owned(),
            message: cut_message(error.to_string(), value),
        }
    }
}
