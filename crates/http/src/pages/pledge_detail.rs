//! One pledge: its figures, its history, an edit form that never overwrites a colleague's
//! change unseen (a stale edit shows what they changed instead), and withdrawal.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::{Actor, FieldError, Pledge, PledgeStatus};
use pledgeboard_store::PledgeVersion;
use serde::Deserialize;

use crate::pages::choices::{Lists, readiness_options, status_options};
use crate::pages::error_page::PageError;
use crate::pages::form::{Field, FieldErrors, FormValues, Kind, PageWriter};
use crate::pages::session::{Nav, PageUser, render};
use crate::pages::version_diff::{FieldChange, changes};
use crate::services::recording::{change_pledge, withdraw_pledge};
use crate::{ApiError, AppState};

/// The editable fields of a pledge, in focus order (its state and reference identify it).
fn edit_fields(current: PledgeStatus) -> Vec<Field> {
    vec![
        Field::text("capability", "Capability")
            .typeahead("capabilities")
            .required(),
        Field::of(Kind::Number, "quantity", "Quantity").required(),
        Field::of(Kind::Number, "personnel", "Personnel"),
        Field::of(Kind::Number, "female_personnel", "Of whom women"),
        Field::of(Kind::Choice, "readiness", "Readiness").options(readiness_options()),
        Field::of(Kind::Choice, "status", "Status").options(status_options(current)),
        Field::of(Kind::Date, "available_from", "Available from"),
        Field::of(Kind::Number, "duration_months", "Months"),
        Field::text("mission", "Earmarked for mission").typeahead("missions"),
        Field::text("conference", "Announced at").typeahead("conferences"),
        Field::text("monthly_cost_usd", "Monthly cost (USD)"),
        Field::text("partners", "Partners").hint("ISO3:role, separated by ';'"),
        Field::of(Kind::Date, "registered_on", "Registered in PCRS"),
        Field::of(Kind::Date, "renewed_on", "Last renewed"),
        Field::of(Kind::LongText, "caveats", "Caveats"),
        Field::of(Kind::LongText, "notes", "Notes"),
    ]
}

/// A pledge's values as its edit form shows them.
fn draft_values(d: &PledgeDraft) -> FormValues {
    let mut v = FormValues::default();
    let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    v.set("capability", d.capability.clone());
    v.set("quantity", num(d.quantity));
    v.set("personnel", num(d.personnel));
    v.set("female_personnel", num(d.female_personnel));
    v.set("readiness", text(&d.readiness));
    v.set("status", text(&d.status));
    v.set("available_from", text(&d.available_from));
    v.set("duration_months", num(d.duration_months));
    v.set("mission", text(&d.mission));
    v.set("conference", text(&d.conference));
    v.set("monthly_cost_usd", text(&d.monthly_cost_usd));
    v.set("partners", d.partners.join(";"));
    v.set("registered_on", text(&d.registered_on));
    v.set("renewed_on", text(&d.renewed_on));
    v.set("caveats", text(&d.caveats));
    v.set("notes", text(&d.notes));
    v
}

/// One version in the history, with what it changed.
struct HistoryLine {
    version: i32,
    at: String,
    by: String,
    changes: Vec<FieldChange>,
}

/// A colleague's change that an edit would have overwritten.
struct Conflict {
    by: String,
    at: String,
    changes: Vec<FieldChange>,
}

#[derive(Template)]
#[template(path = "pledge_detail.html")]
struct PledgePage {
    nav: Nav,
    pledge: Pledge,
    renewal_due: String,
    may_edit: bool,
    may_withdraw: bool,
    fields: Vec<Field>,
    others: Vec<String>,
    /// The version the form's change is based on.
    base_version: i32,
    conflict: Option<Conflict>,
    saved: bool,
    history: Vec<HistoryLine>,
    lists: Lists,
}

fn history_lines(versions: &[PledgeVersion]) -> Vec<HistoryLine> {
    let mut lines: Vec<HistoryLine> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| HistoryLine {
            version: v.version,
            at: v.valid_from.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            by: v.changed_by.clone(),
            changes: match i.checked_sub(1).and_then(|p| versions.get(p)) {
                Some(previous) => changes(&previous.values, &v.values),
                None => Vec::new(),
            },
        })
        .collect();
    lines.reverse();
    lines
}

