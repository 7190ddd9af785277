//! What every page form shares: the signed-in writer (with the Origin checked), the values as
//! typed, and fields rendered with their labels and the errors beside them.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::pledge_csv::{COLUMNS, PledgeHeader, REQUIRED_COLUMNS};
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::whole_number::parse_whole_number;
use pledgeboard_domain::{Actor, FieldError};

use crate::AppState;
use crate::auth::same_origin;
use crate::pages::session::PageUser;

/// A signed-in planner sending a form from one of this site's own pages.
pub struct PageWriter(pub Actor);

impl FromRequestParts<AppState> for PageWriter {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if !same_origin(parts, &state.settings) {
            return Err((
                StatusCode::FORBIDDEN,
                "This form must be sent from Pledgeboard's own pages.",
            )
                .into_response());
        }
        let PageUser(actor) = PageUser::from_request_parts(parts, state).await?;
        Ok(Self(actor))
    }
}

/// The values of a submitted form, by field name, as typed.
#[derive(Debug, Clone, Default)]
pub struct FormValues(Vec<(String, String)>);

impl FormValues {
    /// The values of a form as submitted.
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// The value of `name`, empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The value of `name`, `None` when the form did not send it.
    pub fn find(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every `(name, value)` pair, in the order sent.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// Sets (or replaces) the value of `name`.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_owned(), value)),
        }
    }

    /// The pledge fields of the form over `base`, read exactly as a CSV row with those columns
    /// would be: an empty field clears an optional value, other fields are left as they are.
    /// Returns what could be read, and the fields that could not (left empty in the draft),
    /// so that validation can still report every other mistake.
    ///
    /// Whole numbers may be typed with thousands separators ("1,000", "1 000"), unlike in a
    /// file: see [`parse_whole_number`].
    pub fn read_pledge(&self, base: PledgeDraft) -> (PledgeDraft, Vec<FieldError>) {
        let mut unread = Vec::new();
        let mut known: Vec<(String, String)> = self
            .0
            .iter()
            .filter(|(n, _)| COLUMNS.contains(&n.as_str()))
            .map(|(n, v)| {
                if !WHOLE_NUMBERS.contains(&n.as_str()) || v.trim().is_empty() {
                    return (n.clone(), v.clone());
                }
                match parse_whole_number(v, n) {
                    Ok(number) => (n.clone(), number.to_string()),
                    Err(message) => {
                        unread.push(FieldError::new(n, v, message));
                        (n.clone(), String::new())
                    }
                }
            })
            .collect();
        // A form without a required column (an edit form shows no identity fields) keeps
        // the base's value for it.
        for column in REQUIRED_COLUMNS {
            if !known.iter().any(|(n, _)| n == column) {
                let value = match column {
                    "pledge_ref" => base.pledge_ref.clone(),
                    "member_state" => base.member_state.clone(),
                    "capability" => base.capability.clone(),
                    _ => base.quantity.map(|q| q.to_string()).unwrap_or_default(),
                };
                known.push((column.to_owned(), value));
            }
        }
        let header = match PledgeHeader::parse(known.iter().map(|(n, _)| n.as_str())) {
            Ok(header) => header,
            Err(e) => {
                let errors = e
                    .into_iter()
                    .map(|l| FieldError::new(&l.column, &l.value, l.words))
                    .collect();
                return (base, errors);
            }
        };
        let record =
            csv::StringRecord::from(known.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>());
        let (mut draft, more) = header.overlay_reading(&record, base);
        // An unreadable number leaves its field empty, not the base's value.
        for e in &unread {
            match e.field.as_str() {
                "quantity" => draft.quantity = None,
                "personnel" => draft.personnel = None,
                "female_personnel" => draft.female_personnel = None,
                _ => draft.duration_months = None,
            }
        }
        unread.extend(more);
        (draft, unread)
    }
}

/// The form fields holding whole numbers.
const WHOLE_NUMBERS: [&str; 4] = [
    "quantity",
    "personnel",
    "female_personnel",
    "duration_months",
];

/// Errors to show beside the fields they concern.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Errors to show.
    pub fn new(errors: Vec<FieldError>) -> Self {
        Self(errors)
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages about `field`, joined.
    pub fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<String> = self
            .0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| crate::i18n::said(&e.words))
            .collect();
        (!messages.is_empty()).then(|| messages.join("; "))
    }

    /// Messages about no field of `fields` (shown above the form).
    pub fn others(&self, fields: &[Field]) -> Vec<String> {
        self.0
            .iter()
            .filter(|e| !fields.iter().any(|f| f.name == e.field))
            .map(|e| crate::i18n::said(&e.words))
            .collect()
    }
}

/// How a field is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Date,
    LongText,
    /// A fixed choice, from `Field::options`.
    Choice,
}

/// One labelled input of a form, with its value and the error beside it.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// The `datalist` offering type-ahead, or empty.
    pub list: &'static str,
    pub hint: &'static str,
    pub required: bool,
    pub readonly: bool,
    pub value: String,
    pub error: Option<String>,
    /// `(value, label)` pairs of a choice.
    pub options: Vec<(String, String)>,
}

impl Field {
    /// A text field.
    pub fn text(name: &'static str, label: &'static str) -> Self {
        Self {
            name,
            label,
            kind: Kind::Text,
            list: "",
            hint: "",
            required: false,
            readonly: false,
            value: String::new(),
            error: None,
            options: Vec::new(),
        }
    }

    /// A field of another kind.
    pub fn of(kind: Kind, name: &'static str, label: &'static str) -> Self {
        Self {
            kind,
            ..Self::text(name, label)
        }
    }

    /// With type-ahead from the datalist `list`.
    pub fn typeahead(mut self, list: &'static str) -> Self {
        self.list = list;
        self
    }

    /// With a hint under the label.
    pub fn hint(mut self, hint: &'static str) -> Self {
        self.hint = hint;
        self
    }

    /// Marked as required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Shown but not editable.
    pub fn readonly(mut self, readonly: bool) -> Self {
        self.readonly = readonly;
        self
    }

    /// With the choices of a [`Kind::Choice`].
    pub fn options(mut self, options: Vec<(String, String)>) -> Self {
        self.options = options;
        self
    }

    /// Filled from the submitted values and errors.
    pub fn filled(mut self, values: &FormValues, errors: &FieldErrors) -> Self {
        self.value = values.get(self.name).to_owned();
        self.error = errors.get(self.name);
        self
    }

    /// Whether this is a [`Kind::Choice`] option currently chosen.
    pub fn chosen(&self, option: &str) -> bool {
        self.value == option
    }

    /// For templates: the kind's name.
    pub fn is(&self, kind: &str) -> bool {
        matches!(
            (self.kind, kind),
            (Kind::Text, "text")
                | (Kind::Number, "number")
                | (Kind::Date, "date")
                | (Kind::LongText, "long")
                | (Kind::Choice, "choice")
        )
    }
}
