//! Small `.xlsx` workbooks built in the test, as Excel would save a typed sheet.

/// The CRC-32 of ZIP archives (IEEE, reflected).
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A ZIP archive of these files, stored uncompressed.
fn zip_stored(files: &[(&str, String)]) -> Vec<u8> {
    let (mut out, mut directory) = (Vec::new(), Vec::new());
    let le16 = |v: usize| u16::try_from(v).unwrap_or(u16::MAX).to_le_bytes();
    let le32 = |v: usize| u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes();
    for (name, content) in files {
        let (name, data) = (name.as_bytes(), content.as_bytes());
        let offset = out.len();
        let crc = crc32(data).to_le_bytes();
        // Version 2.0, no flags, stored, no date: the fields both headers share.
        let shared = [
            &le16(20)[..],
            &le16(0),
            &le16(0),
            &le32(0),
            &crc,
            &le32(data.len()),
            &le32(data.len()),
            &le16(name.len()),
            &le16(0),
        ]
        .concat();
        out.extend(0x0403_4b50u32.to_le_bytes());
        out.extend(&shared);
        out.extend(name);
        out.extend(data);
        directory.extend(0x0201_4b50u32.to_le_bytes());
        directory.extend(le16(20));
        directory.extend(&shared);
        directory.extend([&le16(0)[..], &le16(0), &le16(0), &le32(0), &le32(offset)].concat());
        directory.extend(name);
    }
    let start = out.len();
    out.extend(&directory);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([&le16(0)[..], &le16(0)].concat());
    out.extend([le16(files.len()), le16(files.len())].concat());
    out.extend([le32(directory.len()), le32(start)].concat());
    out.extend(le16(0));
    out
}

/// A one-sheet `.xlsx` workbook: a header of text cells, then rows whose cells are numbers when
/// they read as one (as Excel stores a typed figure) and text otherwise.
pub fn xlsx(header: &[&str], rows: &[&[&str]]) -> Vec<u8> {
    let column = |c: usize| char::from(b'A' + u8::try_from(c).unwrap_or(25));
    let mut sheet_rows = String::new();
    for (r, values) in std::iter::once(header)
        .chain(rows.iter().copied())
        .enumerate()
    {
        let line = r + 1;
        let cells: String = values
            .iter()
            .enumerate()
            .map(|(c, value)| {
                let at = format!("{}{line}", column(c));
                if line > 1 && value.parse::<f64>().is_ok() {
                    format!("<c r=\"{at}\"><v>{value}</v></c>")
                } else {
                    format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{value}</t></is></c>")
                }
            })
            .collect();
        sheet_rows.push_str(&format!("<row r=\"{line}\">{cells}</row>"));
    }
    let last_cell = format!(
        "{}{}",
        column(header.len().saturating_sub(1)),
        rows.len() + 1
    );
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package = "http://schemas.openxmlformats.org/package/2006/relationships";
    zip_stored(&[
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>"
                .to_owned(),
        ),
        (
            "_rels/.rels",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{package}\"><Relationship Id=\"rId1\" Type=\"{rel}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
        ),
        (
            "xl/workbook.xml",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{main}\" xmlns:r=\"{rel}\"><sheets><sheet name=\"Pledges\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{package}\"><Relationship Id=\"rId1\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"{main}\"><dimension ref=\"A1:{last_cell}\"/><sheetData>{sheet_rows}</sheetData></worksheet>"
            ),
        ),
    ])
}
