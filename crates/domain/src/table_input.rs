//! Reading a table file into rows of text: CSV in UTF-8 (with or without a byte-order mark)
//! or Windows-1252, comma- or semicolon-delimited (detected from the header line), or the
//! first sheet of an `.xlsx` workbook. Rows stream: memory stays flat however long the file.

use std::io::{self, BufReader, Read};

use csv::StringRecord;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::pledge_csv::LineError;

/// A row of text cells and the 1-based line (or sheet row) it starts on.
pub type Row = Result<(u64, StringRecord), LineError>;

/// A table: its header cells and its rows.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Box<dyn Iterator<Item = Row> + Send>,
}

/// The first bytes of every `.xlsx` file (a ZIP archive).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Buffer for reading: large enough to hold any header line whole, for delimiter detection.
const READ_BUFFER: usize = 256 * 1024;

/// Whether these leading bytes are an `.xlsx` workbook rather than text.
pub fn is_xlsx(prefix: &[u8]) -> bool {
    prefix.starts_with(ZIP_MAGIC)
}

/// UTF-8 when the bytes are valid UTF-8 (after an optional BOM), otherwise Windows-1252,
/// the encoding Excel uses for CSV on Western-European Windows.
pub fn sniff_bytes(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        WINDOWS_1252
    }
}

/// Like [`sniff_bytes`], reading a stream once without holding it in memory.
pub fn sniff_reader<R: Read>(mut reader: R) -> io::Result<&'static Encoding> {
    let mut buffer = vec![0u8; READ_BUFFER];
    let mut carry = 0;
    loop {
        let n = reader.read(&mut buffer[carry..])?;
        let filled = carry + n;
        match std::str::from_utf8(&buffer[..filled]) {
            Ok(_) => carry = 0,
            // An incomplete sequence at the end of this chunk: keep it for the next read.
            Err(e) if e.error_len().is_none() && n > 0 => {
                let valid = e.valid_up_to();
                buffer.copy_within(valid..filled, 0);
                carry = filled - valid;
            }
            Err(_) => return Ok(WINDOWS_1252),
        }
        if n == 0 {
            return Ok(UTF_8);
        }
    }
}

/// The delimiter of a header line: `;` when it has more semicolons than commas, else `,`.
pub fn detect_delimiter(header_line: &str) -> u8 {
    let count = |c| header_line.chars().filter(|x| *x == c).count();
    if count(';') > count(',') { b';' } else { b',' }
}

fn line_error(line: u64, message: String) -> LineError {
    LineError {
        line,
        column: String::new(),
        value: String::new(),
        message,
    }
}

/// Reads CSV text in `encoding` (a BOM overrides it) from `reader`.
pub fn csv_table<R: Read + Send + 'static>(
    reader: R,
    encoding: &'static Encoding,
) -> Result<Table, LineError> {
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .strip_bom(true)
        .build(reader);
    // Read until the end of the header line (a decoder may hand out a few bytes at a time).
    let mut decoded = decoded;
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    while !head.contains(&b'\n') && head.len() < READ_BUFFER {
        let n = decoded
            .read(&mut chunk)
            .map_err(|e| line_error(1, format!("the file cannot be read: {e}")))?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&chunk[..n]);
    }
    let first_line =
        String::from_utf8_lossy(head.split(|b| *b == b'\n').next().unwrap_or_default())
            .into_owned();
    if first_line.trim().is_empty() {
        return Err(line_error(
            1,
            "the file is empty — a header row is required".into(),
        ));
    }
    let buffered = BufReader::with_capacity(READ_BUFFER, io::Cursor::new(head).chain(decoded));
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(detect_delimiter(&first_line))
        .from_reader(buffered);
    let mut header_record = StringRecord::new();
    match csv.read_record(&mut header_record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(line_error(
                1,
                "the file is empty — a header row is required".into(),
            ));
        }
        Err(e) => return Err(line_error(1, format!("the header row cannot be read: {e}"))),
    }
    let header: Vec<String> = header_record.iter().map(str::to_owned).collect();
    let width = header.len();
    let rows = csv.into_records().filter_map(move |record| match record {
        Ok(r) if r.iter().all(|f| f.trim().is_empty()) => None,
        Ok(r) => {
            let line = r.position().map_or(0, |p| p.line());
            Some(if r.len() > width {
                Err(line_error(
                    line,
                    format!("this row has {} cells but the header has {width}", r.len()),
                ))
            } else {
                Ok((line, r))
            })
        }
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Some(Err(line_error(
                line,
                format!("this line cannot be read as CSV: {e}"),
            )))
        }
    });
    Ok(Table {
        header,
        rows: Box::new(rows),
    })
}

