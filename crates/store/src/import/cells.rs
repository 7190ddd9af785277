//! A batch of rows as cells in one text buffer: what an import hands the database, built
//! without an allocation per cell.

/// One stored cell: NULL, an integer, or a range of the batch's text buffer.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Null,
    Int(i64),
    Text { start: usize, end: usize },
}

/// A batch of rows of fixed width, built row by row, cell by cell.
#[derive(Debug)]
pub(crate) struct Rows {
    width: usize,
    cells: Vec<Cell>,
    text: String,
}

impl Rows {
    /// An empty batch of rows of `width` cells, with room for `rows` rows.
    pub(crate) fn new(width: usize, rows: usize) -> Self {
        Self {
            width: width.max(1),
            cells: Vec::with_capacity(width * rows),
            text: String::with_capacity(rows * width * 8),
        }
    }

    /// Cells per row.
    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// Rows added so far.
    pub(crate) fn len(&self) -> usize {
        self.cells.len() / self.width
    }

    /// Appends a text cell; `None` is NULL.
    pub(crate) fn text(&mut self, value: Option<&str>) {
        match value {
            None => self.cells.push(Cell::Null),
            Some(v) => {
                let start = self.offset();
                self.text.push_str(v);
                self.push_text_from(start);
            }
        }
    }

    /// Appends a text cell in the value's `Display` form (a date, say), written in place.
    pub(crate) fn display(&mut self, value: Option<impl std::fmt::Display>) {
        match value {
            None => self.cells.push(Cell::Null),
            Some(v) => {
                use std::fmt::Write as _;
                let start = self.offset();
                // Writing to a String cannot fail.
                let _ = write!(self.text, "{v}");
                self.push_text_from(start);
            }
        }
    }

    /// Appends an integer cell; `None` is NULL.
    pub(crate) fn int(&mut self, value: Option<i64>) {
        self.cells.push(value.map_or(Cell::Null, Cell::Int));
    }

    fn offset(&self) -> usize {
        self.text.len()
    }

    fn push_text_from(&mut self, start: usize) {
        let end = self.offset();
        self.cells.push(Cell::Text { start, end });
    }

    /// Row `row`'s cell in `column`; NULL outside the batch.
    pub(crate) fn cell(&self, row: usize, column: usize) -> CellRef<'_> {
        if column >= self.width {
            return CellRef::Null;
        }
        match self.cells.get(row * self.width + column) {
            None | Some(Cell::Null) => CellRef::Null,
            Some(Cell::Int(v)) => CellRef::Int(*v),
            Some(Cell::Text { start, end }) => {
                CellRef::Text(self.text.get(*start..*end).unwrap_or_default())
            }
        }
    }

    /// The cells of one column, row by row.
    pub(crate) fn column(&self, column: usize) -> impl Iterator<Item = CellRef<'_>> {
        (0..self.len()).map(move |row| self.cell(row, column))
    }
}

/// A cell as read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellRef<'a> {
    Null,
    Int(i64),
    Text(&'a str),
}

#[cfg(test)]
mod tests {
    use super::{CellRef, Rows};

    #[test]
    fn cells_read_back_as_written_row_by_row() {
        let mut rows = Rows::new(3, 2);
        rows.text(Some("PAK"));
        rows.int(Some(-7));
        rows.display(Some(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
        ));
        rows.text(None);
        rows.text(Some("é \"x\""));
        rows.int(None);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows.cell(0, 0), CellRef::Text("PAK"));
        assert_eq!(rows.cell(0, 1), CellRef::Int(-7));
        assert_eq!(rows.cell(0, 2), CellRef::Text("2026-03-01"));
        let second: Vec<_> = (0..3).map(|c| rows.cell(1, c)).collect();
        assert_eq!(
            second,
            [CellRef::Null, CellRef::Text("é \"x\""), CellRef::Null]
        );
        assert_eq!(rows.cell(2, 0), CellRef::Null, "past the last row");
        assert_eq!(rows.cell(0, 3), CellRef::Null, "past the width");
        assert_eq!(
            rows.column(1).collect::<Vec<_>>(),
            [CellRef::Int(-7), CellRef::Text("é \"x\"")]
        );
    }
}
