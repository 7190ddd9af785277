//! Reading CSV text into rows within the table limits: the header line and every record are
//! bounded as the bytes arrive ([`RecordLimiter`]), before the csv crate builds a record, and
//! each cell, the columns and the rows are counted.

use std::io::{self, BufReader, Read};

use csv::StringRecord;
use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::pledge_csv::LineError;
use crate::quoted_value::MAX_QUOTED_CHARS;
use crate::table_input::{READ_BUFFER, Row, Table, detect_delimiter};
use crate::table_limits::{
    MAX_CELL_BYTES, MAX_COLUMNS, MAX_HEADER_BYTES, MAX_RECORD_BYTES, MAX_ROWS, cell_too_long,
    empty_file, file_error, header_too_long, record_too_long, row_too_wide, too_many_columns,
    too_many_rows,
};

/// Where the CSV grammar is (the csv crate's: a quote opens a quoted field only at the start
/// of a field, and `""` inside one is a quote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lexer {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first half of `""`.
    QuoteInQuoted,
}

/// A record that grew past its limit: where it started and how it begins.
#[derive(Debug)]
struct Overlong {
    line: u64,
    start: String,
}

impl std::fmt::Display for Overlong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the record starting on line {} is too long", self.line)
    }
}

impl std::error::Error for Overlong {}

/// A reader that follows the CSV grammar as bytes pass and fails once a record (the first
/// one, the header, within [`MAX_HEADER_BYTES`]; then each within [`MAX_RECORD_BYTES`]) grows
/// past its limit, so no record or cell can hold more than that in memory.
struct RecordLimiter<R> {
    inner: R,
    delimiter: u8,
    lexer: Lexer,
    /// Bytes of the current record so far.
    record_bytes: usize,
    limit: usize,
    /// 1-based line the reader is on, and the line the current record started on.
    line: u64,
    record_line: u64,
    /// The current record's first bytes, to quote when it is too long.
    record_start: Vec<u8>,
}

impl<R: Read> RecordLimiter<R> {
    fn new(inner: R, delimiter: u8) -> Self {
        Self {
            inner,
            delimiter,
            lexer: Lexer::FieldStart,
            record_bytes: 0,
            limit: MAX_HEADER_BYTES,
            line: 1,
            record_line: 1,
            record_start: Vec::new(),
        }
    }

    /// Keeps the first bytes of a record for quoting.
    fn remember(&mut self, bytes: &[u8]) {
        let room = (4 * MAX_QUOTED_CHARS).saturating_sub(self.record_start.len());
        self.record_start
            .extend_from_slice(&bytes[..room.min(bytes.len())]);
    }

    /// Counts `bytes` into the current record, failing past the limit.
    fn grow(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.remember(bytes);
        self.record_bytes += bytes.len();
        if self.record_bytes > self.limit {
            let start = String::from_utf8_lossy(&self.record_start).into_owned();
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                Overlong {
                    line: self.record_line,
                    start,
                },
            ));
        }
        Ok(())
    }

    /// A record ended with its terminator at the end of `bytes`.
    fn end_record(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.grow(bytes)?;
        self.record_bytes = 0;
        self.record_start.clear();
        self.limit = MAX_RECORD_BYTES;
        self.record_line = self.line;
        self.lexer = Lexer::FieldStart;
        Ok(())
    }

    /// Follows the grammar over `bytes`, the ones just read.
    fn scan(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut from = 0;
        let mut i = 0;
        while i < bytes.len() {
            match self.lexer {
                Lexer::FieldStart if bytes[i] == b'"' => {
                    self.lexer = Lexer::Quoted;
                    i += 1;
                }
                Lexer::FieldStart => self.lexer = Lexer::Unquoted,
                Lexer::Unquoted => {
                    match memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[i..]) {
                        None => i = bytes.len(),
                        Some(k) => {
                            i += k + 1;
                            if bytes[i - 1] == self.delimiter {
                                self.lexer = Lexer::FieldStart;
                            } else {
                                self.line += u64::from(bytes[i - 1] == b'\n');
                                self.end_record(&bytes[from..i])?;
                                from = i;
                            }
                        }
                    }
                }
                Lexer::Quoted => {
                    let end = memchr::memchr(b'"', &bytes[i..]).map_or(bytes.len(), |k| i + k);
                    self.line += memchr::memchr_iter(b'\n', &bytes[i..end]).count() as u64;
                    if end < bytes.len() {
                        self.lexer = Lexer::QuoteInQuoted;
                        i = end + 1;
                    } else {
                        i = end;
                    }
                }
                Lexer::QuoteInQuoted => match bytes[i] {
                    b'"' => {
                        self.lexer = Lexer::Quoted;
                        i += 1;
                    }
                    b'\n' | b'\r' => {
                        self.line += u64::from(bytes[i] == b'\n');
                        i += 1;
                        self.end_record(&bytes[from..i])?;
                        from = i;
                    }
                    b if b == self.delimiter => {
                        self.lexer = Lexer::FieldStart;
                        i += 1;
                    }
                    _ => self.lexer = Lexer::Unquoted,
                },
            }
        }
        self.grow(&bytes[from..])
    }
}

