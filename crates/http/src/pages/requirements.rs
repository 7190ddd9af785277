//! Mission requirements: the list everyone reads; admins add and edit them in place.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use pledgeboard_domain::coverage_report::RequirementCoverage;
use pledgeboard_domain::requirement::RequirementDraft;
use pledgeboard_domain::{Actor, FieldError, Priority, Requirement};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::i18n::{self, Lang};

use crate::pages::choices::Lists;
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::form::{Field, FieldErrors, FormValues, Kind, PageWriter};
use crate::pages::session::{Nav, PageUser, render};
use crate::services::recording::save_requirement;
use crate::{ApiError, AppState};

/// The message `key` in `lang`, kept for the life of the process: form labels are
/// `&'static str`, and there are a handful of them per language.
fn label(lang: Lang, key: &'static str) -> &'static str {
    static LABELS: OnceLock<Mutex<HashMap<(Lang, &'static str), &'static str>>> = OnceLock::new();
    let labels = LABELS.get_or_init(Mutex::default);
    let mut labels = labels.lock().unwrap_or_else(PoisonError::into_inner);
    labels
        .entry((lang, key))
        .or_insert_with(|| Box::leak(lang.t(key).into_boxed_str()))
}

fn requirement_fields() -> Vec<Field> {
    let lang = i18n::current();
    vec![
        Field::text("mission", label(lang, "req-field-mission"))
            .typeahead("missions")
            .required(),
        Field::text("capability", label(lang, "req-field-capability"))
            .typeahead("capabilities")
            .required(),
        Field::of(Kind::Number, "quantity", label(lang, "req-field-quantity")).required(),
        Field::of(
            Kind::Number,
            "personnel",
            label(lang, "req-field-personnel"),
        ),
        Field::of(Kind::Date, "needed_by", label(lang, "req-field-needed-by")).required(),
        Field::of(Kind::Choice, "priority", label(lang, "req-field-priority")).options(
            Priority::ALL
                .iter()
                .map(|p| (p.to_string(), lang.t(&format!("priority-{p}"))))
                .collect(),
        ),
    ]
}

fn requirement_values(r: &Requirement) -> FormValues {
    let mut v = FormValues::default();
    v.set("id", r.id.to_string());
    v.set("version", r.version.to_string());
    v.set("mission", r.mission.to_string());
    v.set("capability", r.capability.to_string());
    v.set("quantity", r.quantity.get().to_string());
    v.set("personnel", r.personnel.to_string());
    v.set("needed_by", r.needed_by.to_string());
    v.set("priority", r.priority.to_string());
    v
}

/// A requirement as the list shows it, with what is pledged toward it.
struct RequirementRow {
    requirement: Requirement,
    /// "Utility helicopters (HEL-UTIL)".
    capability: String,
    /// The priority in the page's language.
    priority: String,
    pledged: u64,
    gap: u64,
    /// The needed-by date is before today and the requirement is still open.
    past: bool,
}

/// Every requirement beside its coverage now.
async fn requirement_rows(state: &AppState) -> Result<Vec<RequirementRow>, PageError> {
    let catalog = state.catalog();
    let lang = i18n::current();
    let today = Utc::now().date_naive();
    let report = state.store.coverage_report(None, None).await?;
    let coverage: HashMap<i64, &RequirementCoverage> = report
        .missions
        .iter()
        .flat_map(|m| &m.requirements)
        .map(|r| (r.requirement_id, r))
        .collect();
    Ok(state
        .store
        .list_requirements(None)
        .await?
        .into_iter()
        .map(|requirement| {
            let c = coverage.get(&requirement.id);
            let pledged = c.map_or(0, |c| c.figures.pledged);
            let gap = c.map_or(u64::from(requirement.quantity.get()), |c| c.figures.gap);
            RequirementRow {
                capability: i18n::capability_name(&catalog, requirement.capability.as_str(), lang),
                priority: lang.t(&format!("priority-{}", requirement.priority)),
                past: c.is_some_and(|c| c.is_overdue(today)),
                pledged,
                gap,
                requirement,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "requirements.html")]
struct RequirementsPage {
    nav: Nav,
    items: Vec<RequirementRow>,
    /// The form: adding (no id) or editing one requirement.
    editing: Option<i64>,
    version: String,
    fields: Vec<Field>,
    others: Vec<String>,
    saved: bool,
    lists: Lists,
}

async fn page(
    state: &AppState,
    actor: &Actor,
    values: &FormValues,
    errors: &FieldErrors,
) -> Result<RequirementsPage, PageError> {
    let fields: Vec<Field> = requirement_fields()
        .into_iter()
        .map(|f| f.filled(values, errors))
        .collect();
    Ok(RequirementsPage {
        nav: Nav::of(actor),
        items: requirement_rows(state).await?,
        editing: values.get("id").parse().ok(),
        version: values.get("version").to_owned(),
        others: errors.others(&fields),
        fields,
        saved: false,
        lists: Lists::of(&state.catalog()),
    })
}

/// `?edit=ID` opens one requirement in the form; `?saved` follows a save.
#[derive(Deserialize)]
pub struct RequirementsQuery {
    edit: Option<i64>,
    saved: Option<String>,
}

/// `GET /requirements`
pub async fn list_requirements(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Query(query): Query<RequirementsQuery>,
) -> Result<Response, PageError> {
    let mut values = FormValues::default();
    values.set("priority", Priority::Normal.to_string());
    if let Some(id) = query.edit {
        values = requirement_values(&state.store.find_requirement(id).await?);
    }
    let mut page = page(&state, &actor, &values, &FieldErrors::default()).await?;
    page.saved = query.saved.is_some();
    Ok(render(&page))
}

/// A whole number typed into `field`, or an error beside it.
fn number(values: &FormValues, field: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let text = values.get(field).trim();
    if text.is_empty() {
        return None;
    }
    text.parse()
        .map_err(|_| {
            errors.push(FieldError::new(
                field,
                text,
                i18n::current().t_with("req-not-a-number", &[("count", text.to_owned())]),
            ))
        })
        .ok()
}

/// `POST /requirements` (admins): adds a requirement, or saves the one named by `id`.
pub async fn save_from_form(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    actor.may_administer()?;
    let values = FormValues::new(pairs);
    let mut errors = Vec::new();
    let draft = RequirementDraft {
        mission: values.get("mission").to_owned(),
        capability: values.get("capability").to_owned(),
        quantity: number(&values, "quantity", &mut errors),
        personnel: number(&values, "personnel", &mut errors),
        needed_by: values.get("needed_by").to_owned(),
        priority: values.get("priority").to_owned(),
    };
    let id = values.get("id").parse().ok();
    let expected = values.get("version").parse().ok();
    let result = if errors.is_empty() {
        save_requirement(&state, &actor, id, expected, draft).await
    } else {
        // Report the other fields' errors too, not only the figures that could not be read.
        if let Err(more) = draft.validate(&state.catalog()) {
            let others: Vec<FieldError> = more
                .into_iter()
                .filter(|m| !errors.iter().any(|e| e.field == m.field))
                .collect();
            errors.extend(others);
        }
        Err(ApiError::Invalid(errors))
    };
    let errors = match result {
        Ok(_) => return Ok(Redirect::to("/requirements?saved").into_response()),
        Err(ApiError::Invalid(errors)) => errors,
        Err(ApiError::Conflict(detail)) => vec![FieldError::new("capability", "", detail)],
        Err(ApiError::PreconditionFailed { .. }) => vec![FieldError::new(
            "",
            "",
            i18n::current().t("req-changed-meanwhile"),
        )],
        Err(other) => return Err(other.into()),
    };
    let page = page(&state, &actor, &values, &FieldErrors::new(errors)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}
