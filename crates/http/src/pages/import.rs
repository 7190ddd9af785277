//! Importing a file from the browser: upload → dry-run preview (rows to create, update and
//! leave; bad rows with their messages) → apply. `assets/import.js` keeps the chosen file
//! between the two steps by sending the form in place; without it the form still works.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::Actor;
use pledgeboard_domain::import::ImportReport;

use crate::pages::error_page::PageError;
use crate::pages::form::PageWriter;
use crate::pages::session::{Nav, PageUser, render};
use crate::services::importing::{Dataset, run_import};
use crate::services::upload::FILE_FIELD;
use crate::{ApiError, AppState};

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    nav: Nav,
    /// The file's name and what the import did or would do.
    result: Option<(String, ImportReport)>,
    requirements: bool,
}

/// `GET /import`
pub async fn import_form(PageUser(actor): PageUser) -> Result<Response, PageError> {
    actor.may_record_pledges()?;
    Ok(render(&ImportPage {
        nav: Nav::of(&actor),
        result: None,
        requirements: false,
    }))
}

/// The parts of the import form.
struct Upload {
    file_name: String,
    bytes: Bytes,
    apply: bool,
    dataset: Dataset,
}

async fn read_form(mut form: Multipart) -> Result<Upload, ApiError> {
    let mut upload = Upload {
        file_name: String::new(),
        bytes: Bytes::new(),
        apply: false,
        dataset: Dataset::Pledges,
    };
    let mut has_file = false;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::BadRequest(e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == FILE_FIELD {
            upload.file_name = field.file_name().unwrap_or("the file").to_owned();
            upload.bytes = field
                .bytes()
                .await
                .map_err(|e| ApiError::PayloadTooLarge(e.body_text()))?;
            has_file = !upload.bytes.is_empty() || !upload.file_name.is_empty();
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| ApiError::BadRequest(e.body_text()))?;
            match (name.as_str(), value.as_str()) {
                ("action", "apply") => upload.apply = true,
                ("dataset", "requirements") => upload.dataset = Dataset::Requirements,
                _ => {}
            }
        }
    }
    if !has_file {
        return Err(ApiError::BadRequest("choose a file to import first".into()));
    }
    Ok(upload)
}

fn check_role(actor: &Actor, dataset: Dataset) -> Result<(), ApiError> {
    match dataset {
        Dataset::Pledges => actor.may_record_pledges()?,
        Dataset::Requirements => actor.may_administer()?,
    }
    Ok(())
}

/// `POST /import`: previews the file (`action=preview`) or applies it (`action=apply`).
pub async fn import_file(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    form: Multipart,
) -> Result<Response, PageError> {
    let upload = read_form(form).await?;
    check_role(&actor, upload.dataset)?;
    let report = run_import(&state, &actor, !upload.apply, upload.bytes, upload.dataset).await?;
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ImportPage {
        nav: Nav::of(&actor),
        requirements: upload.dataset == Dataset::Requirements,
        result: Some((upload.file_name, report)),
    };
    Ok((status, render(&page)).into_response())
}
