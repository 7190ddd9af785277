//! What an import's preview shows of its rows: the first [`PREVIEW_ROWS`] it would create or
//! update (the rest counted, never held: a file may have a million rows), how many of them
//! have estimated personnel, and the errors as a CSV to send back to the delegation.

use serde::Serialize;

use crate::import::RowPlan;
use crate::pledge_csv::{LineError, neutralise};
use crate::{DomainError, NewPledge};

/// Rows a preview lists; the others are only counted.
pub const PREVIEW_ROWS: usize = 50;

/// Whether a previewed row creates a pledge or changes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviewAction {
    Create,
    Update,
}

impl PreviewAction {
    /// The word a page shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
        }
    }
}

/// One row an import would create or update, as the preview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewRow {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    pub action: PreviewAction,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub quantity: u32,
    pub personnel: u32,
    pub personnel_estimated: bool,
    /// For an update, the fields it changes (API names); empty for a creation. Then the
    /// milestone columns whose dates the row records (`accepted_on`, …), for either.
    pub changes: Vec<&'static str>,
}

impl PreviewRow {
    /// The preview line of a row planned to be created or changed; `None` when it changes
    /// nothing.
    pub fn of(line: u64, plan: &RowPlan) -> Option<Self> {
        let (action, next, changes) = match plan {
            RowPlan::Create(next) => (PreviewAction::Create, next, Vec::new()),
            RowPlan::Update { current, next } => (
                PreviewAction::Update,
                next,
                changed_fields(&current.to_new(), next),
            ),
            RowPlan::Unchanged => return None,
        };
        Some(Self {
            line,
            action,
            member_state: next.member_state.to_string(),
            pledge_ref: next.pledge_ref.to_string(),
            capability: next.capability.to_string(),
            quantity: next.quantity.get(),
            personnel: next.personnel.total(),
            personnel_estimated: next.personnel.is_estimated(),
            changes,
        })
    }
}

/// The fields (API names) whose values differ between two versions of a pledge.
pub fn changed_fields(before: &NewPledge, after: &NewPledge) -> Vec<&'static str> {
    let (b, a) = (before, after);
    let (bp, ap) = (b.personnel, a.personnel);
    [
        ("capability", b.capability != a.capability),
        ("quantity", b.quantity != a.quantity),
        ("personnel", bp.total() != ap.total()),
        ("female_personnel", bp.women() != ap.women()),
        (
            "personnel_estimated",
            bp.is_estimated() != ap.is_estimated(),
        ),
        ("readiness", b.readiness != a.readiness),
        ("available_from", b.available_from != a.available_from),
        ("duration_months", b.duration_months != a.duration_months),
        ("mission", b.mission != a.mission),
        ("conference", b.conference != a.conference),
        ("status", b.status != a.status),
        ("caveats", b.caveats != a.caveats),
        ("monthly_cost_usd", b.monthly_cost_usd != a.monthly_cost_usd),
        ("partners", b.partners != a.partners),
        ("equipment", b.equipment != a.equipment),
        ("notes", b.notes != a.notes),
        (
            "registered_on",
            a.registered_on.is_some() && b.registered_on != a.registered_on,
        ),
        ("renewed_on", b.renewed_on != a.renewed_on),
        ("supersedes", b.supersedes != a.supersedes),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect()
}

/// The columns of [`errors_csv`].
pub const ERROR_CSV_COLUMNS: [&str; 4] = ["line", "column", "value", "message"];

/// Errors as CSV (`line,column,value,message`), in the order given, with spreadsheet formulas
/// neutralised: the list a planner sends back to the delegation.
pub fn errors_csv(errors: &[LineError]) -> Result<String, DomainError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail =
        |e: csv::Error| DomainError::invalid(format!("the error list cannot be written: {e}"));
    out.write_record(ERROR_CSV_COLUMNS).map_err(fail)?;
    for e in errors {
        out.write_record([
            e.line.to_string().as_str(),
            &neutralise(&e.column),
            &neutralise(&e.value),
            &neutralise(&e.message),
        ])
        .map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| DomainError::invalid(format!("the error list cannot be written: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|e| DomainError::invalid(format!("the error list is not UTF-8: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pledge_draft::PledgeDraft;
    use crate::{Catalog, Quantity};

    fn catalog() -> Catalog {
        let capabilities = crate::reference_csv::parse_capabilities(include_str!(
            "../../../fixtures/capabilities.csv"
        ))
        .unwrap();
        Catalog::new(
            crate::MemberStates::load(),
            capabilities,
            vec![],
            vec![],
            vec![],
        )
    }

    fn new_pledge(personnel: Option<i64>) -> NewPledge {
        PledgeDraft {
            pledge_ref: "GHA-1".into(),
            member_state: "GHA".into(),
            capability: "INF-BN".into(),
            quantity: Some(1),
            personnel,
            ..PledgeDraft::default()
        }
        .validate(&catalog())
        .unwrap()
    }

    #[test]
    fn a_created_row_is_listed_with_its_estimate() {
        let row = PreviewRow::of(7, &RowPlan::Create(new_pledge(None))).unwrap();
        assert_eq!(row.line, 7);
        assert_eq!(row.action, PreviewAction::Create);
        assert_eq!((row.personnel, row.personnel_estimated), (850, true));
        assert!(row.changes.is_empty());
        assert_eq!(PreviewRow::of(8, &RowPlan::Unchanged), None);
    }

    #[test]
    fn the_changed_fields_are_named() {
        let before = new_pledge(None);
        let mut after = before.clone();
        after.quantity = Quantity::new(2).unwrap();
        assert_eq!(changed_fields(&before, &after), ["quantity"]);
        let stated = new_pledge(Some(850));
        assert_eq!(changed_fields(&before, &stated), ["personnel_estimated"]);
        assert!(changed_fields(&before, &before).is_empty());
    }

    #[test]
    fn errors_become_a_csv_a_spreadsheet_opens_safely() {
        let errors = [
            LineError::new(
                3,
                "member_state",
                "Pakistn",
                "unknown member state 'Pakistn'",
            ),
            LineError::new(5, "notes", "=HYPERLINK(\"x\")", "a, \"quoted\" message"),
        ];
        let text = errors_csv(&errors).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "line,column,value,message");
        assert_eq!(
            lines[1],
            "3,member_state,Pakistn,unknown member state 'Pakistn'"
        );
        assert_eq!(
            lines[2],
            "5,notes,\"'=HYPERLINK(\"\"x\"\")\",\"a, \"\"quoted\"\" message\""
        );
    }
}
