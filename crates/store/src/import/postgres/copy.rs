//! `COPY … FROM STDIN` text: PostgreSQL's fastest way in, used for new pledges, their
//! partners, and a batch of changes with its audit entries.

use std::io::Write as _;

use chrono::{DateTime, Utc};

use crate::StoreError;
use crate::import::batch::{NewPledges, pledge_columns};
use crate::import::cells::{CellRef, Rows};

/// A timestamp as `COPY` text, to the microsecond PostgreSQL keeps.
pub(super) fn copy_timestamp(at: DateTime<Utc>) -> impl std::fmt::Display {
    at.format("%Y-%m-%d %H:%M:%S%.6f+00")
}

/// The `COPY` loading new pledges as [`pledges_copy`] renders them.
pub(super) fn pledges_copy_statement() -> String {
    let columns = pledge_columns("");
    format!("COPY pledges (id, {columns}, version, created_at, updated_at, updated_by) FROM STDIN")
}

/// The `COPY` loading partners as [`partners_copy`] renders them.
pub(super) const PARTNERS_COPY_STATEMENT: &str =
    "COPY pledge_partners (pledge_id, member_state, role) FROM STDIN";

/// New pledges as `COPY` text, one line each under the id drawn for it: version 1, created and
/// updated `at` by `by`.
pub(super) fn pledges_copy(
    batch: &NewPledges,
    ids: &[i64],
    by: &str,
    at: DateTime<Utc>,
) -> Vec<u8> {
    let stamp = copy_timestamp(at);
    let mut tail = format!("\t1\t{stamp}\t{stamp}\t").into_bytes();
    copy_escaped(&mut tail, by);
    let rows = &batch.pledges;
    let mut out = Vec::with_capacity(rows.len() * (rows.width() * 10 + tail.len() + 8));
    for (row, id) in ids.iter().enumerate().take(rows.len()) {
        copy_line(
            &mut out,
            *id,
            (0..rows.width()).map(|c| rows.cell(row, c)),
            &tail,
        );
    }
    out
}

/// The new pledges' partners as `COPY` text: the id drawn for the pledge, the partner, its
/// role.
pub(super) fn partners_copy(batch: &NewPledges, ids: &[i64]) -> Result<Vec<u8>, StoreError> {
    let rows = &batch.partners;
    let mut out = Vec::with_capacity(rows.len() * 16);
    for row in 0..rows.len() {
        let id = match rows.cell(row, 0) {
            CellRef::Int(pledge) => usize::try_from(pledge).ok().and_then(|p| ids.get(p)),
            _ => None,
        };
        let Some(id) = id else {
            return Err(StoreError::Other(format!(
                "partner row {row} of a batch names no pledge of it"
            )));
        };
        copy_line(
            &mut out,
            *id,
            [rows.cell(row, 1), rows.cell(row, 2)].into_iter(),
            b"",
        );
    }
    Ok(out)
}

/// One line of `COPY` text: `lead`, then each cell after a tab, then `tail` (already
/// escaped). NULL is `\N`.
pub(super) fn copy_line<'a>(
    out: &mut Vec<u8>,
    lead: i64,
    cells: impl Iterator<Item = CellRef<'a>>,
    tail: &[u8],
) {
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{lead}");
    for cell in cells {
        out.push(b'\t');
        match cell {
            CellRef::Null => out.extend_from_slice(b"\\N"),
            CellRef::Int(v) => {
                let _ = write!(out, "{v}");
            }
            CellRef::Text(t) => copy_escaped(out, t),
        }
    }
    out.extend_from_slice(tail);
    out.push(b'\n');
}

/// Appends text as a `COPY` text cell: backslash, tab, line feed and carriage return escaped.
/// Byte by byte is safe: no byte of a multi-byte UTF-8 character is ASCII.
pub(super) fn copy_escaped(out: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// Rows whose first cell is an id, as `COPY` text: the id, then the other cells, then `tail`.
pub(super) fn copy_rows(rows: &Rows, tail: &[u8]) -> Vec<u8> {
    let others: Vec<usize> = (1..rows.width()).collect();
    copy_cells(rows, &others, tail)
}

/// Rows whose first cell is an id, as `COPY` text: the id, then the cells at `others` (places
/// in the row), then `tail`.
pub(super) fn copy_cells(rows: &Rows, others: &[usize], tail: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * ((others.len() + 1) * 12 + tail.len()));
    for row in 0..rows.len() {
        let id = match rows.cell(row, 0) {
            CellRef::Int(id) => id,
            _ => 0,
        };
        copy_line(
            &mut out,
            id,
            others.iter().map(|&c| rows.cell(row, c)),
            tail,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_lines_escape_what_copy_reads_specially_and_mark_nulls() {
        let mut rows = Rows::new(3, 1);
        rows.text(Some("tab\there, \\N, line\r\nbreak é"));
        rows.int(Some(-5));
        rows.text(None);
        let mut out = Vec::new();
        copy_line(
            &mut out,
            7,
            rows.column(0).chain(rows.column(1)).chain(rows.column(2)),
            b"\tend",
        );
        copy_line(&mut out, 8, std::iter::empty(), b"");
        assert_eq!(
            String::from_utf8(out).unwrap_or_default(),
            "7\ttab\\there, \\\\N, line\\r\\nbreak é\t-5\t\\N\tend\n8\n"
        );
    }
}
