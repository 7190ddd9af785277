//! The bounds within which every uploaded or imported table is read, and the planner's words
//! for each one exceeded. A file past any of them is refused before it can make memory or
//! time grow past what a real pledge file needs.

use crate::message;
use crate::message::Message;
use crate::pledge_csv::LineError;

/// Columns a file may have: the pledge format has 18 and the requirements format 6; 64 leaves
/// room for a few extra columns a delegation keeps for itself.
pub const MAX_COLUMNS: usize = 64;
/// Data rows a file may have: the benchmarks import 1,000,000 rows; twice that keeps the set of
/// keys seen (16 bytes a row) under 70 MB.
pub const MAX_ROWS: usize = 2_000_000;
/// Bytes a cell may hold: notes and caveats are at most 2,000 characters, which is at most
/// 8,000 bytes of UTF-8.
pub const MAX_CELL_BYTES: usize = 8 * 1024;
/// Bytes a CSV record or sheet row may hold: a pledge row with two full 2,000-character texts
/// is under 20 KB; an unclosed quote, which makes the rest of a file one cell, is caught here.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;
/// Bytes the header line may hold: 64 column names of up to 100 characters fit in 8 KiB.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;
/// Unknown columns named one by one before the rest are only counted.
pub const MAX_UNKNOWN_COLUMNS_LISTED: usize = 5;
/// Inflated bytes of a worksheet in an `.xlsx`: a 1,000,000-row pledge sheet written the way
/// Excel writes it inflates to 477 MB; 1 GiB leaves room for longer texts.
pub const MAX_SHEET_INFLATED_BYTES: u64 = 1 << 30;
/// Inflated bytes of `sharedStrings.xml`: the same 1,000,000-row workbook's shared strings
/// (mostly its unique pledge references) inflate to 28 MB; calamine holds them all in memory.
pub const MAX_SHARED_STRINGS_INFLATED_BYTES: u64 = 64 << 20;
/// Inflated bytes of any other part (styles, workbook, relationships, themes, pictures): each is
/// a few kilobytes in a pledge workbook.
pub const MAX_OTHER_PART_INFLATED_BYTES: u64 = 16 << 20;
/// Inflated bytes of all parts together: one full sheet, its shared strings and the rest.
pub const MAX_WORKBOOK_INFLATED_BYTES: u64 =
    MAX_SHEET_INFLATED_BYTES + MAX_SHARED_STRINGS_INFLATED_BYTES + (64 << 20);
/// Parts an `.xlsx` may have: Excel writes about a dozen, plus two or three per extra sheet.
pub const MAX_WORKBOOK_PARTS: usize = 1000;
/// Longest run of XML text or of one tag in a workbook part: a cell of [`MAX_CELL_BYTES`]
/// escaped as `&quot;` throughout is 48 KiB; every XML event the reader builds is below this.
pub const MAX_XML_RUN_BYTES: usize = 64 * 1024;

