//! Withdrawing a pledge (after a confirmation step that works without JavaScript) and an
//! admin's reinstatement of a withdrawn one, from the pledge's page.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::pages::error_page::PageError;
use crate::pages::form::{FormValues, PageWriter};
use crate::pages::pledge_detail::{base_version, draft_values, refused, stored_page};
use crate::pages::session::render;
use crate::services::recording::{reinstate_pledge, withdraw_pledge};

/// `POST /pledges/{id}/withdraw`: without `confirm=yes`, the page asks first.
pub async fn withdraw_from_form(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::new(pairs);
    let based_on = base_version(&values)?;
    if values.get("confirm") != "yes" {
        let (mut page, _) = stored_page(&state, &actor, id).await?;
        page.confirm_withdraw = true;
        return Ok(render(&page));
    }
    match withdraw_pledge(&state, &actor, id, Some(based_on)).await {
        Ok(p) => Ok(Redirect::to(&format!("/pledges/{}", p.id)).into_response()),
        Err(e) => current_again(&state, &actor, id, e, based_on).await,
    }
}

/// `POST /pledges/{id}/reinstate`: an admin returns a withdrawn pledge to the status it had.
pub async fn reinstate_from_form(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::new(pairs);
    let based_on = base_version(&values)?;
    match reinstate_pledge(&state, &actor, id, Some(based_on)).await {
        Ok(p) => Ok(Redirect::to(&format!("/pledges/{}?saved", p.id)).into_response()),
        Err(e) => current_again(&state, &actor, id, e, based_on).await,
    }
}

/// The page with the stored values and why the change was refused.
async fn current_again(
    state: &AppState,
    actor: &pledgeboard_domain::Actor,
    id: i64,
    error: crate::ApiError,
    based_on: i32,
) -> Result<Response, PageError> {
    let pledge = state.store.find_pledge(id).await?;
    let current = draft_values(&pledge.to_draft());
    refused(state, actor, id, &current, error, based_on).await
}
