//! The pledge CSV format shared by import and export: columns, header matching, formula
//! neutralisation, and rows turned into [`PledgeDraft`]s.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::Serialize;

use crate::message;
use crate::message::Message;
use crate::milestone_columns::MilestoneDates;
use crate::pledge_draft::PledgeDraft;
use crate::quoted_value::{cut, cut_message};
use crate::table_limits::{MAX_UNKNOWN_COLUMNS_LISTED, grouped};
use crate::{Catalog, FieldError, MemberStateCode, NewPledge, Pledge, PledgeRef};

/// Columns every pledge file must have.
pub const REQUIRED_COLUMNS: [&str; 4] = ["pledge_ref", "member_state", "capability", "quantity"];

/// Every column, in export order.
pub const COLUMNS: [&str; 28] = [
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
    // Last, so that files written for the first eighteen columns keep their places.
    "personnel_estimated",
    // `ISO3:REF` of the earlier pledge this one re-announces.
    "supersedes",
    // The milestones' dates (`milestone_columns::MILESTONE_COLUMNS`), in sequence.
    "nv_received_on",
    "acknowledged_on",
    "accepted_on",
    "aav_completed_on",
    "sur_aligned_on",
    "rdl_confirmed_on",
    "selected_on",
    "deployed_on",
];

/// One problem in a file: where it is, what was there, and what is wrong. Built only by
/// [`LineError::new`] and [`LineError::at`], which cut a long value wherever it is quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LineError {
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    pub column: String,
    /// The value, cut to [`crate::quoted_value::MAX_QUOTED_CHARS`] characters.
    pub value: String,
    pub message: String,
    /// The same words by key, for the page or answer in the planner's language.
    #[serde(skip)]
    pub words: Message,
}

impl LineError {
    /// A problem on `line` in `column` with `value`; a long value (or column name) is quoted
    /// cut, in the value and in the message alike.
    pub fn new(line: u64, column: &str, value: &str, message: impl Into<Message>) -> Self {
        let words = message.into().map_text(&|t| cut_message(t, value));
        Self {
            line,
            column: cut(column).into_owned(),
            value: cut(value).into_owned(),
            message: words.english().to_owned(),
            words,
        }
    }

