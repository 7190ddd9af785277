//! Reading the first sheet of an `.xlsx` workbook into streamed rows, sparsely: after its parts
//! pass [`crate::xlsx_parts`], a thread walks the sheet's cells one by one with calamine's cell
//! reader (never a dense range), checks the sheet's dimension and each cell's reference
//! against the used range, and hands rows over through a short queue — the thread owns the
//! workbook the reader borrows, which keeps the rows `Send` and memory flat.

use std::io::Cursor;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, DataRef, DataType, Reader, Xlsx};
use csv::StringRecord;

use crate::message;
use crate::pledge_csv::LineError;
use crate::table_input::{Row, Table};
use crate::table_limits::{
    MAX_CELL_BYTES, MAX_RECORD_BYTES, cell_out_of_range, cell_too_long, column_letters, file_error,
    in_used_range, row_too_long, row_too_wide,
};
use crate::xlsx_parts::{check_parts, unreadable};

/// Rows handed over at once (fewer when they hold [`MESSAGE_TEXT_BYTES`] of text), and
/// hand-overs queued: a few MiB in flight, however long the rows.
const ROWS_PER_MESSAGE: usize = 256;
const MESSAGE_TEXT_BYTES: usize = 1 << 20;
const MESSAGES_AHEAD: usize = 2;

/// What the sheet's thread sends: the header row (or why there is none), rows, and the end.
enum Message {
    /// The header's cells, and the rows the sheet's used range gives below it (if it has one).
    Header(Result<(Vec<String>, Option<u64>), LineError>),
    Rows(Vec<Row>),
    End,
}

/// Reads the first sheet of an `.xlsx` workbook held in memory.
pub fn xlsx_table<B: AsRef<[u8]> + Send + 'static>(bytes: B) -> Result<Table, LineError> {
    check_parts(bytes.as_ref())?;
    let (tx, rx) = sync_channel(MESSAGES_AHEAD);
    std::thread::Builder::new()
        .name("xlsx-rows".into())
        .spawn(move || read_sheet(bytes.as_ref(), &tx))
        .map_err(|e| {
            file_error(
                1,
                message!(
                    "err-xlsx-busy",
                    "the workbook cannot be read just now: {reason}",
                    reason = e
                ),
            )
        })?;
    match rx.recv() {
        Ok(Message::Header(Ok((header, rows_expected)))) => Ok(Table {
            header,
            rows_expected,
            rows: Box::new(SheetRows {
                rx,
                batch: Vec::new().into_iter(),
                ended: false,
            }),
        }),
        Ok(Message::Header(Err(e))) => Err(e),
        _ => Err(file_error(
            1,
            message!("err-xlsx-sheet-stopped", "the first sheet cannot be read"),
        )),
    }
}

/// The text of a cell, as the CSV of the same sheet would hold it; a text longer than
/// [`MAX_CELL_BYTES`] is returned as the error, uncopied.
fn cell_text(value: DataRef<'_>) -> Result<String, CellTooLong> {
    let d = match value {
        DataRef::SharedString(s) if s.len() > MAX_CELL_BYTES => {
            return Err(CellTooLong(s.to_owned()));
        }
        DataRef::SharedString(s) => return Ok(s.to_owned()),
        DataRef::String(s) if s.len() > MAX_CELL_BYTES => return Err(CellTooLong(s)),
        DataRef::String(s) => return Ok(s),
        other => Data::from(other),
    };
    Ok(match d {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => d
            .as_date()
            .map(|x| x.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| d.to_string()),
        other => other.to_string(),
    })
}

/// A cell whose text is past [`MAX_CELL_BYTES`].
struct CellTooLong(String);

/// Rows put together from cells as they stream by.
struct Assembler<'a> {
    tx: &'a SyncSender<Message>,
    /// The last row of the sheet's used range (0-based), when its dimension gives one.
    last_row: Option<u32>,
    /// The header's cells, and the column it starts in, once its row is complete.
    header: Option<(Vec<String>, u32)>,
    /// The row being filled: its 0-based index, its cells by column, bytes of text, a problem.
    row: Option<u32>,
    cells: Vec<String>,
    bytes: usize,
    problem: Option<LineError>,
    batch: Vec<Row>,
    batch_bytes: usize,
}

