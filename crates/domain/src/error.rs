//! The domain's one error type: every message is written for a planner, not a programmer.

use thiserror::Error;

use crate::message;
use crate::message::Message;
use crate::quoted_value::{cut, cut_message};

/// Why a value could not become a domain type.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A value did not parse; the message says what was expected.
    #[error("{0}")]
    Invalid(Message),
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
    /// Shorthand for [`DomainError::Invalid`]; give it a [`message!`](crate::message!).
    pub fn invalid(message: impl Into<Message>) -> Self {
        Self::Invalid(message.into())
    }

    /// What this error says, by key (its `Display` is the English of it).
    pub fn message(&self) -> Message {
        match self {
            Self::Invalid(m) => m.clone(),
            Self::UnknownMemberState {
                input,
                suggestion: None,
            } => message!(
                "err-unknown-member-state",
                "unknown member state '{input}'",
                input = input
            ),
            Self::UnknownMemberState {
                input,
                suggestion: Some(suggestion),
            } => message!(
                "err-unknown-member-state-suggest",
                "unknown member state '{input}' — did you mean {suggestion}?",
                input = input,
                suggestion = suggestion
            ),
            Self::UnknownCode {
                kind,
                input,
                suggestion: None,
            } => message!(
                "err-unknown-code",
                "unknown {kind} '{input}'",
                kind = kind,
                input = input
            ),
            Self::UnknownCode {
                kind,
                input,
                suggestion: Some(suggestion),
            } => message!(
                "err-unknown-code-suggest",
                "unknown {kind} '{input}' — did you mean {suggestion}?",
                kind = kind,
                input = input,
                suggestion = suggestion
            ),
            Self::ForbiddenTransition { from, to, allowed } => message!(
                "err-forbidden-transition",
                "a {from} pledge cannot become {to}; allowed: {allowed}",
                from = from,
                to = to,
                allowed = allowed
            ),
        }
    }
}

impl From<DomainError> for Message {
    fn from(e: DomainError) -> Self {
        e.message()
    }
}

impl From<crate::Forbidden> for Message {
    fn from(f: crate::Forbidden) -> Self {
        f.0
    }
}

impl From<&DomainError> for Message {
    fn from(e: &DomainError) -> Self {
        e.message()
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
    /// What is wrong, in a planner's words (English).
    pub message: String,
    /// The same words by key, for the page or answer in the planner's language.
    #[serde(skip)]
    pub words: Message,
}

impl FieldError {
    /// Records that `value` in `field` was refused for `error`; a long value is quoted cut,
    /// in the value and in the message alike.
    pub fn new(field: &str, value: &str, error: impl Into<Message>) -> Self {
        let words = error.into().map_text(&|t| cut_message(t, value));
        Self {
            field: cut(field).into_owned(),
            value: cut(value).into_owned(),
            message: words.english().to_owned(),
            words,
        }
    }
}
