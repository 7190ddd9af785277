//! Recording and changing pledges (and requirements), for the API and the pages alike: the rules are the
//! domain's and the writes the store's; this coordinates them and tells live boards.
//!
//! A pledge write and the event telling boards of it run on a task of their own
//! ([`to_completion`]): on SQLite the write waits in the writer's queue (`store/write_queue/`),
//! and a client that hangs up meanwhile must not leave a committed change untold. Each event
//! carries the data version its change committed as.

use std::future::Future;

use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::requirement::RequirementDraft;
use pledgeboard_domain::status::status_before_withdrawal;
use pledgeboard_domain::{Actor, FieldError, NewPledge, Pledge, PledgeStatus, Requirement};
use pledgeboard_store::{CommittedPledge, PledgeChange, StoreError};

use crate::events::ChangeEvent;
use crate::{ApiError, AppState};

/// Retries of a change without an expected version that lost a race to another writer.
pub(crate) const UNCONDITIONAL_RETRIES: usize = 3;

/// Records a new pledge.
pub async fn record_pledge(
    state: &AppState,
    actor: &Actor,
    draft: PledgeDraft,
) -> Result<Pledge, ApiError> {
    actor.may_record_pledges()?;
    let catalog = state.catalog();
    let new = draft.validate(&catalog).map_err(ApiError::Invalid)?;
    actor.may_write_pledge_of(&new.member_state)?;
    check_lineage(state, &new, None).await?;
    let (state, actor) = (state.clone(), actor.clone());
    to_completion(async move {
        let committed = state.store.create_pledge(&catalog, &new, &actor).await?;
        publish_pledge(&state, &committed, "create");
        Ok(committed.pledge)
    })
    .await?
}

/// Checks the pledge `new` names as superseded against its state's lineage (see
/// `domain::lineage::StateLineage::check`); `current` is the pledge it changes, if any.
async fn check_lineage(
    state: &AppState,
    new: &NewPledge,
    current: Option<&Pledge>,
) -> Result<(), ApiError> {
    let Some(target) = &new.supersedes else {
        return Ok(());
    };
    let mut lineage = state.store.state_lineage(&new.member_state).await?;
    if let Some(current) = current {
        lineage.set(current.pledge_ref.clone(), None);
    }
    lineage.check(&new.pledge_ref, target).map_err(|e| {
        ApiError::Invalid(vec![FieldError::new(
            "supersedes",
            &format!("{}:{target}", new.member_state),
            e,
        )])
    })
}

/// Tells every live board about a committed pledge change, with the data version it
/// committed as.
pub(crate) fn publish_pledge(state: &AppState, committed: &CommittedPledge, action: &'static str) {
    state.publish(ChangeEvent {
        entity: "pledge",
        id: committed.pledge.id,
        version: committed.pledge.version,
        action,
        data_version: committed.data_version,
    });
}

/// Runs a write, and the telling of boards after it, to completion on a task of its own, even
/// if the request that asked for it is dropped meanwhile.
pub(crate) async fn to_completion<T: Send + 'static>(
    write: impl Future<Output = T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::spawn(write)
        .await
        .map_err(|e| ApiError::Internal(format!("a write's task failed: {e}")))
}

/// Withdraws a pledge (it is kept, never deleted).
pub async fn withdraw_pledge(
    state: &AppState,
    actor: &Actor,
    id: i64,
    expected: Option<i32>,
) -> Result<Pledge, ApiError> {
    change_pledge(state, actor, id, expected, "withdraw", |mut draft| {
        draft.status = Some(PledgeStatus::Withdrawn.to_string());
        draft
    })
    .await
}