impl Assembler<'_> {
    /// Takes one cell; `Err` stops the reading with the error that ends the file.
    fn cell(&mut self, row: u32, column: u32, value: DataRef<'_>) -> Result<(), LineError> {
        if !in_used_range(row, column) {
            return Err(cell_out_of_range(row, column));
        }
        match self.row {
            Some(current) if row < current => {
                return Err(file_error(
                    u64::from(row) + 1,
                    message!(
                        "err-xlsx-rows-out-of-order",
                        "the sheet's rows are out of order (row {row} comes after row \
                         {previous}) — open it in a spreadsheet program and save it again",
                        row = row + 1,
                        previous = current + 1
                    ),
                ));
            }
            Some(current) if row > current => self.finish_row()?,
            _ => {}
        }
        self.row = Some(row);
        let text = match cell_text(value) {
            Ok(text) => text,
            Err(CellTooLong(text)) => {
                let column_name = self.column_name(column);
                self.problem
                    .get_or_insert_with(|| cell_too_long(u64::from(row) + 1, &column_name, &text));
                String::new()
            }
        };
        let slot = column as usize;
        if self.cells.len() <= slot {
            self.cells.resize(slot + 1, String::new());
        }
        self.bytes = self.bytes - self.cells[slot].len() + text.len();
        self.cells[slot] = text;
        Ok(())
    }

    /// The header's name for a column, or its letters.
    fn column_name(&self, column: u32) -> String {
        self.header
            .as_ref()
            .and_then(|(names, start)| names.get(column.checked_sub(*start)? as usize))
            .cloned()
            .unwrap_or_else(|| column_letters(column))
    }

    /// Completes the row being filled: the header, a data row, or nothing when it is blank.
    fn finish_row(&mut self) -> Result<(), LineError> {
        let Some(row) = self.row.take() else {
            return Ok(());
        };
        let cells = std::mem::take(&mut self.cells);
        let bytes = std::mem::take(&mut self.bytes);
        let problem = self.problem.take();
        let filled: Vec<usize> = (0..cells.len())
            .filter(|&i| !cells[i].trim().is_empty())
            .collect();
        let line = u64::from(row) + 1;
        let (Some(&first), Some(&last)) = (filled.first(), filled.last()) else {
            // A row whose only text was too long is blank now, but not to be skipped.
            return match problem {
                Some(problem) if self.header.is_some() => self.push(Err(problem)),
                Some(problem) => Err(problem),
                None => Ok(()),
            };
        };
        let Some((names, start)) = &self.header else {
            if let Some(problem) = problem {
                return Err(problem);
            }
            let names = cells[first..=last].to_vec();
            let below = self
                .last_row
                .map(|last| u64::from(last.saturating_sub(row)));
            if self
                .tx
                .send(Message::Header(Ok((names.clone(), below))))
                .is_err()
            {
                return Err(file_error(line, "nobody reads the rows any more"));
            }
            self.header = Some((names, first as u32));
            return Ok(());
        };
        let (start, width) = (*start as usize, names.len());
        let result = if let Some(problem) = problem {
            Err(problem)
        } else if first < start || last + 1 - start > width {
            let used = last + 1 - first.min(start);
            Err(row_too_wide(line, used, width))
        } else if bytes > MAX_RECORD_BYTES {
            Err(row_too_long(line, bytes))
        } else {
            let mut record = StringRecord::with_capacity(bytes, width);
            for i in start..start + width {
                record.push_field(cells.get(i).map_or("", String::as_str));
            }
            Ok((line, record))
        };
        self.push(result)
    }

    /// Queues a row, handing a full batch over.
    fn push(&mut self, row: Row) -> Result<(), LineError> {
        self.batch_bytes += row.as_ref().map_or(0, |(_, r)| r.as_slice().len());
        self.batch.push(row);
        if self.batch.len() >= ROWS_PER_MESSAGE || self.batch_bytes >= MESSAGE_TEXT_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), LineError> {
        let batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        self.tx
            .send(Message::Rows(batch))
            .map_err(|_| file_error(0, "nobody reads the rows any more"))
    }
}

/// The first sheet could not be read: calamine's reason, in its own words.
fn sheet_unreadable(e: impl std::fmt::Display) -> crate::message::Message {
    message!(
        "err-xlsx-sheet-unreadable",
        "the first sheet cannot be read: {reason}",
        reason = e
    )
}

