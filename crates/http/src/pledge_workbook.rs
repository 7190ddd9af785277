//! The pledge export as an Excel workbook: the rows of the pledge CSV (the import format, so
//! the workbook imports back as a no-op), numbers as numbers and dates as dates, written in
//! constant memory — each row goes to a temporary file as it is written, and the finished
//! file streams out — so an export of a million pledges costs no more memory than one of ten.
//! The API (`/api/v1/exports/pledges.xlsx`) and `pledgeboard export pledges --format xlsx`
//! both write through [`write_pledge_workbook`].

use std::io::Write;

use pledgeboard_domain::Pledge;
use pledgeboard_domain::cell_kind::kind_of_column;
use pledgeboard_domain::milestone_columns::MilestoneDates;
use pledgeboard_domain::pledge_csv::{COLUMNS, pledge_record};
use rust_xlsxwriter::{Workbook, XlsxError};

pub use crate::api::reports::workbook::About;
use crate::api::reports::workbook::{CellFormats, REPORT_SHEET, col, column_width, write_about};

/// The message that titles a pledge export on its About sheet.
pub const PLEDGE_WORKBOOK_TITLE: &str = "workbook-title-pledges";

/// Pledges one sheet holds: Excel's 1,048,576 rows, less the header.
pub const MAX_SHEET_PLEDGES: u64 = 1_048_575;

/// What a planner is told when a filter matches more pledges than a sheet holds.
pub fn too_many_for_a_sheet(matching: u64) -> String {
    format!(
        "an Excel sheet holds at most {} pledges and these filters match {}; narrow the \
         filters, or export CSV",
        pledgeboard_domain::table_limits::grouped(MAX_SHEET_PLEDGES),
        pledgeboard_domain::table_limits::grouped(matching),
    )
}

/// Characters each pledge column is shown with (its widest usual value); a longer text runs
/// on, as it does in any spreadsheet.
fn usual_width(column: &str) -> usize {
    match column {
        "caveats" | "notes" => 40,
        "partners" => 24,
        "pledge_ref" | "capability" | "conference" => 14,
        _ => column.len(),
    }
}

/// Why a pledge workbook could not be finished.
#[derive(Debug, thiserror::Error)]
pub enum PledgeWorkbookError<E> {
    /// The pledges could not be read.
    #[error("cannot read the pledges: {0}")]
    Read(E),
    /// The workbook could not be written (or its reader went away).
    #[error("cannot write the workbook: {0}")]
    Write(#[from] XlsxError),
}

/// Writes the pledges `next_page` gives, page after page until `None`, as a workbook to `out`;
/// returns how many were written. Blocking: call it off the async workers.
pub fn write_pledge_workbook<W, E>(
    out: W,
    about: &About,
    mut next_page: impl FnMut() -> Result<Option<Vec<(Pledge, MilestoneDates)>>, E>,
) -> Result<u64, PledgeWorkbookError<E>>
where
    W: Write + Send,
{
    let mut book = Workbook::new();
    let cells = CellFormats::new();
    let kinds = COLUMNS.map(kind_of_column);
    let sheet = book.add_worksheet_with_constant_memory()?;
    sheet.set_name(REPORT_SHEET)?;
    for (c, column) in COLUMNS.iter().enumerate() {
        sheet.set_column_width(col(c), column_width(usual_width(column)))?;
    }
    cells.header(sheet, &COLUMNS)?;
    let mut row = 0_u32;
    while let Some(page) = next_page().map_err(PledgeWorkbookError::Read)? {
        for (pledge, milestones) in &page {
            row += 1;
            for (c, value) in pledge_record(pledge, milestones).iter().enumerate() {
                cells.write(sheet, row, col(c), kinds[c], value)?;
            }
        }
    }
    write_about(book.add_worksheet(), about, cells.bold())?;
    book.save_to_writer(out)?;
    Ok(u64::from(row))
}