/// A count with thousands separators, as planners read figures: `52,428,800`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A spreadsheet column's letters for a 0-based index: 0 → `A`, 63 → `BL`, 16383 → `XFD`.
pub fn column_letters(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rest = (n - 1) % 26;
        letters.push(char::from(b'A' + rest as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// An error on `line` that concerns the whole file.
/// A row with more cells than the header.
pub(crate) fn row_too_wide(line: u64, cells: usize, width: usize) -> LineError {
    file_error(
        line,
        message!(
            "err-row-too-wide",
            "this row has {cells} cells but the header has {width}",
            cells = cells,
            width = width
        ),
    )
}

/// A file with no header row.
pub(crate) fn empty_file() -> LineError {
    file_error(
        1,
        message!(
            "err-file-empty",
            "the file is empty — a header row is required"
        ),
    )
}

pub(crate) fn file_error(line: u64, message: impl Into<Message>) -> LineError {
    LineError::new(line, "", "", message)
}

/// The header has more columns than [`MAX_COLUMNS`].
pub(crate) fn too_many_columns(columns: usize) -> LineError {
    file_error(
        1,
        message!(
            "err-too-many-columns",
            "the header row has {columns} columns, but a file may have at most {max} \
             (the pledge format has 18) — delete the extra columns and save again",
            columns = grouped(columns as u64),
            max = MAX_COLUMNS
        ),
    )
}

/// The header line is longer than [`MAX_HEADER_BYTES`].
pub(crate) fn header_too_long() -> LineError {
    file_error(
        1,
        message!(
            "err-header-too-long",
            "the header row is longer than {bytes} bytes, but {max} column names fit in \
             that — is this a pledge file, with one header row?",
            bytes = grouped(MAX_HEADER_BYTES as u64),
            max = MAX_COLUMNS
        ),
    )
}

/// A record starting on `line` is longer than [`MAX_RECORD_BYTES`]; `start` is how it begins.
pub(crate) fn record_too_long(line: u64, start: &str) -> LineError {
    LineError::new(
        line,
        "",
        start,
        message!(
            "err-record-too-long",
            "the row starting on line {line} is longer than {bytes} bytes, more than any pledge \
             row needs — often a quote mark (\") that is never closed makes the rest of the \
             file one cell; nothing after it was read",
            line = line,
            bytes = grouped(MAX_RECORD_BYTES as u64)
        ),
    )
}

/// A cell holds more than [`MAX_CELL_BYTES`].
pub(crate) fn cell_too_long(line: u64, column: &str, value: &str) -> LineError {
    LineError::new(
        line,
        column,
        value,
        message!(
            "err-cell-too-long",
            "this cell holds {bytes} bytes, but a cell may hold at most {max} (a note or \
             caveat is at most 2,000 characters)",
            bytes = grouped(value.len() as u64),
            max = grouped(MAX_CELL_BYTES as u64)
        ),
    )
}

/// A sheet row holds more than [`MAX_RECORD_BYTES`] of text in all.
pub(crate) fn row_too_long(line: u64, bytes: usize) -> LineError {
    file_error(
        line,
        message!(
            "err-row-too-long",
            "this row holds {bytes} bytes of text, but a row may hold at most {max}",
            bytes = grouped(bytes as u64),
            max = grouped(MAX_RECORD_BYTES as u64)
        ),
    )
}

/// The file has more data rows than [`MAX_ROWS`].
pub(crate) fn too_many_rows(line: u64) -> LineError {
    file_error(
        line,
        message!(
            "err-too-many-rows",
            "the file has more than {rows} rows, the most one import takes — split it into \
             several files; nothing after line {line} was read",
            rows = grouped(MAX_ROWS as u64),
            line = line
        ),
    )
}

/// A sheet reaches the cell at 0-based (`row`, `column`), outside the used range allowed.
pub fn cell_out_of_range(row: u32, column: u32) -> LineError {
    file_error(
        u64::from(row) + 1,
        format!(
            "the sheet uses cells up to {}{}, but a pledge sheet has at most {MAX_COLUMNS} \
             columns and {} rows — delete the stray cells beyond column {} and row {} and \
             save again",
            column_letters(column),
            u64::from(row) + 1,
            grouped(MAX_ROWS as u64 + 1),
            column_letters(MAX_COLUMNS as u32 - 1),
            grouped(MAX_ROWS as u64 + 1),
        ),
    )
}

/// Whether the 0-based (`row`, `column`) lies inside the used range a sheet may have: the
/// header row and [`MAX_ROWS`] rows, [`MAX_COLUMNS`] columns.
pub fn in_used_range(row: u32, column: u32) -> bool {
    (row as usize) <= MAX_ROWS && (column as usize) < MAX_COLUMNS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(52_428_800), "52,428,800");
    }

    #[test]
    fn column_letters_follow_the_spreadsheet_alphabet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(63), "BL");
        assert_eq!(column_letters(16383), "XFD");
    }

    #[test]
    fn the_used_range_is_the_header_plus_max_rows_by_max_columns() {
        assert!(in_used_range(MAX_ROWS as u32, MAX_COLUMNS as u32 - 1));
        assert!(!in_used_range(MAX_ROWS as u32 + 1, 0));
        assert!(!in_used_range(0, MAX_COLUMNS as u32));
    }

    #[test]
    fn a_far_cell_is_named_with_the_column_to_clear() {
        let e = cell_out_of_range(1_048_575, 16_383);
        assert!(
            e.message
                .starts_with("the sheet uses cells up to XFD1048576, but a pledge sheet"),
            "{}",
            e.message
        );
        assert!(e.message.contains("beyond column BL"), "{}", e.message);
    }
}