/// The sheet's thread: opens the workbook, checks the dimension, streams the cells.
fn read_sheet(bytes: &[u8], tx: &SyncSender<Message>) {
    let fail = |e: LineError| {
        let _ = tx.send(Message::Header(Err(e)));
    };
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(w) => w,
        Err(e) => {
            return fail(file_error(1, unreadable(e)));
        }
    };
    let Some(name) = workbook.sheet_names().first().cloned() else {
        return fail(file_error(
            1,
            message!("err-xlsx-no-sheet", "the workbook has no sheet"),
        ));
    };
    let mut cells = match workbook.worksheet_cells_reader(&name) {
        Ok(c) => c,
        Err(e) => {
            return fail(file_error(1, sheet_unreadable(e)));
        }
    };
    let dimensions = cells.dimensions();
    if !in_used_range(dimensions.end.0, dimensions.end.1) {
        return fail(cell_out_of_range(dimensions.end.0, dimensions.end.1));
    }
    let mut assembler = Assembler {
        tx,
        last_row: (dimensions.end.0 > 0).then_some(dimensions.end.0),
        header: None,
        row: None,
        cells: Vec::new(),
        bytes: 0,
        problem: None,
        batch: Vec::new(),
        batch_bytes: 0,
    };
    let outcome = loop {
        match cells.next_cell() {
            Ok(Some(cell)) => {
                let (row, column) = cell.get_position();
                let value = cell.get_value().clone();
                if let Err(e) = assembler.cell(row, column, value) {
                    break Err(e);
                }
            }
            Ok(None) => break assembler.finish_row(),
            Err(e) => {
                break Err(file_error(
                    assembler.row.map_or(1, |r| u64::from(r) + 1),
                    sheet_unreadable(e),
                ));
            }
        }
    };
    let header_sent = assembler.header.is_some();
    match outcome {
        Err(e) if !header_sent => fail(e),
        Err(e) => {
            if assembler
                .push(Err(e))
                .and_then(|()| assembler.flush())
                .is_ok()
            {
                let _ = tx.send(Message::End);
            }
        }
        Ok(()) if !header_sent => fail(file_error(
            1,
            crate::message!(
                "err-sheet-empty",
                "the first sheet is empty — a header row is required"
            ),
        )),
        Ok(()) => {
            if assembler.flush().is_ok() {
                let _ = tx.send(Message::End);
            }
        }
    }
}

/// The rows the sheet's thread sends; if it stops without saying it has ended, the last row
/// is an error, so that a sheet read in part is never imported as if whole.
struct SheetRows {
    rx: Receiver<Message>,
    batch: std::vec::IntoIter<Row>,
    ended: bool,
}

