//! Importing a file from the browser: upload → dry-run preview (rows to create, update and
//! leave, the first 50 listed; how many have estimated personnel; bad rows by line, also as a
//! CSV to send back to the delegation) → apply. `assets/import.js` keeps the chosen file
//! between the steps by sending the form in place; without it the form still works.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::import_preview::{PreviewRow, errors_csv};
use pledgeboard_domain::milestone_columns::MILESTONE_COLUMNS;
use pledgeboard_domain::{Actor, Catalog};

use crate::pages::filters;

use crate::pages::error_page::PageError;
use crate::pages::form::PageWriter;
use crate::pages::session::{Nav, PageUser, render};
use crate::services::importing::{Dataset, run_import};
use crate::services::upload::{FILE_FIELD, field_bytes, size_hint};
use crate::{ApiError, AppState};

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    nav: Nav,
    /// The file's name and what the import did or would do.
    result: Option<(String, ImportReport)>,
    /// The rows the preview lists, as the page shows them.
    preview: Vec<PreviewLine>,
    requirements: bool,
    /// The sentences about the result, in the page's language.
    said: Sentences,
}

/// What the page says of an import's result, each sentence with its figures in place.
#[derive(Default)]
struct Sentences {
    heading: String,
    estimated: String,
    more_problems: String,
    more_rows: String,
}

impl Sentences {
    fn of(name: &str, report: &ImportReport) -> Self {
        let lang = crate::i18n::current();
        let n = |v: u64| lang.number(&v.to_string());
        let heading = if report.applied {
            lang.t_with(
                "import-applied",
                &[
                    ("name", name.to_owned()),
                    ("created", n(report.created)),
                    ("updated", n(report.updated)),
                    ("unchanged", n(report.unchanged)),
                ],
            )
        } else if report.has_errors() {
            let problems = report.errors.len() as u64 + report.errors_not_listed;
            lang.t_count("import-refused", problems, &[("name", name.to_owned())])
        } else {
            lang.t_with("import-previewing", &[("name", name.to_owned())])
        };
        let estimated = match report.estimated {
            0 => String::new(),
            many => lang.t_count("import-estimated-note", many, &[]),
        };
        let more_rows = match (report.not_previewed(), report.applied) {
            (0, _) => String::new(),
            (more, true) => lang.t_count("import-more-done", more, &[]),
            (more, false) => lang.t_count("import-more-would", more, &[]),
        };
        Self {
            heading,
            estimated,
            more_problems: lang.t_count("import-more-problems", report.errors_not_listed, &[]),
            more_rows,
        }
    }
}

/// A previewed row with names beside codes.
struct PreviewLine {
    line: u64,
    action: String,
    member_state: String,
    pledge_ref: String,
    capability: String,
    quantity: u32,
    personnel: u32,
    personnel_estimated: bool,
    changes: String,
}

impl PreviewLine {
    fn of(row: &PreviewRow, catalog: &Catalog) -> Self {
        Self {
            line: row.line,
            action: match row.action.as_str() {
                "create" => crate::i18n::current().t("import-create"),
                _ => crate::i18n::current().t("import-update"),
            },
            member_state: row.member_state.clone(),
            pledge_ref: row.pledge_ref.clone(),
            capability: crate::i18n::capability_name(
                catalog,
                &row.capability,
                crate::i18n::current(),
            ),
            quantity: row.quantity,
            personnel: row.personnel,
            personnel_estimated: row.personnel_estimated,
            changes: row
                .changes
                .iter()
                .map(|c| change_label(c))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// What a previewed row changes, in the page's language: a field by its form label, a
/// milestone column by the milestone it records.
fn change_label(change: &str) -> String {
    let lang = crate::i18n::current();
    let key = match change.strip_suffix("_on") {
        Some(kind) if MILESTONE_COLUMNS.contains(&change) => format!("milestone-{kind}"),
        _ => format!("field-{change}"),
    };
    match lang.t(&key) {
        said if said == key => change.replace('_', " "),
        said => said,
    }
}

/// `GET /import`
pub async fn import_form(PageUser(actor): PageUser) -> Result<Response, PageError> {
    actor.may_record_pledges()?;
    Ok(render(&ImportPage {
        nav: Nav::of(&actor),
        result: None,
        preview: Vec::new(),
        requirements: false,
        said: Sentences::default(),
    }))
}

/// What the form asks for: its `action` button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Preview,
    Apply,
    /// The preview's errors as a CSV download.
    ErrorsCsv,
}

/// The parts of the import form.
struct Upload {
    file_name: String,
    bytes: Bytes,
    action: Action,
    dataset: Dataset,
}

async fn read_form(mut form: Multipart, capacity: usize) -> Result<Upload, ApiError> {
    let mut upload = Upload {
        file_name: String::new(),
        bytes: Bytes::new(),
        action: Action::Preview,
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
            upload.bytes = field_bytes(field, capacity)
                .await
                .map_err(|e| ApiError::PayloadTooLarge(e.body_text()))?;
            has_file = !upload.bytes.is_empty() || !upload.file_name.is_empty();
        } else {
            let value = field
                .text()
                .await
                .map_err(|e| ApiError::BadRequest(e.body_text()))?;
            match (name.as_str(), value.as_str()) {
                ("action", "apply") => upload.action = Action::Apply,
                ("action", "errors") => upload.action = Action::ErrorsCsv,
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

/// `POST /import`: previews the file (`action=preview`), applies it (`action=apply`), or
/// answers the preview's errors as CSV (`action=errors`).
pub async fn import_file(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    headers: HeaderMap,
    form: Multipart,
) -> Result<Response, PageError> {
    let capacity = size_hint(&headers, state.settings.max_import_bytes);
    let upload = read_form(form, capacity).await?;
    check_role(&actor, upload.dataset)?;
    let dry_run = upload.action != Action::Apply;
    let mut report = run_import(&state, &actor, dry_run, upload.bytes, upload.dataset).await?;
    for e in &mut report.errors {
        e.message = crate::i18n::said(&e.words);
    }
    if upload.action == Action::ErrorsCsv {
        return errors_download(&upload.file_name, &report);
    }
    let status = if report.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let catalog = state.catalog();
    let page = ImportPage {
        nav: Nav::of(&actor),
        requirements: upload.dataset == Dataset::Requirements,
        preview: report
            .preview
            .iter()
            .map(|r| PreviewLine::of(r, &catalog))
            .collect(),
        said: Sentences::of(&upload.file_name, &report),
        result: Some((upload.file_name, report)),
    };
    Ok((status, render(&page)).into_response())
}

/// The errors of a preview as `<file>-errors.csv`: line, column, value, message.
fn errors_download(file_name: &str, report: &ImportReport) -> Result<Response, PageError> {
    let csv = errors_csv(&report.errors).map_err(|e| ApiError::Internal(e.to_string()))?;
    let stem: String = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .take(60)
        .collect();
    let stem = if stem.is_empty() {
        "import".into()
    } else {
        stem
    };
    let disposition = format!("attachment; filename=\"{stem}-errors.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        csv,
    )
        .into_response())
}
