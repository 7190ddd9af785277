//! Reading a table file into rows of text: CSV in UTF-8 (with or without a byte-order mark)
//! or Windows-1252, comma- or semicolon-delimited (detected from the header line), or the
//! first sheet of an `.xlsx` workbook. Rows stream: memory stays flat however long the file,
//! and every file is read within the limits of [`crate::table_limits`].

use std::io::{self, Read};

use csv::StringRecord;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

pub use crate::csv_input::csv_table;
use crate::pledge_csv::LineError;
pub use crate::xlsx_input::xlsx_table;

/// A row of text cells and the 1-based line (or sheet row) it starts on.
pub type Row = Result<(u64, StringRecord), LineError>;

/// A table: its header cells and its rows.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Box<dyn Iterator<Item = Row> + Send>,
    /// About how many data rows follow the header, when the file says so before it is read:
    /// a CSV's line breaks (more than its rows when a quoted cell spans lines), a sheet's used
    /// range. An import plans with it (`crates/store/src/import/bulk_load.rs`); it never counts as the rows read.
    pub rows_expected: Option<u64>,
}

/// Data rows a text with these line breaks holds at most: one per line after the header's,
/// the last line counted even without its final line break.
pub fn lines_after_header(newlines: u64, ends_with_newline: bool) -> u64 {
    (newlines + u64::from(!ends_with_newline)).saturating_sub(1)
}

/// [`lines_after_header`] of everything `reader` holds, read in large steps.
pub fn count_rows_expected<R: Read>(mut reader: R) -> io::Result<u64> {
    let mut buffer = vec![0; READ_BUFFER];
    let (mut newlines, mut last) = (0u64, None);
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        newlines += memchr::memchr_iter(b'\n', &buffer[..n]).count() as u64;
        last = Some(buffer[n - 1]);
    }
    Ok(lines_after_header(
        newlines,
        last.is_none_or(|b| b == b'\n'),
    ))
}

/// The first bytes of every `.xlsx` file (a ZIP archive).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// Buffer for reading CSV (and sniffing its encoding) in large steps.
pub(crate) const READ_BUFFER: usize = 256 * 1024;

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

/// Reads a table held in memory (a `Vec<u8>`, or an upload's shared buffer, never copied):
/// `.xlsx`, or CSV in whichever encoding it is in, within the limits of [`crate::table_limits`].
pub fn table_from_bytes<B>(bytes: B) -> Result<Table, LineError>
where
    B: AsRef<[u8]> + Send + 'static,
{
    let data = bytes.as_ref();
    if is_xlsx(data) {
        return xlsx_table(bytes);
    }
    let encoding = sniff_bytes(data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data));
    let rows_expected = count_rows_expected(data).ok();
    let mut table = csv_table(io::Cursor::new(bytes), encoding)?;
    table.rows_expected = rows_expected;
    Ok(table)
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
    fn the_rows_expected_are_the_lines_after_the_header() {
        let expected = |text: &str| {
            table_from_bytes(text.as_bytes().to_vec())
                .unwrap()
                .rows_expected
        };
        assert_eq!(expected("a,b\n1,2\n3,4\n"), Some(2));
        assert_eq!(
            expected("a,b\n1,2\n3,4"),
            Some(2),
            "without the last line break"
        );
        assert_eq!(expected("a,b\n"), Some(0));
        assert_eq!(expected("a,b"), Some(0));
        assert_eq!(
            expected("a,b\n\"x\ny\",2\n"),
            Some(2),
            "a line break in a cell counts too"
        );
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
