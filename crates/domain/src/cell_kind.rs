//! What kind of value each column of the report tables holds, so that a workbook writes
//! numbers as numbers and dates as dates while the CSV writes the same text. One table for
//! every report's columns: a column name means the same thing in every report.

/// The kind of a report column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Words and codes, written as text (never as a formula).
    Text,
    /// A count, a quantity, a share in per cent or an amount of USD.
    Number,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
}

/// Columns that hold numbers.
const NUMBER_COLUMNS: [&str; 27] = [
    "required",
    "pledged",
    "firm",
    "in_time",
    "gap",
    "firm_gap",
    "coverage_pct",
    "pledged_personnel",
    "required_personnel",
    "covered_personnel",
    "requirements",
    "requirements_met",
    "requirements_firm",
    "critical_open",
    "personnel_coverage_pct",
    "pledges",
    "quantity",
    "personnel",
    "female_personnel",
    "female_share_pct",
    "monthly_cost_usd",
    "renewals_due",
    "share_pct",
    "median_days",
    "days_stalled",
    "duration_months",
    // The outcome's figures (`outcome::OUTCOME_CSV_COLUMNS`).
    "value",
];

/// Columns that hold dates.
const DATE_COLUMNS: [&str; 3] = ["needed_by", "available_from", "renewal_due"];

/// The kind of the cells of column `name` (text unless the column is known to hold numbers
/// or dates).
pub fn kind_of_column(name: &str) -> CellKind {
    if NUMBER_COLUMNS.contains(&name) {
        CellKind::Number
    } else if DATE_COLUMNS.contains(&name) || name.ends_with("_on") {
        CellKind::Date
    } else {
        CellKind::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::country_report::COUNTRY_CSV_COLUMNS;
    use crate::coverage_report::COVERAGE_CSV_COLUMNS;

    #[test]
    fn the_report_columns_have_the_kinds_their_figures_need() {
        let text = [
            "mission",
            "capability",
            "priority",
            "note",
            "member_state",
            "name",
            "partnerships",
            "personnel_estimated",
        ];
        for column in COVERAGE_CSV_COLUMNS
            .iter()
            .chain(COUNTRY_CSV_COLUMNS.iter())
        {
            let expected = if text.contains(column) {
                CellKind::Text
            } else if *column == "needed_by" {
                CellKind::Date
            } else {
                CellKind::Number
            };
            assert_eq!(kind_of_column(column), expected, "{column}");
        }
        assert_eq!(kind_of_column("accepted_on"), CellKind::Date);
        assert_eq!(kind_of_column("pledge_ref"), CellKind::Text);
    }

    #[test]
    fn the_pledge_columns_are_typed_so_an_import_reads_them_back() {
        let numbers = [
            "quantity",
            "personnel",
            "female_personnel",
            "duration_months",
            "monthly_cost_usd",
        ];
        let dates = ["available_from", "registered_on", "renewed_on"];
        let milestones = crate::milestone_columns::MILESTONE_COLUMNS;
        for column in crate::pledge_csv::COLUMNS {
            let expected = if numbers.contains(&column) {
                CellKind::Number
            } else if dates.contains(&column) || milestones.contains(&column) {
                CellKind::Date
            } else {
                CellKind::Text
            };
            assert_eq!(kind_of_column(column), expected, "{column}");
        }
    }
}
