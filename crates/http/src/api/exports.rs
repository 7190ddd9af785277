//! Exports: pledges as CSV in the import format, streamed page by page.

use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::pledge_csv::{COLUMNS, pledge_record};
use pledgeboard_store::StoreError;
use tokio_stream::wrappers::ReceiverStream;

use crate::api::pledges::query::PledgeListQuery;
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::{ApiError, AppState};

/// Pages buffered between the database and a slow client.
const EXPORT_BUFFER_PAGES: usize = 4;

fn csv_bytes(
    rows: impl IntoIterator<Item = [String; COLUMNS.len()]>,
    header: bool,
) -> Result<Vec<u8>, StoreError> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let error = |e: csv::Error| StoreError::Other(format!("cannot write CSV: {e}"));
    if header {
        writer.write_record(COLUMNS).map_err(error)?;
    }
    for row in rows {
        writer.write_record(row).map_err(error)?;
    }
    writer
        .into_inner()
        .map_err(|e| StoreError::Other(e.to_string()))
}

/// `GET /api/v1/exports/pledges.csv`: the pledges matching the list's filters, every page.
#[utoipa::path(get, path = "/exports/pledges.csv", tag = "imports", params(PledgeListQuery),
    responses((status = 200, description = "Pledges as CSV (the import format)", content_type = "text/csv", body = String),
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn export_pledges(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    ApiQuery(query): ApiQuery<PledgeListQuery>,
) -> Result<Response, ApiError> {
    let filter = query
        .to_filter(&state.catalog())
        .map_err(ApiError::Invalid)?;
    let (sender, receiver) =
        tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(EXPORT_BUFFER_PAGES);
    let header_row = csv_bytes([], true).map_err(ApiError::from)?;
    let mut pages = state.store.pledge_pages(&filter);
    tokio::spawn(async move {
        if sender.send(Ok(header_row)).await.is_err() {
            return;
        }
        loop {
            let chunk = match pages.next_page().await {
                Ok(Some(page)) => csv_bytes(page.iter().map(pledge_record), false),
                Ok(None) => return,
                Err(e) => Err(e),
            };
            let chunk = chunk.map_err(|e| {
                tracing::error!(error = %e, "export failed part-way");
                std::io::Error::other("the export failed part-way")
            });
            let failed = chunk.is_err();
            if sender.send(chunk).await.is_err() || failed {
                return;
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"pledges.csv\"",
            ),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response())
}
