//! The milestones on a pledge's page: the timeline (date, the kind in words, mission, note,
//! source, who recorded it and what it raised) and the small form that records the next one,
//! through the same service as the API (`services/milestones.rs`).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pledgeboard_domain::milestone_rules::next_kind;
use pledgeboard_domain::{Actor, FieldError, Milestone, MilestoneDraft, MilestoneKind, Pledge};

use crate::pages::error_page::PageError;
use crate::pages::form::{Field, FieldErrors, FormValues, Kind, PageWriter};
use crate::pages::pledge_detail::stored_page;
use crate::pages::session::render;
use crate::services::milestones::record_milestone;
use crate::{ApiError, AppState};

/// The form's field names: the API's, prefixed, so that none repeats an edit field's id.
const PREFIX: &str = "milestone_";

/// One milestone on the timeline.
pub(crate) struct MilestoneLine {
    pub id: i64,
    pub date: String,
    pub label: String,
    pub mission: Option<String>,
    pub note: Option<String>,
    pub source_ref: Option<String>,
    pub by: String,
    /// "readiness raised from L1 to L2", when its recording raised the pledge.
    pub raised: Option<String>,
    /// Whether the page asks an admin to confirm deleting it (the step without JavaScript).
    pub confirm_delete: bool,
}

/// The form that records the next milestone.
pub(crate) struct MilestoneForm {
    pub fields: Vec<Field>,
    /// Why it was refused, when the reason concerns no field.
    pub others: Vec<String>,
}

/// The timeline's lines, in the store's order (by date, then by step).
pub(crate) fn timeline(milestones: &[Milestone]) -> Vec<MilestoneLine> {
    milestones
        .iter()
        .map(|m| MilestoneLine {
            id: m.id,
            date: m.date.to_string(),
            label: crate::i18n::current().t(&format!("milestone-{}", m.kind)),
            mission: m.mission.as_ref().map(ToString::to_string),
            note: m.note.clone(),
            source_ref: m.source_ref.clone(),
            by: m.recorded_by.clone(),
            raised: m.raised().map(str::to_owned),
            confirm_delete: false,
        })
        .collect()
}

/// The kinds not yet recorded, the one after the last recorded step first chosen.
fn kind_options(milestones: &[Milestone]) -> Vec<(String, String)> {
    MilestoneKind::ALL
        .iter()
        .filter(|k| !milestones.iter().any(|m| m.kind == **k))
        .map(|k| {
            (
                k.to_string(),
                crate::i18n::current().t(&format!("milestone-{k}")),
            )
        })
        .collect()
}

/// The form for whoever may record a milestone on this pledge, with `values` and `errors`;
/// `None` for a reader, a withdrawn pledge, or when every kind is recorded.
pub(crate) fn milestone_form(
    actor: &Actor,
    pledge: &Pledge,
    milestones: &[Milestone],
    values: &FormValues,
    errors: &FieldErrors,
) -> Option<MilestoneForm> {
    let may = actor.may_record_milestone_of(&pledge.member_state).is_ok();
    let options = kind_options(milestones);
    // A refusal is shown even if the pledge was withdrawn meanwhile (it says so).
    if !may || options.is_empty() || (!pledge.status.is_active() && errors.is_empty()) {
        return None;
    }
    let mut values = values.clone();
    if values.find("milestone_kind").is_none()
        && let Some(next) = next_kind(milestones)
    {
        values.set("milestone_kind", next.as_str());
    }
    let fields: Vec<Field> = vec![
        Field::of(Kind::Choice, "milestone_kind", "field-milestone_kind").options(options),
        Field::of(Kind::Date, "milestone_date", "field-milestone_date")
            .hint("hint-milestone_date")
            .required(),
        Field::text("milestone_mission", "field-milestone_mission")
            .typeahead("missions")
            .hint("hint-milestone_mission"),
        Field::text("milestone_source_ref", "field-milestone_source_ref")
            .hint("hint-milestone_source_ref"),
        Field::of(Kind::LongText, "milestone_note", "field-milestone_note"),
    ]
    .into_iter()
    .map(|f| f.filled(&values, errors))
    .collect();
    Some(MilestoneForm {
        others: errors.others(&fields),
        fields,
    })
}

/// The milestone the form holds, as the API would read it.
fn draft(values: &FormValues) -> MilestoneDraft {
    let optional = |name: &str| values.find(&format!("{PREFIX}{name}")).map(str::to_owned);
    MilestoneDraft {
        kind: values.get("milestone_kind").to_owned(),
        date: values.get("milestone_date").to_owned(),
        mission: optional("mission"),
        note: optional("note"),
        source_ref: optional("source_ref"),
    }
}

/// `POST /pledges/{id}/milestones`: records the milestone and shows the pledge again; a
/// refused one is shown in the form, with the planner's values kept.
pub async fn record_from_form(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::new(pairs);
    // Based on the pledge as it is now: a colleague's edit meanwhile does not make a milestone
    // wrong, and the rules are checked against the milestones stored now.
    let error = match record_milestone(&state, &actor, id, None, &draft(&values)).await {
        Ok(_) => {
            return Ok(Redirect::to(&format!("/pledges/{id}?milestone#milestones")).into_response());
        }
        Err(e) => e,
    };
    let errors: Vec<FieldError> = match error {
        ApiError::Invalid(errors) => errors
            .into_iter()
            .map(|e| FieldError::new(&format!("{PREFIX}{}", e.field), &e.value, e.words))
            .collect(),
        other => return Err(other.into()),
    };
    let (mut shown, milestones) = stored_page(&state, &actor, id).await?;
    shown.milestone_form = milestone_form(
        &actor,
        &shown.pledge,
        &milestones,
        &values,
        &FieldErrors::new(errors),
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&shown)).into_response())
}