/// Reinstates a withdrawn pledge to the status it had before withdrawal (admins only): a
/// change like any other, versioned and audited as "reinstate".
pub async fn reinstate_pledge(
    state: &AppState,
    actor: &Actor,
    id: i64,
    expected: Option<i32>,
) -> Result<Pledge, ApiError> {
    actor.may_administer()?;
    let history = state.store.pledge_history(id).await?;
    let to = status_before_withdrawal(history.iter().map(|v| v.status))
        .map_err(|e| ApiError::Invalid(vec![FieldError::new("status", "", e)]))?;
    let edit = |mut draft: PledgeDraft| {
        draft.status = Some(to.to_string());
        draft
    };
    let check = |current: &Pledge, next: &NewPledge| current.check_reinstatement(next);
    apply_change(state, actor, id, expected, "reinstate", edit, check).await
}

/// Applies `edit` to the current pledge under the access and workflow rules. With an expected
/// version the change applies only to that version (else `PreconditionFailed`); without, a
/// lost race is retried on the new version.
pub async fn change_pledge(
    state: &AppState,
    actor: &Actor,
    id: i64,
    expected: Option<i32>,
    action: &'static str,
    edit: impl Fn(PledgeDraft) -> PledgeDraft,
) -> Result<Pledge, ApiError> {
    apply_change(
        state,
        actor,
        id,
        expected,
        action,
        edit,
        Pledge::check_change,
    )
    .await
}

/// The stored pledge `id`, when `actor` may change it and it is at the `expected` version
/// (when one is given; else `PreconditionFailed`).
pub(crate) async fn pledge_to_change(
    state: &AppState,
    actor: &Actor,
    id: i64,
    expected: Option<i32>,
) -> Result<Pledge, ApiError> {
    let current = state.store.find_pledge(id).await?;
    actor.may_write_pledge_of(&current.member_state)?;
    match expected {
        Some(version) if version != current.version => Err(ApiError::PreconditionFailed {
            current: current.version,
        }),
        _ => Ok(current),
    }
}

/// [`change_pledge`] with the rule `check` that the change must pass instead of the workflow's.
async fn apply_change(
    state: &AppState,
    actor: &Actor,
    id: i64,
    expected: Option<i32>,
    action: &'static str,
    edit: impl Fn(PledgeDraft) -> PledgeDraft,
    check: impl Fn(&Pledge, &NewPledge) -> Result<(), Vec<FieldError>>,
) -> Result<Pledge, ApiError> {
    actor.may_record_pledges()?;
    let catalog = state.catalog();
    let mut attempt = 0;
    loop {
        let current = pledge_to_change(state, actor, id, expected).await?;
        let next = edit(current.to_draft())
            .validate_change(&catalog, &current)
            .map_err(ApiError::Invalid)?;
        check(&current, &next).map_err(ApiError::Invalid)?;
        if next.supersedes != current.supersedes {
            check_lineage(state, &next, Some(&current)).await?;
        }
        let written = {
            let (state, catalog, actor) = (state.clone(), catalog.clone(), actor.clone());
            to_completion(async move {
                let change = state
                    .store
                    .update_pledge(&catalog, &current, &next, &actor, action)
                    .await;
                if let Ok(PledgeChange::Changed(committed)) = &change {
                    publish_pledge(&state, committed, action);
                }
                change
            })
            .await?
        };
        match written {
            Err(StoreError::Stale { .. })
                if expected.is_none() && attempt < UNCONDITIONAL_RETRIES =>
            {
                attempt += 1
            }
            result => return Ok(result?.into_pledge()),
        }
    }
}

/// Adds a requirement (`id` none) or changes one, at `expected` version when given (admins).
pub async fn save_requirement(
    state: &AppState,
    actor: &Actor,
    id: Option<i64>,
    expected: Option<i32>,
    draft: RequirementDraft,
) -> Result<Requirement, ApiError> {
    actor.may_administer()?;
    let new = draft
        .validate(&state.catalog())
        .map_err(ApiError::Invalid)?;
    let (r, action) = match id {
        None => (state.store.create_requirement(&new, actor).await?, "create"),
        Some(id) => match state
            .store
            .update_requirement(id, expected, &new, actor)
            .await?
        {
            (r, true) => (r, "update"),
            (r, false) => return Ok(r),
        },
    };
    state
        .publish_change("requirement", r.id, r.version, action)
        .await?;
    Ok(r)
}
