//! Exports: pledges in the import format, as CSV or as an Excel workbook, streamed page by
//! page.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::pledge_csv::{COLUMNS, pledge_record};
use pledgeboard_store::StoreError;
use tokio_stream::wrappers::ReceiverStream;

use crate::api::pledges::query::PledgeListQuery;
use crate::api::reports::workbook::{About, XLSX_CONTENT_TYPE};
use crate::auth::Authenticated;
use crate::error::Problem;
use crate::extract::ApiQuery;
use crate::pledge_workbook::{
    MAX_SHEET_PLEDGES, PLEDGE_WORKBOOK_TITLE, too_many_for_a_sheet, write_pledge_workbook,
};
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
            let chunk = match pages.next_page_with_milestones().await {
                Ok(Some(page)) => csv_bytes(page.iter().map(|(p, m)| pledge_record(p, m)), false),
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

/// Bytes of a workbook gathered before they are sent on.
const WORKBOOK_CHUNK_BYTES: usize = 64 * 1024;

/// `GET /api/v1/exports/pledges.xlsx`: the same pledges as `pledges.csv`, as a workbook that
/// imports back unchanged.
#[utoipa::path(get, path = "/exports/pledges.xlsx", tag = "imports", params(PledgeListQuery),
    responses((status = 200, description = "Pledges as an Excel workbook (the import format's columns, typed, and an About sheet)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn export_pledges_xlsx(
    State(state): State<AppState>,
    Authenticated(_reader): Authenticated,
    RawQuery(raw): RawQuery,
    ApiQuery(query): ApiQuery<PledgeListQuery>,
) -> Result<Response, ApiError> {
    let filter = query
        .to_filter(&state.catalog())
        .map_err(ApiError::Invalid)?;
    let matching = state.store.pledge_totals(&filter).await?.pledges;
    if matching > MAX_SHEET_PLEDGES {
        return Err(ApiError::invalid_field(
            "format",
            "xlsx",
            too_many_for_a_sheet(matching),
        ));
    }
    let about = About {
        title: crate::i18n::current().t(PLEDGE_WORKBOOK_TITLE),
        query: raw,
        rules: Vec::new(),
    };
    let (sender, receiver) =
        tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(EXPORT_BUFFER_PAGES);
    let mut pages = state.store.pledge_pages(&filter);
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let mut out = ChunkSender::new(sender.clone());
        let written = write_pledge_workbook(&mut out, &about, || {
            runtime.block_on(pages.next_page_with_milestones())
        })
        .map_err(|e| e.to_string())
        .and_then(|_| out.finish().map_err(|e| e.to_string()));
        if let Err(e) = written {
            tracing::error!(error = %e, "workbook export failed part-way");
            let _ = sender.blocking_send(Err(std::io::Error::other("the export failed part-way")));
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, XLSX_CONTENT_TYPE),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"pledges.xlsx\"",
            ),
        ],
        Body::from_stream(ReceiverStream::new(receiver)),
    )
        .into_response())
}

/// A writer that sends what it is given to the answer's body in chunks; a client that has
/// gone away makes the next write fail, which ends the export.
struct ChunkSender {
    sender: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    chunk: Vec<u8>,
}

impl ChunkSender {
    fn new(sender: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>) -> Self {
        Self {
            sender,
            chunk: Vec::with_capacity(WORKBOOK_CHUNK_BYTES),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(WORKBOOK_CHUNK_BYTES));
        self.sender.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }

    /// Sends what is left.
    fn finish(mut self) -> std::io::Result<()> {
        self.send()
    }
}

impl std::io::Write for ChunkSender {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.chunk.extend_from_slice(bytes);
        if self.chunk.len() >= WORKBOOK_CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
