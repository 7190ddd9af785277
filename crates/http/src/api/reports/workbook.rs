//! A report as an Excel workbook: the `.xlsx` twin of a CSV download, built from the same
//! columns and rows, so the figures cannot differ. Numbers are written as numbers and dates as
//! dates (by column, `domain::cell_kind`), text always as text — never as a formula. The
//! header row is frozen, columns are as wide as what they hold, and a second sheet, "About",
//! says what the report is, its filters, `as_of`, when it was made, and that the figures are
//! indicative.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use pledgeboard_domain::cell_kind::{CellKind, kind_of_column};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::ApiError;

/// The MIME type of an `.xlsx` file.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The name of the sheet with the figures.
pub const REPORT_SHEET: &str = "Report";
/// The name of the sheet that describes them.
pub const ABOUT_SHEET: &str = "About";
/// Widest a column is made, in characters.
const MAX_WIDTH: usize = 60;

/// What the About sheet says of a report.
#[derive(Debug, Clone, Default)]
pub struct About {
    /// The report's title, e.g. "Coverage of mission requirements".
    pub title: String,
    /// The parameters it was asked with, as given in the query string (`as_of` included).
    pub query: Option<String>,
    /// How its figures are counted, a rule per line, where the report has rules.
    pub rules: Vec<String>,
}

/// Renders rows as an `.xlsx` download named `filename`.
pub fn xlsx_response<const N: usize>(
    filename: &str,
    about: &About,
    columns: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> Result<Response, ApiError> {
    let body = workbook(about, &columns, rows)
        .map_err(|e| ApiError::Internal(format!("cannot write the workbook: {e}")))?;
    let disposition = format!("attachment; filename=\"{filename}\"");
    Ok((
        [
            (header::CONTENT_TYPE, XLSX_CONTENT_TYPE.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

fn workbook<const N: usize>(
    about: &About,
    columns: &[&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let cells = CellFormats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(REPORT_SHEET)?;
    let kinds = columns.map(kind_of_column);
    let mut widths = columns.map(str::len);
    cells.header(sheet, columns)?;
    for (r, row) in (1_u32..).zip(rows) {
        for (c, value) in row.iter().enumerate() {
            widths[c] = widths[c].max(value.chars().count());
            cells.write(sheet, r, col(c), kinds[c], value)?;
        }
    }
    for (c, width) in widths.iter().enumerate() {
        sheet.set_column_width(col(c), column_width(*width))?;
    }
    write_about(book.add_worksheet(), about, cells.bold())?;
    book.save_to_buffer()
}

/// The width a column is given for its widest text, in characters.
pub(crate) fn column_width(chars: usize) -> f64 {
    chars.clamp(8, MAX_WIDTH) as f64 + 2.0
}

/// A column index as the writer takes it.
pub(crate) fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Decimal places a number is shown with, at most.
const MAX_DECIMALS: usize = 6;

/// The formats every cell of a workbook is written with, made once.
pub(crate) struct CellFormats {
    bold: Format,
    date: Format,
    /// `#,##0`, `#,##0.0`, … by the number of decimals the value was written with.
    numbers: Vec<Format>,
}

impl CellFormats {
    /// Bold, for the header and the About sheet's labels.
    pub(crate) fn bold(&self) -> &Format {
        &self.bold
    }

    pub(crate) fn new() -> Self {
        Self {
            bold: Format::new().set_bold(),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Left),
            numbers: (0..=MAX_DECIMALS)
                .map(|d| {
                    let shown = match d {
                        0 => "#,##0".to_owned(),
                        d => format!("#,##0.{}", "0".repeat(d)),
                    };
                    Format::new().set_num_format(shown)
                })
                .collect(),
        }
    }

    /// The header row, bold and frozen.
    pub(crate) fn header(&self, sheet: &mut Worksheet, columns: &[&str]) -> Result<(), XlsxError> {
        for (c, name) in columns.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), *name, &self.bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(())
    }

    /// One cell, by its column's kind; an empty cell stays empty, and a value that is not what
    /// its column should hold is kept as text rather than lost.
    pub(crate) fn write(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        col: u16,
        kind: CellKind,
        value: &str,
    ) -> Result<(), XlsxError> {
        if value.is_empty() {
            return Ok(());
        }
        match kind {
            CellKind::Number => {
                if let Ok(number) = value.parse::<f64>() {
                    let decimals = value.split_once('.').map_or(0, |(_, d)| d.len());
                    let format = &self.numbers[decimals.min(MAX_DECIMALS)];
                    sheet.write_number_with_format(row, col, number, format)?;
                    return Ok(());
                }
            }
            CellKind::Date => {
                if let Ok(day) = ExcelDateTime::parse_from_str(value) {
                    sheet.write_datetime_with_format(row, col, &day, &self.date)?;
                    return Ok(());
                }
            }
            CellKind::Text => {}
        }
        sheet.write_string(row, col, value)?;
        Ok(())
    }
}

/// The About sheet: what the workbook holds, its filters, when it was made.
pub(crate) fn write_about(
    sheet: &mut Worksheet,
    about: &About,
    bold: &Format,
) -> Result<(), XlsxError> {
    let lang = crate::i18n::current();
    sheet.set_name(ABOUT_SHEET)?;
    let filters: Vec<(String, String)> = about
        .query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let shown = |k: &String| k != "as_of" && k != "lang";
    let as_of = filters
        .iter()
        .find(|(k, _)| k == "as_of")
        .map_or_else(|| lang.t("workbook-now"), |(_, v)| v.clone());
    let mut lines: Vec<(String, String)> = vec![
        (lang.t("workbook-report"), about.title.clone()),
        (
            lang.t("workbook-filters"),
            match filters.iter().filter(|(k, _)| shown(k)).count() {
                0 => lang.t("workbook-no-filters"),
                _ => filters
                    .iter()
                    .filter(|(k, _)| shown(k))
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            },
        ),
        (lang.t("workbook-as-of"), as_of),
        (
            lang.t("workbook-generated"),
            Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        (lang.t("workbook-note"), lang.t("site-disclaimer")),
    ];
    lines.extend(
        about
            .rules
            .iter()
            .map(|r| (lang.t("workbook-rule"), r.clone())),
    );
    for (r, (label, text)) in lines.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        sheet.write_string_with_format(r, 0, label, bold)?;
        sheet.write_string(r, 1, text)?;
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 90)?;
    Ok(())
}
