//! The parts of an `.xlsx` workbook (a ZIP archive), checked before calamine reads any of them:
//! how many there are, and what each one really inflates to — streamed through a capped
//! counter, whatever its header declares — and that no XML text or tag in it is longer than a
//! cell could need. Calamine then reads only parts whose size and shape are known.

use std::io::{self, Read, Seek};

use zip::ZipArchive;

use crate::message;
use crate::message::Message;
use crate::pledge_csv::LineError;
use crate::table_limits::{
    MAX_OTHER_PART_INFLATED_BYTES, MAX_SHARED_STRINGS_INFLATED_BYTES, MAX_SHEET_INFLATED_BYTES,
    MAX_WORKBOOK_INFLATED_BYTES, MAX_WORKBOOK_PARTS, MAX_XML_RUN_BYTES, file_error, grouped,
};

/// Bytes inflated at a time; below [`MAX_XML_RUN_BYTES`], so that only runs crossing a step
/// need counting.
const STEP_BYTES: usize = 16 * 1024;
/// The smallest XML one shared string takes (`<si></si>`): no honest `uniqueCount` is larger
/// than the part's size over this.
const MIN_SHARED_STRING_BYTES: u64 = 9;
/// XML events read looking for the `<sst>` element (a declaration and a comment may precede it).
const SST_SEARCH_EVENTS: usize = 64;

/// What a part is, by its path: each kind has its own cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    Worksheet,
    SharedStrings,
    Other,
}

impl PartKind {
    fn of(path: &str) -> Self {
        let path = path
            .trim_start_matches('/')
            .replace('\\', "/")
            .to_lowercase();
        if path.starts_with("xl/worksheets/") && path.ends_with(".xml") {
            Self::Worksheet
        } else if path == "xl/sharedstrings.xml" {
            Self::SharedStrings
        } else {
            Self::Other
        }
    }

    fn cap(self) -> u64 {
        match self {
            Self::Worksheet => MAX_SHEET_INFLATED_BYTES,
            Self::SharedStrings => MAX_SHARED_STRINGS_INFLATED_BYTES,
            Self::Other => MAX_OTHER_PART_INFLATED_BYTES,
        }
    }

    fn why(self) -> Message {
        match self {
            Self::Worksheet => message!(
                "err-xlsx-why-sheet",
                "a sheet of 1,000,000 pledges unpacks to about 477 MB"
            ),
            Self::SharedStrings => message!(
                "err-xlsx-why-shared-strings",
                "the shared texts of 1,000,000 pledges unpack to about 28 MB"
            ),
            Self::Other => message!(
                "err-xlsx-why-other",
                "such a part of a pledge workbook is a few kilobytes"
            ),
        }
    }
}

/// What inflating one part showed.
#[derive(Debug, Default)]
struct Measure {
    bytes: u64,
    /// The longest run of bytes without `<` or `>`: a text, or the inside of one tag.
    longest_run: usize,
}

/// Inflates `part` up to one byte past `cap`, counting its bytes and XML runs.
fn measure(part: &mut impl Read, cap: u64) -> io::Result<Measure> {
    let mut measure = Measure::default();
    let mut open_run = 0usize;
    let mut step = vec![0u8; STEP_BYTES];
    let mut limited = part.take(cap.saturating_add(1));
    loop {
        let n = limited.read(&mut step)?;
        if n == 0 {
            break;
        }
        let bytes = &step[..n];
        measure.bytes += n as u64;
        // A run inside one step is shorter than a step; only runs across steps can be long.
        match memchr::memchr2(b'<', b'>', bytes) {
            None => open_run += n,
            Some(first) => {
                measure.longest_run = measure.longest_run.max(open_run + first);
                let last = memchr::memrchr2(b'<', b'>', bytes).unwrap_or(first);
                open_run = n - last - 1;
            }
        }
        measure.longest_run = measure.longest_run.max(open_run);
    }
    Ok(measure)
}

/// The file is no workbook at all: the zip reader's reason, in its own words.
pub(crate) fn unreadable(e: impl std::fmt::Display) -> Message {
    message!(
        "err-xlsx-unreadable",
        "this is not a readable .xlsx workbook: {reason}",
        reason = e
    )
}

fn damaged(path: &str, e: impl std::fmt::Display) -> LineError {
    file_error(
        1,
        message!(
            "err-xlsx-damaged",
            "this .xlsx workbook is damaged: its part {path} cannot be unpacked ({reason})",
            path = path,
            reason = e
        ),
    )
}

