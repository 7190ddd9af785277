//! Recording a pledge: keyboard-first, type-ahead for every reference, personnel pre-filled
//! from the capability (`assets/pledge_form.js`), errors beside their fields, and the form
//! ready for the next pledge at once.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Utc};
use pledgeboard_domain::pledge_csv::every_error;
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::{Actor, FieldError, Pledge, message};
use serde::Deserialize;

use crate::pages::choices::{Lists, readiness_options};
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::filters::group_digits;
use crate::pages::form::{Field, FieldErrors, FormValues, Kind, PageWriter};
use crate::pages::session::{Nav, PageUser, render};
use crate::services::recording::record_pledge;
use crate::{ApiError, AppState};

/// The fields of a new pledge, in focus order.
pub fn pledge_fields(actor: &Actor) -> Vec<Field> {
    vec![
        Field::text("member_state", "field-member_state")
            .typeahead("member-states")
            .hint("hint-code-or-name")
            .required()
            .readonly(actor.member_state.is_some()),
        Field::text("capability", "field-capability")
            .typeahead("capabilities")
            .hint("hint-code-or-name")
            .required(),
        Field::of(Kind::Number, "quantity", "field-quantity").required(),
        Field::of(Kind::Number, "personnel", "field-personnel").hint("hint-personnel"),
        Field::of(Kind::Number, "female_personnel", "field-female_personnel"),
        Field::of(Kind::Choice, "readiness", "field-readiness").options(readiness_options()),
        Field::of(Kind::Date, "available_from", "field-available_from"),
        Field::of(Kind::Number, "duration_months", "field-duration_months"),
        Field::text("mission", "field-mission")
            .typeahead("missions")
            .hint("hint-mission"),
        Field::text("conference", "field-conference")
            .typeahead("conferences")
            .hint("hint-conference"),
        Field::text("monthly_cost_usd", "field-monthly_cost_usd").hint("hint-monthly_cost_usd"),
        Field::text("partners", "field-partners").hint("hint-partners"),
        Field::text("pledge_ref", "field-pledge_ref").hint("hint-pledge_ref"),
        Field::of(Kind::LongText, "caveats", "field-caveats"),
        Field::of(Kind::LongText, "notes", "field-notes"),
    ]
}

/// The pledge just saved, shown above the fresh form.
struct Saved {
    id: i64,
    label: String,
}

#[derive(Template)]
#[template(path = "pledge_new.html")]
struct NewPledgePage {
    nav: Nav,
    fields: Vec<Field>,
    others: Vec<String>,
    lists: Lists,
    saved: Option<Saved>,
}

/// `?saved=ID` after a pledge was recorded.
#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<i64>,
}

fn page(
    state: &AppState,
    actor: &Actor,
    values: &FormValues,
    errors: &FieldErrors,
) -> NewPledgePage {
    let fields: Vec<Field> = pledge_fields(actor)
        .into_iter()
        .map(|f| f.filled(values, errors))
        .collect();
    NewPledgePage {
        nav: Nav::of(actor),
        others: errors.others(&fields),
        fields,
        lists: Lists::of(&state.catalog()),
        saved: None,
    }
}

/// The values a fresh form starts with: the delegate's own state, and after a save the same
/// member state and conference (a delegation usually announces several pledges at once).
fn fresh_values(actor: &Actor, previous: Option<&Pledge>) -> FormValues {
    let mut values = FormValues::default();
    values.set("readiness", "L1");
    if let Some(p) = previous {
        values.set("member_state", p.member_state.as_str());
        values.set(
            "conference",
            p.conference
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        );
    }
    if let Some(own) = &actor.member_state {
        values.set("member_state", own.as_str());
    }
    values
}

/// `GET /pledges/new`
pub async fn new_pledge_form(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Query(query): Query<SavedQuery>,
) -> Result<Response, PageError> {
    actor.may_record_pledges()?;
    let previous = match query.saved {
        Some(id) => Some(state.store.find_pledge(id).await?),
        None => None,
    };
    let mut page = page(
        &state,
        &actor,
        &fresh_values(&actor, previous.as_ref()),
        &FieldErrors::default(),
    );
    let catalog = state.catalog();
    page.saved = previous.map(|p| Saved {
        id: p.id,
        label: format!(
            "{} {}: {} × {}",
            p.member_state,
            p.pledge_ref,
            group_digits(&p.quantity.get().to_string()),
            catalog.capability_label(p.capability.as_str())
        ),
    });
    Ok(render(&page))
}

/// Gives a pledge without a reference the next one of its state's series.
async fn with_reference(state: &AppState, values: &mut FormValues) -> Result<(), ApiError> {
    if !values.get("pledge_ref").trim().is_empty() {
        return Ok(());
    }
    if let Ok(member) = state.catalog().member_state(values.get("member_state")) {
        let code = member.code.clone();
        let next = state
            .store
            .next_pledge_ref(&code, Utc::now().year())
            .await?;
        values.set("pledge_ref", next.as_str());
    }
    Ok(())
}

/// `POST /pledges/new`: saves and shows a fresh form, or the form again with its errors.
pub async fn record_from_form(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut values = FormValues::new(pairs);
    if let Some(own) = &actor.member_state {
        values.set("member_state", own.as_str());
    }
    let generated = values.get("pledge_ref").trim().is_empty();
    // A generated reference can be taken by a colleague between reading and saving: try the
    // next one once more.
    for attempt in 0..2 {
        if generated {
            values.set("pledge_ref", "");
        }
        with_reference(&state, &mut values).await?;
        let (draft, unread) = values.read_pledge(PledgeDraft::default());
        let result = if unread.is_empty() {
            record_pledge(&state, &actor, draft).await
        } else {
            let checked = draft.validate(&state.catalog());
            Err(ApiError::Invalid(
                every_error(unread, checked).err().unwrap_or_default(),
            ))
        };
        let errors = match result {
            Ok(p) => {
                return Ok(Redirect::to(&format!("/pledges/new?saved={}", p.id)).into_response());
            }
            Err(ApiError::Conflict(_)) if generated && attempt == 0 => continue,
            // A blank reference is numbered from the state: while the state is unknown it is
            // not also "required".
            Err(ApiError::Invalid(errors)) if generated => errors
                .into_iter()
                .filter(|e| e.field != "pledge_ref")
                .collect(),
            Err(ApiError::Invalid(errors)) => errors,
            Err(ApiError::Conflict(detail)) => {
                vec![FieldError::new(
                    "pledge_ref",
                    values.get("pledge_ref"),
                    detail,
                )]
            }
            Err(ApiError::Forbidden(detail)) => vec![FieldError::new("", "", detail)],
            Err(other) => return Err(other.into()),
        };
        if generated {
            values.set("pledge_ref", "");
        }
        let page = page(&state, &actor, &values, &FieldErrors::new(errors));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response());
    }
    Err(ApiError::Conflict(message!(
        "err-conflict-next-reference",
        "two planners took the next reference at once: save again"
    ))
    .into())
}