    /// Places a field error (already cut) on a line.
    pub fn at(line: u64, e: FieldError) -> Self {
        Self {
            line,
            column: e.field,
            value: e.value,
            message: e.message,
            words: e.words,
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

/// Whether a spreadsheet would run `text` as a formula once any leading `'` were taken off.
fn reads_as_formula(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// Prefixes `'` to text a spreadsheet would run as a formula, and to text that already starts
/// with `'` before such a character, so that [`unneutralise`] gives back exactly what was
/// written.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if reads_as_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Removes the `'` that [`neutralise`] added, so that export → import is a no-op.
pub fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if reads_as_formula(rest) => rest,
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
        let mut unknown = UnknownColumns::default();
        for (i, raw) in names.into_iter().enumerate() {
            let name = normalise_header(raw);
            match COLUMNS.iter().position(|c| *c == name) {
                Some(k) if positions[k].is_some() => {
                    errors.push(header_error(raw, column_twice(&name)))
                }
                Some(k) => positions[k] = Some(i),
                None if name.is_empty() => errors.push(header_error(raw, column_unnamed(i))),
                None => unknown.found(raw, &COLUMNS, &mut errors),
            }
        }
        unknown.finish(&mut errors);
        for required in REQUIRED_COLUMNS {
            let k = COLUMNS
                .iter()
                .position(|c| *c == required)
                .unwrap_or_default();
            if positions[k].is_none() {
                errors.push(header_error(
                    "",
                    message!(
                        "err-column-missing",
                        "required column '{required}' is missing",
                        required = required
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

    fn position(&self, column: &str) -> Option<usize> {
        COLUMNS
            .iter()
            .position(|c| *c == column)
            .and_then(|k| self.positions[k])
    }

    /// Whether the file has this column (an absent column leaves stored values as they are).
    pub fn has(&self, column: &str) -> bool {
        self.position(column).is_some()
    }

    /// A cell's text, trimmed and with formula neutralisation undone; `None` when empty.
    pub(crate) fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> Option<&'r str> {
        self.position(column)
            .and_then(|i| record.get(i))
            .map(|v| unneutralise(v.trim()))
            .filter(|v| !v.is_empty())
    }

    /// The row's identity: its member state (resolved by code or name) and reference.
    pub fn key(
        &self,
        record: &csv::StringRecord,
        catalog: &Catalog,
    ) -> Result<(MemberStateCode, PledgeRef), Vec<FieldError>> {
        let state_text = self.get(record, "member_state").unwrap_or_default();
        let ref_text = self.get(record, "pledge_ref").unwrap_or_default();
        let state = match state_text {
            "" => Err(FieldError::new(
                "member_state",
                "",
                message!("err-member-state-required", "a member state is required"),
            )),
            s => catalog
                .member_state(s)
                .map(|m| m.code.clone())
                .map_err(|e| FieldError::new("member_state", s, e)),
        };
        let reference =
            PledgeRef::parse(ref_text).map_err(|e| FieldError::new("pledge_ref", ref_text, e));
        match (state, reference) {
            (Ok(s), Ok(r)) => Ok((s, r)),
            (s, r) => Err(s.err().into_iter().chain(r.err()).collect()),
        }
    }

    /// Lays the row's cells over `base`: a column the file has replaces the value (an empty
    /// cell clears it); a column it lacks keeps the value. Numbers must be whole numbers
    /// written plainly: a file's `1,000` is refused, not guessed (the form reads it, through
    /// [`crate::whole_number::parse_whole_number`], before it gets here).
    pub fn overlay(
        &self,
        record: &csv::StringRecord,
        base: PledgeDraft,
    ) -> Result<PledgeDraft, Vec<FieldError>> {
        let (draft, errors) = self.overlay_reading(record, base);
        if errors.is_empty() {
            Ok(draft)
        } else {
            Err(errors)
        }
    }

    /// Lays the row over `base` as [`PledgeHeader::overlay`] does, but goes on past cells that
    /// cannot be read (they leave the field empty): the draft of what could be read, and the
    /// cells that could not.
    pub fn overlay_reading(
        &self,
        record: &csv::StringRecord,
        mut base: PledgeDraft,
    ) -> (PledgeDraft, Vec<FieldError>) {
        let mut errors = Vec::new();
        let text = |c: &str| self.get(record, c).map(str::to_owned);
        let mut int = |c: &str| -> Option<i64> {
            let v = self.get(record, c)?;
            v.parse::<i64>()
                .map_err(|_| errors.push(FieldError::new(c, v, not_whole_number(c, v))))
                .ok()
        };
        macro_rules! column {
            ($name:literal, $slot:expr, $value:expr) => {
                if self.has($name) {
                    $slot = $value;
                }
            };
        }
        column!("quantity", base.quantity, int("quantity"));
        column!("personnel", base.personnel, int("personnel"));
        column!(
            "female_personnel",
            base.female_personnel,
            int("female_personnel")
        );
        column!(
            "duration_months",
            base.duration_months,
            int("duration_months")
        );
        if let Some(v) = self.get(record, "personnel_estimated") {
            match crate::personnel_estimate::parse_marked_estimated(v) {
                Ok(flag) => base.personnel_estimated = flag,
                Err(e) => errors.push(FieldError::new("personnel_estimated", v, e)),
            }
        }
        column!(
            "pledge_ref",
            base.pledge_ref,
            text("pledge_ref").unwrap_or_default()
        );
        column!(
            "member_state",
            base.member_state,
            text("member_state").unwrap_or_default()
        );
        column!(
            "capability",
            base.capability,
            text("capability").unwrap_or_default()
        );
        column!("readiness", base.readiness, text("readiness"));
        column!(
            "available_from",
            base.available_from,
            text("available_from")
        );
        column!("mission", base.mission, text("mission"));
        column!("conference", base.conference, text("conference"));
        column!("status", base.status, text("status"));
        column!("caveats", base.caveats, text("caveats"));
        column!(
            "monthly_cost_usd",
            base.monthly_cost_usd,
            text("monthly_cost_usd")
        );
        column!(
            "partners",
            base.partners,
            text("partners")
                .map(|p| p
                    .split(';')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect())
                .unwrap_or_default()
        );
        column!("notes", base.notes, text("notes"));
        // A registration date cannot be cleared: an empty cell keeps it (or means "today").
        if let Some(d) = text("registered_on") {
            base.registered_on = Some(d);
        }
        column!("renewed_on", base.renewed_on, text("renewed_on"));
        column!("supersedes", base.supersedes, text("supersedes"));
        (base, errors)
    }

    /// Reads one record into a new pledge, reporting every bad cell of the row at once: the
    /// cells that cannot be read and what validation finds in the others.
    pub fn pledge(
        &self,
        record: &csv::StringRecord,
        catalog: &Catalog,
    ) -> Result<NewPledge, Vec<FieldError>> {
        let (draft, mut read) = self.overlay_reading(record, PledgeDraft::default());
        let (dates, bad_dates) = self.milestone_cells(record);
        read.extend(bad_dates);
        every_error(read, draft.validate(catalog)).map(|mut pledge| {
            dates.raise(&mut pledge);
            pledge
        })
    }
}

/// Fields whose check depends on another field's value: women are checked against personnel.
const DEPENDS_ON: [(&str, &str); 1] = [("female_personnel", "personnel")];

/// The cells that could not be read together with what validation found in the rest, leaving
/// out what only follows from an unread cell (a quantity of "1,5" is not also "required").
pub fn every_error(
    read: Vec<FieldError>,
    checked: Result<NewPledge, Vec<FieldError>>,
) -> Result<NewPledge, Vec<FieldError>> {
    match checked {
        Ok(pledge) if read.is_empty() => Ok(pledge),
        Ok(_) => Err(read),
        Err(found) => {
            let unread = |field: &str| read.iter().any(|e| e.field == field);
            let consequential = |field: &str| {
                unread(field) || DEPENDS_ON.iter().any(|(f, on)| *f == field && unread(on))
            };
            let mut errors: Vec<FieldError> = found
                .into_iter()
                .filter(|e| !consequential(&e.field))
                .collect();
            errors.extend(read);
            errors.sort_by_key(|e| field_order(&e.field));
            Err(errors)
        }
    }
}

/// Where a field sits in [`COLUMNS`] (others last), so messages come in the form's order.
fn field_order(field: &str) -> usize {
    COLUMNS
        .iter()
        .position(|c| *c == field)
        .unwrap_or(COLUMNS.len())
}

/// A pledge and the dates of its live milestones as one CSV row, in [`COLUMNS`] order, with
/// spreadsheet formulas neutralised.
pub fn pledge_record(p: &Pledge, milestones: &MilestoneDates) -> [String; COLUMNS.len()] {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let free = |v: &Option<String>| {
        v.as_deref()
            .map(|t| neutralise(t).into_owned())
            .unwrap_or_default()
    };
    let [nv, ack, acc, aav, sur, rdl, sel, dep] = milestones.cells();
    [
        neutralise(p.pledge_ref.as_str()).into_owned(),
        p.member_state.to_string(),
        p.capability.to_string(),
        p.quantity.get().to_string(),
        p.personnel.total().to_string(),
        p.personnel.women().to_string(),
        p.readiness.to_string(),
        opt(p.available_from.map(|d| d.to_string())),
        opt(p.duration_months.map(|d| d.get().to_string())),
        opt(p.mission.as_ref().map(ToString::to_string)),
        opt(p.conference.as_ref().map(ToString::to_string)),
        p.status.to_string(),
        free(&p.caveats),
        opt(p.monthly_cost_usd.map(|u| u.to_string())),
        crate::pledge::partners_text(&p.partners),
        p.registered_on.to_string(),
        opt(p.renewed_on.map(|d| d.to_string())),
        free(&p.notes),
        p.personnel.is_estimated().to_string(),
        opt(p
            .supersedes_key()
            .map(|k| neutralise(&k.to_string()).into_owned())),
        nv,
        ack,
        acc,
        aav,
        sur,
        rdl,
        sel,
        dep,
    ]
}

/// The header and one example row planners can start a file from.
pub fn template_csv() -> String {
    let example = [
        "PAK-2025-001",
        "PAK",
        "QRF-COY",
        "1",
        "150",
        "12",
        "L2",
        "2026-01-15",
        "12",
        "MINUSCA",
        "ISB-2025",
        "pledged",
        "No deployment north of Bria",
        "252100.00",
        "JPN:equips",
        "2025-04-16",
        "",
        "",
        "false",
        "",
        "2025-04-20",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ];
    format!("{}\n{}\n", COLUMNS.join(","), example.join(","))
}

/// `column '{value}' is not a whole number`, the column named as words.
pub(crate) fn not_whole_number(column: &str, value: &str) -> Message {
    message!(
        "err-not-whole-number",
        "{what} '{value}' is not a whole number",
        what = column.replace('_', " "),
        value = value
    )
    .with_arg("column", column)
}

fn header_error(value: &str, message: Message) -> LineError {
    LineError::new(1, &normalise_header(value), value, message)
}

/// A header naming `name` twice.
pub(crate) fn column_twice(name: &str) -> Message {
    message!(
        "err-column-twice",
        "column '{name}' appears twice",
        name = name
    )
}

/// A header whose column at 0-based `index` has no name.
pub(crate) fn column_unnamed(index: usize) -> Message {
    message!(
        "err-column-unnamed",
        "column {n} has no name",
        n = index + 1
    )
}

/// Unknown header columns: the first [`MAX_UNKNOWN_COLUMNS_LISTED`] are named, the rest counted.
#[derive(Default)]
pub(crate) struct UnknownColumns {
    count: usize,
}

impl UnknownColumns {
    /// Notes an unknown column named `raw`, naming it while few have been found.
    pub(crate) fn found(&mut self, raw: &str, known: &[&str], errors: &mut Vec<LineError>) {
        self.count += 1;
        if self.count <= MAX_UNKNOWN_COLUMNS_LISTED {
            errors.push(header_error(
                raw,
                message!(
                    "err-column-unknown",
                    "unknown column '{raw}' — the columns are: {known}",
                    raw = raw,
                    known = known.join(", ")
                ),
            ));
        }
    }

    /// Adds one error counting the unknown columns not named.
    pub(crate) fn finish(self, errors: &mut Vec<LineError>) {
        if let Some(more) = self
            .count
            .checked_sub(MAX_UNKNOWN_COLUMNS_LISTED)
            .filter(|n| *n > 0)
        {
            errors.push(LineError::new(
                1,
                "",
                "",
                message!(
                    "err-columns-unknown-more",
                    "… and {more} more unknown columns ({all} in all)",
                    more = grouped(more as u64),
                    all = grouped(self.count as u64)
                ),
            ));
        }
    }
}

/// The error for a key that an earlier line of the same file has already used.
pub fn appears_twice(line: u64, state: &MemberStateCode, reference: &PledgeRef) -> LineError {
    LineError::new(
        line,
        "pledge_ref",
        reference.as_str(),
        message!(
            "err-pledge-twice-in-file",
            "pledge {reference} of {state} appears twice in this file",
            reference = reference,
            state = state
        ),
    )
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
            return Err(vec![LineError::new(
                1,
                "",
                "",
                format!("the header row cannot be read: {e}"),
            )]);
        }
        None => {
            return Err(vec![LineError::new(
                1,
                "",
                "",
                "the file is empty — a header row is required",
            )]);
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
                errors.push(LineError::new(
                    line,
                    "",
                    "",
                    format!("this line cannot be read as CSV: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match header.pledge(&record, catalog) {
            Ok(p) => {
                if seen.insert((p.member_state.clone(), p.pledge_ref.clone())) {
                    pledges.push(p);
                } else {
                    errors.push(appears_twice(line, &p.member_state, &p.pledge_ref));
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
    fn only_the_first_few_unknown_columns_are_named_and_the_rest_counted() {
        let mut names = vec!["pledge_ref", "member_state", "capability", "quantity"];
        let extra: Vec<String> = (0..1_000).map(|i| format!("extra{i}")).collect();
        names.extend(extra.iter().map(String::as_str));
        let errors = PledgeHeader::parse(names).unwrap_err();
        assert_eq!(errors.len(), MAX_UNKNOWN_COLUMNS_LISTED + 1);
        assert!(errors[0].message.starts_with("unknown column 'extra0'"));
        assert_eq!(
            errors[MAX_UNKNOWN_COLUMNS_LISTED].message,
            "… and 995 more unknown columns (1,000 in all)"
        );
    }

    #[test]
    fn a_long_value_is_cut_where_a_line_error_is_built() {
        let value = "x".repeat(52_428_800);
        let e = LineError::new(2, "notes", &value, format!("'{value}' is too long"));
        let quoted = format!("{}… (52,428,800 characters)", "x".repeat(100));
        assert_eq!(e.value, quoted);
        assert_eq!(
            e.message,
            format!("'{}…' (52,428,800 characters) is too long", "x".repeat(100))
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

    fn catalog() -> Catalog {
        Catalog::new(
            crate::MemberStates::load(),
            crate::reference_csv::parse_capabilities(include_str!(
                "../../../fixtures/capabilities.csv"
            ))
            .unwrap(),
            vec![],
            vec![],
            vec![],
        )
    }

    #[test]
    fn a_row_reports_every_bad_cell_at_once_without_consequential_messages() {
        let header = PledgeHeader::parse([
            "pledge_ref",
            "member_state",
            "capability",
            "quantity",
            "personnel",
            "female_personnel",
            "duration_months",
            "available_from",
        ])
        .unwrap();
        let record = csv::StringRecord::from(vec![
            "R-1",
            "Pakistn",
            "Staff oficers",
            "1,5",
            "lots",
            "3",
            "12",
            "05/06/2026",
        ]);
        let errors = header.pledge(&record, &catalog()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "member_state",
                "capability",
                "quantity",
                "personnel",
                "available_from"
            ],
            "{errors:?}"
        );
        assert!(
            errors.iter().all(|e| !e.message.contains("required")),
            "an unreadable quantity is not also missing: {errors:?}"
        );
        assert!(errors[1].message.contains("Staff officers (SO)"));
    }

    #[test]
    fn a_file_with_a_thousands_separator_in_a_whole_number_is_refused_not_guessed() {
        let header =
            PledgeHeader::parse(["pledge_ref", "member_state", "capability", "quantity"]).unwrap();
        let record = csv::StringRecord::from(vec!["R-1", "PAK", "SO", "1,000"]);
        let errors = header.pledge(&record, &catalog()).unwrap_err();
        assert_eq!(errors[0].message, "quantity '1,000' is not a whole number");
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
        // Text that itself starts with `'` before a formula character keeps its quote.
        assert_eq!(neutralise("'=x"), "''=x");
        assert_eq!(unneutralise("''=x"), "'=x");
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_restored_exactly(text in "['=+@ a-z-]{0,8}") {
            let written = neutralise(&text);
            proptest::prop_assert_eq!(unneutralise(&written), text.as_str());
        }
    }
}