impl<R: Read> Read for RecordLimiter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n])?;
        Ok(n)
    }
}

/// The limit error behind a csv error, if a record grew too long.
fn overlong(e: &csv::Error) -> Option<LineError> {
    match e.kind() {
        csv::ErrorKind::Io(io) => io
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<Overlong>())
            .map(|o| record_too_long(o.line, &o.start)),
        _ => None,
    }
}

/// Reads up to the end of the first line (a decoder may hand out a few bytes at a time), or
/// one byte past [`MAX_HEADER_BYTES`].
fn read_head(decoded: &mut impl Read) -> Result<Vec<u8>, LineError> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    while !head.contains(&b'\n') && head.len() <= MAX_HEADER_BYTES {
        let n = decoded
            .read(&mut chunk)
            .map_err(|e| file_error(1, format!("the file cannot be read: {e}")))?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
    }
    Ok(head)
}

/// Reads CSV text in `encoding` (a BOM overrides it) from `reader`.
pub fn csv_table<R: Read + Send + 'static>(
    reader: R,
    encoding: &'static Encoding,
) -> Result<Table, LineError> {
    let mut decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .strip_bom(true)
        .build(reader);
    let head = read_head(&mut decoded)?;
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    if first_line.len() > MAX_HEADER_BYTES {
        return Err(header_too_long());
    }
    let first_line = String::from_utf8_lossy(first_line).into_owned();
    if first_line.trim().is_empty() {
        return Err(empty_file());
    }
    let delimiter = detect_delimiter(&first_line);
    let buffered = BufReader::with_capacity(READ_BUFFER, io::Cursor::new(head).chain(decoded));
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(RecordLimiter::new(buffered, delimiter));
    let mut header_record = StringRecord::new();
    match csv.read_record(&mut header_record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(empty_file());
        }
        Err(e) if overlong(&e).is_some() => return Err(header_too_long()),
        Err(e) => {
            return Err(file_error(1, format!("the header row cannot be read: {e}")));
        }
    }
    if header_record.len() > MAX_COLUMNS {
        return Err(too_many_columns(header_record.len()));
    }
    let header: Vec<String> = header_record.iter().map(str::to_owned).collect();
    let rows = CsvRows {
        records: csv.into_records(),
        header: header.clone(),
        rows: 0,
        done: false,
    };
    Ok(Table {
        header,
        rows: Box::new(rows),
        rows_expected: None,
    })
}

/// The data rows of a CSV file, each checked against the limits; a limit that stops the
/// reading ends the rows with its error.
struct CsvRows<R> {
    records: csv::StringRecordsIntoIter<RecordLimiter<R>>,
    header: Vec<String>,
    rows: usize,
    done: bool,
}