/// Reads the first sheet of an `.xlsx` workbook held in memory.
pub fn xlsx_table(bytes: Vec<u8>) -> Result<Table, LineError> {
    use calamine::{Data, DataType, Reader, Xlsx};
    let mut workbook = Xlsx::new(io::Cursor::new(bytes))
        .map_err(|e| line_error(1, format!("this is not a readable .xlsx workbook: {e}")))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| line_error(1, "the workbook has no sheet".into()))?
        .map_err(|e| line_error(1, format!("the first sheet cannot be read: {e}")))?;
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(_) | Data::DateTimeIso(_) => d
                .as_date()
                .map(|x| x.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| d.to_string()),
            other => other.to_string(),
        }
    };
    let mut rows = range
        .rows()
        .enumerate()
        .map(move |(i, r)| (i as u64 + 1, r.iter().map(cell).collect::<Vec<_>>()));
    let (_, header) = rows.next().ok_or_else(|| {
        line_error(
            1,
            "the first sheet is empty — a header row is required".into(),
        )
    })?;
    let width = header.len();
    let rows: Vec<Row> = rows
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(line, cells)| {
            let used = cells
                .iter()
                .rposition(|c| !c.trim().is_empty())
                .map_or(0, |i| i + 1);
            if used > width {
                Err(line_error(
                    line,
                    format!("this row has {used} cells but the header has {width}"),
                ))
            } else {
                Ok((line, StringRecord::from(cells)))
            }
        })
        .collect();
    Ok(Table {
        header,
        rows: Box::new(rows.into_iter()),
    })
}

/// Reads a table held in memory: `.xlsx`, or CSV in whichever encoding it is in.
pub fn table_from_bytes(bytes: Vec<u8>) -> Result<Table, LineError> {
    if is_xlsx(&bytes) {
        return xlsx_table(bytes);
    }
    let encoding = sniff_bytes(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    csv_table(io::Cursor::new(bytes), encoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rows(table: Table) -> Vec<Vec<String>> {
        table
            .rows
            .map(|r| r.unwrap().1.iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn a_bom_and_semicolons_are_handled() {
        let table =
            table_from_bytes(b"\xEF\xBB\xBFpledge_ref;member_state\nA-1;PAK\n".to_vec()).unwrap();
        assert_eq!(table.header, ["pledge_ref", "member_state"]);
        assert_eq!(rows(table), [["A-1", "PAK"]]);
    }

    #[test]
    fn the_delimiter_is_found_however_the_decoder_hands_out_bytes() {
        let table =
            table_from_bytes(b"Mission;Capability;Quantity\nUNMISS;HEL-UTIL;4\n".to_vec()).unwrap();
        assert_eq!(table.header, ["Mission", "Capability", "Quantity"]);
    }

    #[test]
    fn windows_1252_is_decoded() {
        // "Côte d'Ivoire" with ô as 0xF4 in Windows-1252.
        let table = table_from_bytes(b"member_state\nC\xF4te d'Ivoire\n".to_vec()).unwrap();
        assert_eq!(rows(table), [["Côte d'Ivoire"]]);
    }

    #[test]
    fn quoted_cells_keep_commas_quotes_and_line_breaks() {
        let table =
            table_from_bytes(b"a,b\n\"x, y\",\"say \"\"hi\"\"\nthere\"\n\n\n".to_vec()).unwrap();
        assert_eq!(rows(table), [["x, y", "say \"hi\"\nthere"]]);
    }

    #[test]
    fn a_row_wider_than_the_header_is_an_error_on_its_line() {
        let mut table = table_from_bytes(b"a,b\n1,2\n1,2,3\n".to_vec()).unwrap();
        assert!(table.rows.next().unwrap().is_ok());
        let err = table.rows.next().unwrap().unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn an_empty_file_needs_a_header() {
        assert!(table_from_bytes(Vec::new()).is_err());
    }

    #[test]
    fn streaming_sniffing_agrees_with_whole_file_sniffing_across_chunk_edges() {
        let mut text = "é".repeat(READ_BUFFER);
        text.push('x');
        assert_eq!(sniff_reader(text.as_bytes()).unwrap(), UTF_8);
        let mut latin = text.into_bytes();
        latin.push(0xE9);
        assert_eq!(sniff_reader(latin.as_slice()).unwrap(), WINDOWS_1252);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            if let Ok(table) = table_from_bytes(bytes) {
                for _ in table.rows {}
            }
        }
    }
}
