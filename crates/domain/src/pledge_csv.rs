//! The pledge CSV format shared by import and export: columns, header matching, formula
//! neutralisation, and rows turned into [`PledgeDraft`]s.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::Serialize;

use crate::pledge_draft::PledgeDraft;
use crate::{Catalog, FieldError, NewPledge};

/// Columns every pledge file must have.
pub const REQUIRED_COLUMNS: [&str; 4] = ["pledge_ref", "member_state", "capability", "quantity"];

/// Every column, in export order.
pub const COLUMNS: [&str; 18] = [
    "pledge_ref",
    "member_state",
    "capability",
    "quantity",
    "personnel",
    "female_personnel",
    "readiness",
    "available_from",
    "duration_months",
    "mission",
    "conference",
    "status",
    "caveats",
    "monthly_cost_usd",
    "partners",
    "registered_on",
    "renewed_on",
    "notes",
];

/// One problem in a file: where it is, what was there, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    pub column: String,
    pub value: String,
    pub message: String,
}

impl LineError {
    /// Places a field error on a line.
    pub fn at(line: u64, e: FieldError) -> Self {
        Self {
            line,
            column: e.field,
            value: e.value,
            message: e.message,
        }
    }
}

/// Header matching: case-insensitive, spaces and hyphens read as underscores, a BOM ignored.
pub fn normalise_header(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Prefixes `'` to text a spreadsheet would run as a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Removes the `'` that [`neutralise`] added, so that export → import is a no-op.
pub fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => text,
    }
}

/// Where each known column sits in a file's header.
#[derive(Debug, Clone)]
pub struct PledgeHeader {
    positions: [Option<usize>; COLUMNS.len()],
}

impl PledgeHeader {
    /// Maps a header row; unknown, repeated and missing required columns are errors on line 1.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, Vec<LineError>> {
        let mut positions = [None; COLUMNS.len()];
        let mut errors = Vec::new();
        for (i, raw) in names.into_iter().enumerate() {
            let name = normalise_header(raw);
            match COLUMNS.iter().position(|c| *c == name) {
                Some(k) if positions[k].is_some() => {
                    errors.push(header_error(raw, format!("column '{name}' appears twice")))
                }
                Some(k) => positions[k] = Some(i),
                None if name.is_empty() => {
                    errors.push(header_error(raw, format!("column {} has no name", i + 1)))
                }
                None => errors.push(header_error(
                    raw,
                    format!(
                        "unknown column '{raw}' — the columns are: {}",
                        COLUMNS.join(", ")
                    ),
                )),
            }
        }
        for required in REQUIRED_COLUMNS {
            let k = COLUMNS
                .iter()
                .position(|c| *c == required)
                .unwrap_or_default();
            if positions[k].is_none() {
                errors.push(header_error(
                    "",
                    format!("required column '{required}' is missing"),
                ));
            }
        }
        if errors.is_empty() {
            Ok(Self { positions })
        } else {
            Err(errors)
        }
    }

    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> Option<&'r str> {
        let k = COLUMNS.iter().position(|c| *c == column)?;
        self.positions[k]
            .and_then(|i| record.get(i))
            .map(|v| unneutralise(v.trim()))
            .filter(|v| !v.is_empty())
    }

    /// Reads one record into a draft; numbers that are not whole numbers are field errors.
    pub fn draft(&self, record: &csv::StringRecord) -> Result<PledgeDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = |c: &str| self.get(record, c).map(str::to_owned);
        let mut int = |c: &str| {
            let v = self.get(record, c)?;
            v.parse::<i64>()
                .map_err(|_| {
                    errors.push(FieldError::new(
                        c,
                        v,
                        format!("{} '{v}' is not a whole number", c.replace('_', " ")),
                    ))
                })
                .ok()
        };
        let draft = PledgeDraft {
            quantity: int("quantity"),
            personnel: int("personnel"),
            female_personnel: int("female_personnel"),
            duration_months: int("duration_months"),
            pledge_ref: text("pledge_ref").unwrap_or_default(),
            member_state: text("member_state").unwrap_or_default(),
            capability: text("capability").unwrap_or_default(),
            readiness: text("readiness"),
            available_from: text("available_from"),
            mission: text("mission"),
            conference: text("conference"),
            status: text("status"),
            caveats: text("caveats"),
            monthly_cost_usd: text("monthly_cost_usd"),
            partners: text("partners")
                .map(|p| {
                    p.split(';')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            equipment: Vec::new(),
            notes: text("notes"),
            registered_on: text("registered_on"),
            renewed_on: text("renewed_on"),
        };
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }
}

fn header_error(value: &str, message: String) -> LineError {
    LineError {
        line: 1,
        column: normalise_header(value),
        value: value.to_owned(),
        message,
    }
}

/// Parses a whole pledge file held in memory (comma-delimited UTF-8), checking every row and
/// refusing a key that appears twice. Returns every problem when any row is bad.
pub fn parse_pledges(text: &str, catalog: &Catalog) -> Result<Vec<NewPledge>, Vec<LineError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => PledgeHeader::parse(h.iter())?,
        Some(Err(e)) => {
            return Err(vec![LineError {
                line: 1,
                column: String::new(),
                value: String::new(),
                message: format!("the header row cannot be read: {e}"),
            }]);
        }
        None => {
            return Err(vec![LineError {
                line: 1,
                column: String::new(),
                value: String::new(),
                message: "the file is empty — a header row is required".into(),
            }]);
        }
    };
    let mut pledges = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(LineError {
                    line,
                    column: String::new(),
                    value: String::new(),
                    message: format!("this line cannot be read as CSV: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match header.draft(&record).and_then(|d| d.validate(catalog)) {
            Ok(p) => {
                if seen.insert((p.member_state.clone(), p.pledge_ref.clone())) {
                    pledges.push(p);
                } else {
                    errors.push(LineError {
                        line,
                        column: "pledge_ref".into(),
                        value: p.pledge_ref.to_string(),
                        message: format!(
                            "pledge {} of {} appears twice in this file",
                            p.pledge_ref, p.member_state
                        ),
                    });
                }
            }
            Err(field_errors) => {
                errors.extend(field_errors.into_iter().map(|e| LineError::at(line, e)))
            }
        }
    }
    if errors.is_empty() {
        Ok(pledges)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_ignore_case_spaces_hyphens_and_bom() {
        assert_eq!(normalise_header("\u{feff}Pledge Ref"), "pledge_ref");
        assert_eq!(normalise_header(" Member-State "), "member_state");
    }

    #[test]
    fn unknown_columns_are_named() {
        let errors = PledgeHeader::parse([
            "pledge_ref",
            "member_state",
            "capability",
            "quantity",
            "colour",
        ])
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.starts_with("unknown column 'colour'"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn missing_required_columns_are_named() {
        let errors = PledgeHeader::parse(["pledge_ref", "member_state"]).unwrap_err();
        let messages: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "required column 'capability' is missing",
                "required column 'quantity' is missing"
            ]
        );
    }

    #[test]
    fn formulas_are_neutralised_and_restored() {
        for text in ["=SUM(A1)", "+1", "-3", "@cmd", "\tx"] {
            let out = neutralise(text);
            assert!(out.starts_with('\''));
            assert_eq!(unneutralise(&out), text);
        }
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(unneutralise("'quoted"), "'quoted");
    }
}