impl<R: Read> CsvRows<R> {
    /// The row's problem, if it is wider than the header or a cell is too long.
    fn check(&self, line: u64, record: &StringRecord) -> Option<LineError> {
        let width = self.header.len();
        if record.len() > width {
            return Some(row_too_wide(line, record.len(), width));
        }
        record
            .iter()
            .zip(&self.header)
            .find(|(cell, _)| cell.len() > MAX_CELL_BYTES)
            .map(|(cell, column)| cell_too_long(line, column, cell))
    }
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        while !self.done {
            let record = match self.records.next()? {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    if let Some(limit) = overlong(&e) {
                        self.done = true;
                        return Some(Err(limit));
                    }
                    return Some(Err(file_error(
                        line,
                        format!("this line cannot be read as CSV: {e}"),
                    )));
                }
            };
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = record.position().map_or(0, |p| p.line());
            self.rows += 1;
            if self.rows > MAX_ROWS {
                self.done = true;
                return Some(Err(too_many_rows(line)));
            }
            return Some(match self.check(line, &record) {
                Some(problem) => Err(problem),
                None => Ok((line, record)),
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table_input::table_from_bytes;

    fn errors(bytes: Vec<u8>) -> Vec<LineError> {
        match table_from_bytes(bytes) {
            Err(e) => vec![e],
            Ok(table) => table.rows.filter_map(Result::err).collect(),
        }
    }

    #[test]
    fn a_header_line_past_its_limit_is_refused_before_it_is_parsed() {
        let mut bytes = "c,".repeat(1_000_000).into_bytes();
        bytes.extend_from_slice(b"\n1\n");
        let e = errors(bytes).remove(0);
        assert_eq!(e.line, 1);
        assert!(
            e.message
                .starts_with("the header row is longer than 8,192 bytes"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_header_with_more_columns_than_the_limit_is_refused() {
        let header: Vec<String> = (0..=MAX_COLUMNS).map(|i| format!("c{i}")).collect();
        let e = errors(format!("{}\n", header.join(",")).into_bytes()).remove(0);
        assert!(
            e.message
                .starts_with("the header row has 65 columns, but a file may have at most 64"),
            "{}",
            e.message
        );
        let fits: Vec<String> = (0..MAX_COLUMNS).map(|i| format!("c{i}")).collect();
        assert!(table_from_bytes(format!("{}\n", fits.join(",")).into_bytes()).is_ok());
    }

    #[test]
    fn a_quoted_header_spanning_lines_is_bounded_too() {
        let mut bytes = b"a,\"b\n".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', MAX_HEADER_BYTES));
        bytes.extend_from_slice(b"\"\n1,2\n");
        let e = errors(bytes).remove(0);
        assert!(
            e.message.starts_with("the header row is longer"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_record_past_its_limit_ends_the_reading_with_its_line_and_start() {
        let mut bytes = b"pledge_ref,notes\nA-1,short\nA-2,".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 50 * 1024 * 1024));
        bytes.extend_from_slice(b"\nA-3,after\n");
        let mut table = table_from_bytes(bytes).unwrap();
        assert_eq!(table.rows.next().unwrap().unwrap().0, 2);
        let e = table.rows.next().unwrap().unwrap_err();
        assert_eq!(e.line, 3);
        assert!(
            e.message
                .starts_with("the row starting on line 3 is longer than 65,536 bytes"),
            "{}",
            e.message
        );
        assert!(
            e.value.starts_with("A-2,xxx") && e.value.ends_with("characters)"),
            "{}",
            e.value
        );
        assert!(table.rows.next().is_none(), "nothing after it is read");
    }

    #[test]
    fn an_unclosed_quote_is_caught_as_an_overlong_record() {
        let mut bytes = b"a,b\n1,\"never closed\n".to_vec();
        for _ in 0..10_000 {
            bytes.extend_from_slice(b"2,short line\n");
        }
        let e = errors(bytes).pop().unwrap();
        assert_eq!(e.line, 2);
        assert!(
            e.value.starts_with("1,\"never closed\n2,short"),
            "{}",
            e.value
        );
    }

    #[test]
    fn quoted_line_breaks_and_stray_quotes_follow_the_csv_grammar() {
        // A quote inside an unquoted field is a plain character: the next line is a new row.
        let mut bytes = b"a,b\n12\" gun,x\n".to_vec();
        for i in 0..20_000 {
            bytes.extend_from_slice(format!("{i},\"two\nlines, \"\"quoted\"\"\"\n").as_bytes());
        }
        let table = table_from_bytes(bytes).unwrap();
        let rows: Vec<_> = table.rows.collect::<Result<_, _>>().unwrap();
        assert_eq!(rows.len(), 20_001);
        assert_eq!(&rows[0].1[0], "12\" gun");
        assert_eq!(&rows[1].1[1], "two\nlines, \"quoted\"");
        assert_eq!(rows[2].0, 5, "lines inside quoted cells are counted");
    }

    #[test]
    fn a_cell_past_its_limit_is_an_error_on_its_row_quoting_it_cut() {
        let long = "n".repeat(MAX_CELL_BYTES + 1);
        let bytes = format!("pledge_ref,notes\nA-1,{long}\nA-2,fine\n").into_bytes();
        let mut table = table_from_bytes(bytes).unwrap();
        let e = table.rows.next().unwrap().unwrap_err();
        assert_eq!((e.line, e.column.as_str()), (2, "notes"));
        assert!(
            e.message
                .starts_with("this cell holds 8,193 bytes, but a cell may hold at most 8,192"),
            "{}",
            e.message
        );
        assert_eq!(e.value, format!("{}… (8,193 characters)", "n".repeat(100)));
        assert!(table.rows.next().unwrap().is_ok(), "the next row is read");
    }

    #[test]
    fn rows_past_the_limit_end_the_reading() {
        let mut bytes = b"a\n".to_vec();
        bytes.extend("1\n".repeat(MAX_ROWS + 2).as_bytes());
        let table = table_from_bytes(bytes).unwrap();
        let mut read = 0;
        let mut last = None;
        for row in table.rows {
            match row {
                Ok(_) => read += 1,
                Err(e) => last = Some(e),
            }
        }
        assert_eq!(read, MAX_ROWS);
        let e = last.unwrap();
        assert!(
            e.message
                .starts_with("the file has more than 2,000,000 rows"),
            "{}",
            e.message
        );
    }
}
