//! Building `.xlsx` workbooks for tests, hostile ones included. A part is a list of pieces, each
//! deflated once and repeated (a full flush makes each piece's deflate output stand alone), so
//! a part that inflates to gigabytes takes milliseconds to build and a few megabytes to hold.

use flate2::{Compress, Compression, FlushCompress};

/// One part of a workbook: its path, its pieces (bytes, times repeated), and the size its
/// headers declare when they should lie.
struct Part {
    path: String,
    pieces: Vec<(Vec<u8>, u64)>,
    declared: Option<u64>,
}

/// A workbook under construction.
#[derive(Default)]
pub struct Workbook {
    parts: Vec<Part>,
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Pledges" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// The path of the sheet in every workbook built here.
pub const SHEET: &str = "xl/worksheets/sheet1.xml";
/// The path of the shared strings.
pub const SHARED_STRINGS: &str = "xl/sharedStrings.xml";

/// The opening of a worksheet up to its first row, with a `<dimension>` when given.
pub fn sheet_start(dimension: Option<&str>) -> String {
    let dimension = dimension
        .map(|d| format!(r#"<dimension ref="{d}"/>"#))
        .unwrap_or_default();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>"#
    )
}

/// The close of a worksheet.
pub const SHEET_END: &str = "</sheetData></worksheet>";

/// A row of inline-string cells starting in column A of 1-based `row`.
pub fn inline_row(row: u32, cells: &[&str]) -> String {
    let mut xml = format!(r#"<row r="{row}">"#);
    for (i, text) in cells.iter().enumerate() {
        let column = crate::table_limits::column_letters(i as u32);
        xml.push_str(&format!(
            r#"<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>"#
        ));
    }
    xml.push_str("</row>");
    xml
}

/// A row as Excel stores typed figures: a cell that reads as a number is a number cell, any
/// other an inline string.
pub fn typed_row(row: u32, cells: &[&str]) -> String {
    let mut xml = format!(r#"<row r="{row}">"#);
    for (i, text) in cells.iter().enumerate() {
        let at = format!("{}{row}", crate::table_limits::column_letters(i as u32));
        if text.parse::<f64>().is_ok() {
            xml.push_str(&format!(r#"<c r="{at}"><v>{text}</v></c>"#));
        } else {
            xml.push_str(&format!(
                r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#
            ));
        }
    }
    xml.push_str("</row>");
    xml
}

/// The pledge header row, as row 1.
pub fn pledge_header_row() -> String {
    inline_row(1, &crate::pledge_csv::COLUMNS)
}

impl Workbook {
    /// A workbook with the package parts and a sheet of these pieces.
    pub fn with_sheet(pieces: Vec<(Vec<u8>, u64)>) -> Self {
        Self::default()
            .part("[Content_Types].xml", vec![(CONTENT_TYPES.into(), 1)])
            .part("_rels/.rels", vec![(PACKAGE_RELS.into(), 1)])
            .part("xl/workbook.xml", vec![(WORKBOOK.into(), 1)])
            .part(
                "xl/_rels/workbook.xml.rels",
                vec![(WORKBOOK_RELS.into(), 1)],
            )
            .part(SHEET, pieces)
    }

    /// A workbook whose sheet is this XML, whole.
    pub fn with_sheet_xml(xml: &str) -> Self {
        Self::with_sheet(vec![(xml.as_bytes().to_vec(), 1)])
    }

    /// Adds a part made of these pieces.
    pub fn part(mut self, path: &str, pieces: Vec<(Vec<u8>, u64)>) -> Self {
        self.parts.push(Part {
            path: path.into(),
            pieces,
            declared: None,
        });
        self
    }

    /// Makes the headers of the part at `path` declare `bytes` as its inflated size.
    pub fn declaring(mut self, path: &str, bytes: u64) -> Self {
        for part in self.parts.iter_mut().filter(|p| p.path == path) {
            part.declared = Some(bytes);
        }
        self
    }

    /// The workbook as the bytes of a ZIP archive.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for part in &self.parts {
            let (data, crc, size) = deflate_pieces(&part.pieces);
            let size = part.declared.unwrap_or(size);
            let offset = out.len() as u32;
            let fixed = |sig: u32, out: &mut Vec<u8>, central_entry: bool| {
                out.extend_from_slice(&sig.to_le_bytes());
                if central_entry {
                    out.extend_from_slice(&20u16.to_le_bytes());
                }
                for v in [20u16, 0, 8, 0, 0x21] {
                    out.extend_from_slice(&v.to_le_bytes());
                }
                out.extend_from_slice(&crc.to_le_bytes());
                out.extend_from_slice(&(data.len() as u32).to_le_bytes());
                out.extend_from_slice(&(size as u32).to_le_bytes());
                out.extend_from_slice(&(part.path.len() as u16).to_le_bytes());
                out.extend_from_slice(&0u16.to_le_bytes());
            };
            fixed(0x0403_4b50, &mut out, false);
            out.extend_from_slice(part.path.as_bytes());
            out.extend_from_slice(&data);
            fixed(0x0201_4b50, &mut central, true);
            for v in [0u16, 0, 0] {
                central.extend_from_slice(&v.to_le_bytes());
            }
            central.extend_from_slice(&0u32.to_le_bytes());
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(part.path.as_bytes());
        }
        let central_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        let count = self.parts.len() as u16;
        for v in [0u16, 0, count, count] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&central_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }
}

/// Deflates each piece once (ending on a full flush, so it stands alone) and repeats it;
/// returns the deflate stream, the CRC-32 of what it inflates to, and that size.
fn deflate_pieces(pieces: &[(Vec<u8>, u64)]) -> (Vec<u8>, u32, u64) {
    let mut stream = Vec::new();
    let mut crc = crc32fast::Hasher::new();
    for (bytes, times) in pieces {
        // A repeated piece is a bomb: packed as tightly as deflate can; the rest quickly.
        let level = if *times > 1 {
            Compression::best()
        } else {
            Compression::fast()
        };
        let once = deflate(bytes, level, FlushCompress::Full);
        let mut piece_crc = crc32fast::Hasher::new();
        piece_crc.update(bytes);
        for _ in 0..*times {
            stream.extend_from_slice(&once);
            crc.combine(&piece_crc);
        }
    }
    stream.extend_from_slice(&deflate(&[], Compression::fast(), FlushCompress::Finish));
    let size = crc.total_len();
    (stream, crc.finalize(), size)
}

fn deflate(bytes: &[u8], level: Compression, flush: FlushCompress) -> Vec<u8> {
    let mut compress = Compress::new(level, false);
    let mut out = Vec::with_capacity(bytes.len() / 4 + 1024);
    loop {
        let consumed = compress.total_in() as usize;
        out.reserve(1024);
        let status = compress.compress_vec(&bytes[consumed..], &mut out, flush);
        let all_in = compress.total_in() as usize == bytes.len();
        match status {
            // Room left over after taking every byte: the flush is complete.
            Ok(flate2::Status::Ok) | Ok(flate2::Status::BufError)
                if !(all_in && out.len() < out.capacity()) => {}
            _ => break,
        }
    }
    out
}
