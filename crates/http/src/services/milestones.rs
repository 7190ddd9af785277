//! Recording a milestone on a pledge and an admin's deletion of one, for the API and the
//! pledge page alike: the rules are the domain's (`milestone_rules`), the write the store's;
//! like every pledge write it runs to completion on a task of its own and tells live boards.

use chrono::Utc;
use pledgeboard_domain::milestone_rules::{check_milestone, latest_today};
use pledgeboard_domain::{Actor, Milestone, MilestoneDraft, Pledge};
use pledgeboard_store::StoreError;

use crate::events::ChangeEvent;
use crate::services::recording::{
    UNCONDITIONAL_RETRIES, pledge_to_change, publish_pledge, to_completion,
};
use crate::{ApiError, AppState};

/// Records a milestone on pledge `id`, at `expected` version when given (else a lost race is
/// retried on the new version); returns the pledge as the recording left it (raised where the
/// milestone implies it) and the milestone.
pub async fn record_milestone(
    state: &AppState,
    actor: &Actor,
    id: i64,
    expected: Option<i32>,
    draft: &MilestoneDraft,
) -> Result<(Pledge, Milestone), ApiError> {
    // A viewer is refused here, as for any pledge change; `pledge_to_change` refuses a
    // delegate another state's pledge (`Actor::may_record_milestone_of` says the same).
    actor.may_record_pledges()?;
    let catalog = state.catalog();
    let mut attempt = 0;
    loop {
        let current = pledge_to_change(state, actor, id, expected).await?;
        let recorded = state.store.pledge_milestones(id).await?;
        let today = latest_today(Utc::now());
        let (new, plan) = check_milestone(&current, &recorded, draft, &catalog, today)
            .map_err(ApiError::Invalid)?;
        let written = {
            let (state, catalog, actor) = (state.clone(), catalog.clone(), actor.clone());
            to_completion(async move {
                let committed = state
                    .store
                    .record_milestone(&catalog, &current, &new, &plan, &actor)
                    .await;
                if let Ok(committed) = &committed {
                    publish_pledge(&state, committed, "milestone");
                }
                committed
            })
            .await?
        };
        match written {
            Err(StoreError::Stale { .. })
                if expected.is_none() && attempt < UNCONDITIONAL_RETRIES =>
            {
                attempt += 1
            }
            result => {
                let committed = result?;
                let milestone = committed.milestone.ok_or_else(|| {
                    ApiError::Internal("a milestone's write returned no milestone".into())
                })?;
                return Ok((committed.pledge, milestone));
            }
        }
    }
}

/// Deletes milestone `id` of pledge `pledge_id` (admins only): audited, the pledge as it is.
pub async fn delete_milestone(
    state: &AppState,
    actor: &Actor,
    pledge_id: i64,
    id: i64,
) -> Result<Milestone, ApiError> {
    actor.may_administer()?;
    let (state, actor) = (state.clone(), actor.clone());
    to_completion(async move {
        let deleted = state.store.delete_milestone(pledge_id, id, &actor).await?;
        state.publish(ChangeEvent {
            entity: "milestone",
            id,
            version: deleted.milestone.pledge_version,
            action: "delete",
            data_version: deleted.data_version,
        });
        Ok(deleted.milestone)
    })
    .await?
}
