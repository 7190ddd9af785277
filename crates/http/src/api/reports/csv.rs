//! A report as a CSV download.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::ApiError;

/// Renders rows as a CSV download.
pub fn csv_response<const N: usize>(
    filename: &str,
    columns: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> Result<Response, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::Internal(format!("cannot write CSV: {e}"));
    writer.write_record(columns).map_err(fail)?;
    for row in rows {
        writer.write_record(row).map_err(fail)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let disposition = format!("attachment; filename=\"{filename}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