impl Iterator for SheetRows {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        loop {
            if let Some(row) = self.batch.next() {
                return Some(row);
            }
            if self.ended {
                return None;
            }
            match self.rx.recv() {
                Ok(Message::Rows(rows)) => self.batch = rows.into_iter(),
                Ok(Message::End) => self.ended = true,
                Ok(Message::Header(_)) => {}
                Err(_) => {
                    self.ended = true;
                    let words = message!(
                        "err-xlsx-sheet-cut-short",
                        "the sheet could not be read to its end"
                    );
                    return Some(Err(file_error(0, words)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::table_limits::{MAX_SHEET_INFLATED_BYTES, MAX_WORKBOOK_PARTS, MAX_XML_RUN_BYTES};
    use crate::testing::{
        SHARED_STRINGS, SHEET, SHEET_END, Workbook, inline_row, pledge_header_row, sheet_start,
    };

    fn sheet(dimension: Option<&str>, rows: &str) -> Vec<u8> {
        Workbook::with_sheet_xml(&format!("{}{rows}{SHEET_END}", sheet_start(dimension))).to_bytes()
    }

    /// A sheet of one small row repeated until it inflates to about `bytes`.
    fn rows_inflating_to(bytes: u64) -> Vec<(Vec<u8>, u64)> {
        let piece = b"<row><c><v>1</v></c></row>".repeat(40_000);
        vec![
            (sheet_start(None).into_bytes(), 1),
            (piece.clone(), bytes.div_ceil(piece.len() as u64)),
            (SHEET_END.as_bytes().to_vec(), 1),
        ]
    }

    fn refusal(bytes: Vec<u8>) -> String {
        match xlsx_table(bytes) {
            Err(e) => e.message,
            Ok(mut table) => table
                .rows
                .find_map(Result::err)
                .map(|e| e.message)
                .unwrap_or_else(|| panic!("the workbook was read whole")),
        }
    }

    fn shared_strings(strings: &str, unique: &str) -> Vec<u8> {
        let sst = format!(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{unique}">{strings}</sst>"#
        );
        let rows = format!(
            r#"{}<row r="2"><c r="A2" t="s"><v>0</v></c></row>"#,
            inline_row(1, &["notes"])
        );
        Workbook::with_sheet_xml(&format!("{}{rows}{SHEET_END}", sheet_start(None)))
            .part(SHARED_STRINGS, vec![(sst.into_bytes(), 1)])
            .to_bytes()
    }

    #[test]
    fn rows_stream_with_their_sheet_row_numbers_and_the_header_s_width() {
        let rows = format!(
            "{}{}<row r=\"4\"><c r=\"B4\"><v>7</v></c></row>",
            inline_row(1, &["a", "b", "c"]),
            inline_row(2, &["x", "y"]),
        );
        let table = xlsx_table(sheet(Some("A1:C4"), &rows)).unwrap();
        assert_eq!(table.header, ["a", "b", "c"]);
        assert_eq!(
            table.rows_expected,
            Some(3),
            "rows 2 to 4 of the used range"
        );
        let undimensioned = xlsx_table(sheet(None, &rows)).unwrap();
        assert_eq!(undimensioned.rows_expected, None);
        let rows: Vec<_> = table.rows.map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].0, rows[0].1.iter().collect::<Vec<_>>()),
            (2, vec!["x", "y", ""])
        );
        assert_eq!(
            (rows[1].0, rows[1].1.iter().collect::<Vec<_>>()),
            (4, vec!["", "7", ""])
        );
    }

    #[test]
    fn a_dimension_reaching_far_is_refused_before_any_cell_is_read() {
        let far = format!(
            "{}<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>",
            pledge_header_row()
        );
        let message = refusal(sheet(Some("A1:XFD1048576"), &far));
        assert!(
            message.starts_with("the sheet uses cells up to XFD1048576, but a pledge sheet has at most 64 columns and 2,000,001 rows — delete the stray cells beyond column BL"),
            "{message}"
        );
    }

    #[test]
    fn a_far_cell_is_refused_by_its_reference_when_the_dimension_hides_it() {
        let far = format!(
            "{}<row r=\"2000\"><c r=\"XFD2000\"><v>1</v></c></row>",
            pledge_header_row()
        );
        let message = refusal(sheet(Some("A1:R2"), &far));
        assert!(
            message.starts_with("the sheet uses cells up to XFD2000"),
            "{message}"
        );
        let deep = format!(
            "{}<row r=\"2000002\"><c r=\"A2000002\"><v>1</v></c></row>",
            pledge_header_row()
        );
        assert!(refusal(sheet(None, &deep)).starts_with("the sheet uses cells up to A2000002"));
    }

    #[test]
    fn a_part_declaring_more_than_its_cap_is_refused_without_inflating_it() {
        let bytes =
            Workbook::with_sheet(rows_inflating_to(MAX_SHEET_INFLATED_BYTES + 1)).to_bytes();
        let started = std::time::Instant::now();
        let message = refusal(bytes);
        assert!(
            message.contains("part xl/worksheets/sheet1.xml unpacks to more than 1,073,741,824 bytes (its header declares"),
            "{message}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn a_part_inflating_past_what_it_declares_is_refused() {
        let rows = format!(
            "{}{}",
            pledge_header_row(),
            inline_row(2, &["x"]).repeat(1000)
        );
        let bytes = Workbook::with_sheet_xml(&format!("{}{rows}{SHEET_END}", sheet_start(None)))
            .declaring(SHEET, 500)
            .to_bytes();
        let message = refusal(bytes);
        assert!(
            message.contains("its part xl/worksheets/sheet1.xml cannot be unpacked"),
            "{message}"
        );
    }

    #[test]
    fn shared_strings_past_their_cap_are_refused() {
        let start =
            br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#;
        let bytes = Workbook::with_sheet_xml(&format!("{}{SHEET_END}", sheet_start(None)))
            .part(
                SHARED_STRINGS,
                vec![
                    (start.to_vec(), 1),
                    (vec![b'x'; 1 << 20], 65),
                    (b"</t></si></sst>".to_vec(), 1),
                ],
            )
            .to_bytes();
        let message = refusal(bytes);
        assert!(
            message.contains("sharedStrings.xml unpacks to more than 67,108,864 bytes"),
            "{message}"
        );
    }

    #[test]
    fn a_text_longer_than_any_cell_needs_is_refused_before_calamine_holds_it() {
        let long = "y".repeat(MAX_XML_RUN_BYTES + 1);
        let rows = format!("{}{}", pledge_header_row(), inline_row(2, &["A-1", &long]));
        let message = refusal(sheet(None, &rows));
        assert!(
            message.contains("holds a text or tag longer than 65,536 bytes"),
            "{message}"
        );
    }

    #[test]
    fn a_shared_string_table_promising_more_texts_than_it_holds_is_refused() {
        let message = refusal(shared_strings("<si><t>a</t></si>", "1000000000000"));
        assert!(
            message.contains("promises more texts than it holds"),
            "{message}"
        );
        let fine = xlsx_table(shared_strings("<si><t>a</t></si>", "1")).unwrap();
        assert_eq!(
            fine.rows.map(Result::unwrap).next().unwrap().1.get(0),
            Some("a")
        );
    }

    #[test]
    fn a_cell_past_its_limit_is_an_error_on_its_row_quoting_it_cut() {
        let long = "z".repeat(MAX_CELL_BYTES + 1);
        let mut table =
            xlsx_table(shared_strings(&format!("<si><t>{long}</t></si>"), "1")).unwrap();
        let e = table.rows.next().unwrap().unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (2, "notes"));
        assert!(
            e.message.starts_with("this cell holds 8,193 bytes"),
            "{}",
            e.message
        );
        assert_eq!(e.value, format!("{}… (8,193 characters)", "z".repeat(100)));
    }

    #[test]
    fn a_row_past_its_byte_limit_is_an_error_on_its_row() {
        let cell = "w".repeat(MAX_CELL_BYTES);
        let cells: Vec<&str> = std::iter::repeat_n(cell.as_str(), 9).collect();
        let header: Vec<String> = (0..9).map(|i| format!("c{i}")).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows = format!("{}{}", inline_row(1, &header), inline_row(2, &cells));
        let mut table = xlsx_table(sheet(None, &rows)).unwrap();
        let e = table.rows.next().unwrap().unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.message.starts_with("this row holds 73,728 bytes of text"),
            "{}",
            e.message
        );
    }

