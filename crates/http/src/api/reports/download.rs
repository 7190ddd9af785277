//! A report table as a download: CSV or its `.xlsx` twin, from the same columns and rows.

use axum::response::Response;

use super::csv::csv_response;
use super::workbook::{About, xlsx_response};
use crate::ApiError;

/// The file format a report table is downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    Csv,
    Xlsx,
}

impl Download {
    /// The file's extension, also the route's suffix.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    /// The format a path segment ending in `.csv` or `.xlsx` asks for, and the segment
    /// without it.
    pub fn of_segment(segment: &str) -> Option<(&str, Self)> {
        [Self::Csv, Self::Xlsx].into_iter().find_map(|format| {
            segment
                .strip_suffix(format.extension())
                .and_then(|s| s.strip_suffix('.'))
                .map(|stem| (stem, format))
        })
    }

    /// The table as a download named `stem` + the extension.
    pub fn respond<const N: usize>(
        self,
        stem: &str,
        about: &About,
        columns: [&str; N],
        rows: impl IntoIterator<Item = [String; N]>,
    ) -> Result<Response, ApiError> {
        let filename = format!("{stem}.{}", self.extension());
        match self {
            Self::Csv => csv_response(&filename, columns, rows),
            Self::Xlsx => xlsx_response(&filename, about, columns, rows),
        }
    }
}
