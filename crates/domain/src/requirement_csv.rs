//! The requirements CSV: `mission, capability, quantity, personnel, needed_by, priority`.

use crate::message;
use crate::message::Message;
use crate::pledge_csv::{column_twice, not_whole_number};
use csv::StringRecord;

use crate::FieldError;
use crate::pledge_csv::{LineError, UnknownColumns, normalise_header, unneutralise};
use crate::requirement::RequirementDraft;

/// Every column, in export order; all are required but `personnel`.
pub const REQUIREMENT_COLUMNS: [&str; 6] = [
    "mission",
    "capability",
    "quantity",
    "personnel",
    "needed_by",
    "priority",
];

/// Where each column sits in a requirements file's header.
#[derive(Debug, Clone)]
pub struct RequirementHeader {
    positions: [Option<usize>; REQUIREMENT_COLUMNS.len()],
}

impl RequirementHeader {
    /// Maps a header row; unknown, repeated and missing columns are errors on line 1.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, Vec<LineError>> {
        let mut positions = [None; REQUIREMENT_COLUMNS.len()];
        let mut errors = Vec::new();
        let error =
            |raw: &str, message: Message| LineError::new(1, &normalise_header(raw), raw, message);
        let mut unknown = UnknownColumns::default();
        for (i, raw) in names.into_iter().enumerate() {
            let name = normalise_header(raw);
            match REQUIREMENT_COLUMNS.iter().position(|c| *c == name) {
                Some(k) if positions[k].is_some() => errors.push(error(raw, column_twice(&name))),
                Some(k) => positions[k] = Some(i),
                None => unknown.found(raw, &REQUIREMENT_COLUMNS, &mut errors),
            }
        }
        unknown.finish(&mut errors);
        for (k, column) in REQUIREMENT_COLUMNS.iter().enumerate() {
            if positions[k].is_none() && *column != "personnel" {
                errors.push(error(
                    "",
                    message!(
                        "err-column-missing",
                        "required column '{required}' is missing",
                        required = column
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(Self { positions })
        } else {
            Err(errors)
        }
    }

    /// Reads one record into a draft.
    pub fn draft(&self, record: &StringRecord) -> Result<RequirementDraft, Vec<FieldError>> {
        let get = |k: usize| -> &str {
            self.positions[k]
                .and_then(|i| record.get(i))
                .map(|v| unneutralise(v.trim()))
                .unwrap_or_default()
        };
        let mut errors = Vec::new();
        let mut int = |k: usize| -> Option<i64> {
            let v = get(k);
            if v.is_empty() {
                return None;
            }
            v.parse()
                .map_err(|_| {
                    errors.push(FieldError::new(
                        REQUIREMENT_COLUMNS[k],
                        v,
                        not_whole_number(REQUIREMENT_COLUMNS[k], v),
                    ))
                })
                .ok()
        };
        let draft = RequirementDraft {
            quantity: int(2),
            personnel: int(3),
            mission: get(0).to_owned(),
            capability: get(1).to_owned(),
            needed_by: get(4).to_owned(),
            priority: get(5).to_owned(),
        };
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }
}