    #[test]
    fn any_other_part_past_its_cap_is_refused() {
        let bytes = Workbook::with_sheet_xml(&format!("{}{SHEET_END}", sheet_start(None)))
            .part("xl/styles.xml", vec![(vec![b' '; 1 << 20], 17)])
            .to_bytes();
        let message = refusal(bytes);
        assert!(
            message.contains("part xl/styles.xml unpacks to more than 16,777,216 bytes"),
            "{message}"
        );
    }

    #[test]
    fn parts_past_the_workbook_s_total_are_refused_before_any_is_inflated() {
        let sheet = rows_inflating_to(MAX_SHEET_INFLATED_BYTES - (1 << 20));
        let bytes = Workbook::with_sheet(sheet.clone())
            .part("xl/worksheets/sheet2.xml", sheet)
            .to_bytes();
        let started = std::time::Instant::now();
        let message = refusal(bytes);
        assert!(
            message.contains("unpacks to more than 1,207,959,552 bytes in all"),
            "{message}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn a_workbook_of_too_many_parts_is_refused() {
        let mut workbook = Workbook::with_sheet_xml(&format!("{}{SHEET_END}", sheet_start(None)));
        for i in 0..MAX_WORKBOOK_PARTS {
            workbook = workbook.part(&format!("xl/media/p{i}.xml"), vec![(b"<a/>".to_vec(), 1)]);
        }
        let message = refusal(workbook.to_bytes());
        assert!(
            message.contains("parts, but a workbook may have at most 1,000"),
            "{message}"
        );
    }

    #[test]
    fn rows_out_of_order_are_refused() {
        let rows = format!(
            "{}{}{}",
            inline_row(1, &["a"]),
            inline_row(5, &["x"]),
            inline_row(3, &["y"])
        );
        assert!(refusal(sheet(None, &rows)).starts_with("the sheet's rows are out of order"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn a_damaged_workbook_never_panics(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
            let rows = format!("{}{}", pledge_header_row(), inline_row(2, &["PAK-1", "PAK", "INF-BN", "1"]));
            let mut bytes = sheet(Some("A1:R2"), &rows);
            for (at, byte) in flips {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            if let Ok(table) = xlsx_table(bytes) {
                for _ in table.rows {}
            }
        }
    }
}