/// Everything the page shows, with the form filled from `values`.
fn page(
    state: &AppState,
    actor: &Actor,
    pledge: Pledge,
    versions: &[PledgeVersion],
    values: &FormValues,
    errors: &FieldErrors,
) -> PledgePage {
    let may_edit = actor.may_record_pledges().is_ok()
        && actor.may_write_pledge_of(&pledge.member_state).is_ok();
    let fields: Vec<Field> = edit_fields(pledge.status)
        .into_iter()
        .map(|f| f.filled(values, errors))
        .collect();
    PledgePage {
        nav: Nav::of(actor),
        renewal_due: pledge.renewal_due().to_string(),
        may_edit,
        may_withdraw: may_edit && pledge.status != PledgeStatus::Withdrawn,
        others: errors.others(&fields),
        fields,
        base_version: pledge.version,
        conflict: None,
        saved: false,
        history: history_lines(versions),
        lists: Lists::of(&state.catalog()),
        pledge,
    }
}

/// `?saved` after an edit was saved.
#[derive(Deserialize)]
pub struct SavedFlag {
    saved: Option<String>,
}

/// `GET /pledges/{id}`
pub async fn show_pledge(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(id): Path<i64>,
    Query(flag): Query<SavedFlag>,
) -> Result<Response, PageError> {
    let pledge = state.store.find_pledge(id).await?;
    let values = draft_values(&pledge.to_draft());
    let versions = state.store.pledge_history(id).await?;
    let mut page = page(
        &state,
        &actor,
        pledge,
        &versions,
        &values,
        &FieldErrors::default(),
    );
    page.saved = flag.saved.is_some();
    Ok(render(&page))
}

/// The version a form was based on: its hidden `version` field.
fn base_version(values: &FormValues) -> Result<i32, ApiError> {
    values
        .get("version")
        .parse()
        .map_err(|_| ApiError::BadRequest("the form lost its version: reload the page".into()))
}

/// The page again after a change that was not saved, with the planner's values kept.
async fn refused(
    state: &AppState,
    actor: &Actor,
    id: i64,
    values: &FormValues,
    error: ApiError,
    based_on: i32,
) -> Result<Response, PageError> {
    let (status, errors) = match error {
        ApiError::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        ApiError::Forbidden(detail) => {
            (StatusCode::FORBIDDEN, vec![FieldError::new("", "", detail)])
        }
        ApiError::PreconditionFailed { .. } => (StatusCode::CONFLICT, Vec::new()),
        other => return Err(other.into()),
    };
    let pledge = state.store.find_pledge(id).await?;
    let stale = pledge.version != based_on;
    let versions = state.store.pledge_history(id).await?;
    let mut page = page(
        state,
        actor,
        pledge,
        &versions,
        values,
        &FieldErrors::new(errors),
    );
    if stale {
        let base = versions.iter().find(|v| v.version == based_on);
        if let (Some(base), Some(now)) = (base, versions.last()) {
            page.conflict = Some(Conflict {
                by: now.changed_by.clone(),
                at: now.valid_from.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                changes: changes(&base.values, &now.values),
            });
        }
    }
    Ok((status, render(&page)).into_response())
}

/// `POST /pledges/{id}`: saves an edit made on version `version` of the pledge.
pub async fn edit_pledge(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::new(pairs);
    let based_on = base_version(&values)?;
    // Fields that cannot even be read (a quantity of "ten") are reported before anything else.
    let result = match values.pledge_draft(PledgeDraft::default()) {
        Err(errors) => Err(ApiError::Invalid(errors)),
        Ok(_) => {
            change_pledge(&state, &actor, id, Some(based_on), "update", |draft| {
                values.pledge_draft(draft.clone()).unwrap_or(draft)
            })
            .await
        }
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/pledges/{}?saved", p.id)).into_response()),
        Err(e) => refused(&state, &actor, id, &values, e, based_on).await,
    }
}

/// `POST /pledges/{id}/withdraw`
pub async fn withdraw_from_form(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::new(pairs);
    let based_on = base_version(&values)?;
    match withdraw_pledge(&state, &actor, id, Some(based_on)).await {
        Ok(p) => Ok(Redirect::to(&format!("/pledges/{}", p.id)).into_response()),
        Err(e) => {
            let pledge = state.store.find_pledge(id).await?;
            let current = draft_values(&pledge.to_draft());
            refused(&state, &actor, id, &current, e, based_on).await
        }
    }
}
