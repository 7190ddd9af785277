//! An admin's deletion of a milestone from the pledge's page: a confirmation first (a dialog
//! with JavaScript, `assets/pledge_form.js`; a step on the page without), then the same
//! service as `DELETE /api/v1/pledges/{id}/milestones/{milestone_id}` — audited, one more
//! data version, one event.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use pledgeboard_domain::message;

use crate::AppState;
use crate::pages::error_page::PageError;
use crate::pages::form::{FormValues, PageWriter};
use crate::pages::pledge_detail::stored_page;
use crate::pages::session::render;
use crate::services::milestones::delete_milestone;

/// `POST /pledges/{id}/milestones/{milestone_id}/delete`: without `confirm=yes`, the page asks
/// first; a role other than admin is refused (403) whatever it sends.
pub async fn delete_from_form(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Path((id, milestone_id)): Path<(i64, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    actor.may_administer().map_err(crate::ApiError::from)?;
    let values = FormValues::new(pairs);
    if values.get("confirm") != "yes" {
        let (mut page, _) = stored_page(&state, &actor, id).await?;
        let mut found = false;
        for line in page.milestones.iter_mut().filter(|l| l.id == milestone_id) {
            line.confirm_delete = true;
            found = true;
        }
        if !found {
            return Err(crate::ApiError::NotFound(message!(
                "err-milestone-not-on-timeline",
                "milestone {milestone} is not on pledge {pledge}'s timeline (deleted already?)",
                milestone = milestone_id,
                pledge = id
            ))
            .into());
        }
        return Ok(render(&page));
    }
    delete_milestone(&state, &actor, id, milestone_id).await?;
    Ok(Redirect::to(&format!("/pledges/{id}?milestone_deleted#milestones")).into_response())
}