/// A part inflates past its kind's cap; `declared` is what its header said, when that alone
/// was too much.
fn too_large(path: &str, kind: PartKind, declared: Option<u64>) -> LineError {
    let (max, why) = (grouped(kind.cap()), kind.why());
    let words = match declared {
        None => message!(
            "err-xlsx-part-too-large",
            "this .xlsx workbook's part {path} unpacks to more than {max} bytes, the most it \
             may ({why}) — save the pledges alone in a new workbook, or as CSV",
            path = path,
            max = max,
            why = why.english()
        ),
        Some(d) => message!(
            "err-xlsx-part-declared-too-large",
            "this .xlsx workbook's part {path} unpacks to more than {max} bytes (its header \
             declares {declared} bytes), the most it may ({why}) — save the pledges alone in a \
             new workbook, or as CSV",
            path = path,
            max = max,
            declared = grouped(d),
            why = why.english()
        ),
    };
    file_error(1, words.quoting("why", why))
}

fn workbook_too_large() -> LineError {
    file_error(
        1,
        message!(
            "err-xlsx-workbook-too-large",
            "this .xlsx workbook unpacks to more than {max} bytes in all — save the pledges \
             alone in a new workbook, or as CSV",
            max = grouped(MAX_WORKBOOK_INFLATED_BYTES)
        ),
    )
}

/// The `uniqueCount` of the `<sst>` element, which calamine reserves room for before reading:
/// it may not promise more strings than the part can hold.
fn check_unique_count<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    index: usize,
    path: &str,
    bytes: u64,
) -> Result<(), LineError> {
    use quick_xml::events::Event;
    let part = archive.by_index(index).map_err(|e| damaged(path, e))?;
    let mut xml = quick_xml::Reader::from_reader(io::BufReader::new(part));
    let mut buf = Vec::new();
    for _ in 0..SST_SEARCH_EVENTS {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                let promised = match e.try_get_attribute("uniqueCount") {
                    Ok(None) => return Ok(()),
                    Ok(Some(a)) => Some(a.value)
                        .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
                        .and_then(|v| v.parse::<u64>().ok()),
                    Err(_) => None,
                };
                return match promised {
                    Some(n) if n <= bytes / MIN_SHARED_STRING_BYTES + 1 => Ok(()),
                    _ => Err(damaged(path, "it promises more texts than it holds")),
                };
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(damaged(path, e)),
        }
    }
    Ok(())
}

/// Checks every part of the workbook in `bytes` against the limits; an error says which part
/// and why, in a planner's words.
pub(crate) fn check_parts(bytes: &[u8]) -> Result<(), LineError> {
    let mut archive =
        ZipArchive::new(io::Cursor::new(bytes)).map_err(|e| file_error(1, unreadable(e)))?;
    if archive.len() > MAX_WORKBOOK_PARTS {
        return Err(file_error(
            1,
            message!(
                "err-xlsx-too-many-parts",
                "this .xlsx workbook has {parts} parts, but a workbook may have at most {max} — \
                 save the pledges alone in a new workbook, or as CSV",
                parts = grouped(archive.len() as u64),
                max = grouped(MAX_WORKBOOK_PARTS as u64)
            ),
        ));
    }
    // What the headers declare bounds what calamine's reader lets out of each part: a part or
    // a total past its cap is refused before anything is inflated.
    let mut declared = 0u64;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(|e| damaged("?", e))?;
        let kind = PartKind::of(&part.name().map_err(|e| damaged("?", e))?);
        if part.size() > kind.cap() {
            let path = part.name().map(|n| n.into_owned()).unwrap_or_default();
            return Err(too_large(&path, kind, Some(part.size())));
        }
        declared = declared.saturating_add(part.size());
    }
    if declared > MAX_WORKBOOK_INFLATED_BYTES {
        return Err(workbook_too_large());
    }
    let mut total = 0u64;
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(|e| damaged("?", e))?;
        let path = part.name().map_err(|e| damaged("?", e))?.into_owned();
        let kind = PartKind::of(&path);
        let measured = measure(&mut part, kind.cap()).map_err(|e| damaged(&path, e))?;
        drop(part);
        if measured.bytes > kind.cap() {
            return Err(too_large(&path, kind, None));
        }
        if measured.longest_run > MAX_XML_RUN_BYTES {
            return Err(file_error(
                1,
                message!(
                    "err-xlsx-run-too-long",
                    "this .xlsx workbook's part {path} holds a text or tag longer than {max} \
                     bytes, far more than any cell of a pledge sheet needs",
                    path = path,
                    max = grouped(MAX_XML_RUN_BYTES as u64)
                ),
            ));
        }
        total += measured.bytes;
        if total > MAX_WORKBOOK_INFLATED_BYTES {
            return Err(workbook_too_large());
        }
        if kind == PartKind::SharedStrings {
            check_unique_count(&mut archive, index, &path, measured.bytes)?;
        }
    }
    Ok(())
}
