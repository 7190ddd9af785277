//! Milestones in the store: recording one is a pledge write like any other (a pledge version,
//! an audit entry, one more data version, stale against an older version), the implied raise
//! lands in the same version with its reason in the history, and an admin's deletion leaves
//! the timeline but not the history. SQLite always, PostgreSQL when configured.

use chrono::NaiveDate;
use pledgeboard_domain::milestone_rules::plan_milestone;
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::{
    Catalog, MilestoneDraft, MilestoneKind, NewMilestone, Pledge, Readiness, Role,
};
use pledgeboard_store::testing::{actor, backends, fresh_store};
use pledgeboard_store::{AuditFilter, CommittedPledge, Store, StoreError};

fn milestone(catalog: &Catalog, kind: &str, date: &str) -> NewMilestone {
    MilestoneDraft {
        kind: kind.into(),
        date: date.into(),
        source_ref: Some("NV/PAK/2025/0042".into()),
        ..MilestoneDraft::default()
    }
    .validate(catalog)
    .unwrap_or_else(|e| panic!("{e:?}"))
}

/// A fresh store, its catalog, and a new L1 pledge of Pakistan's in it.
async fn setup(backend: &str) -> (Store, Catalog, Pledge) {
    let store = fresh_store(backend)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let catalog = store.catalog().await.unwrap_or_else(|e| panic!("{e:?}"));
    let pledge = new_pledge(&store, &catalog).await;
    (store, catalog, pledge)
}

async fn new_pledge(store: &Store, catalog: &Catalog) -> Pledge {
    let new = PledgeDraft {
        pledge_ref: "MS-1".into(),
        member_state: "PAK".into(),
        capability: "INF-COY".into(),
        quantity: Some(1),
        readiness: Some("L1".into()),
        ..PledgeDraft::default()
    }
    .validate(catalog)
    .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .create_pledge(catalog, &new, &actor(Role::Planner))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .pledge
}

/// Plans and records `m` on the stored pledge as it is now (or as `current` when given).
async fn record(
    store: &Store,
    catalog: &Catalog,
    current: &Pledge,
    m: &NewMilestone,
) -> Result<CommittedPledge, StoreError> {
    let recorded = store.pledge_milestones(current.id).await?;
    let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap_or_default();
    let plan =
        plan_milestone(current, &recorded, m, today).unwrap_or_else(|e| panic!("refused: {e:?}"));
    store
        .record_milestone(catalog, current, m, &plan, &actor(Role::Planner))
        .await
}

#[tokio::test]
async fn a_milestone_is_a_versioned_audited_change_that_raises_the_pledge() {
    for backend in backends() {
        let (store, catalog, pledge) = setup(backend).await;
        let before = store.data_version().await.unwrap_or_default();

        let nv = milestone(&catalog, "nv_received", "2025-05-20");
        let committed = record(&store, &catalog, &pledge, &nv)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
        assert_eq!(committed.pledge.version, 2, "{backend}");
        assert_eq!(committed.pledge.readiness, Readiness::L1, "{backend}");
        assert_eq!(committed.data_version, before + 1, "{backend}");
        let recorded = committed
            .milestone
            .clone()
            .unwrap_or_else(|| panic!("{backend}"));
        assert_eq!(recorded.pledge_version, 2);
        assert_eq!(recorded.recorded_by, "store test");

        let aav = milestone(&catalog, "aav_completed", "2025-09-02");
        let raised = record(&store, &catalog, &committed.pledge, &aav)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
        assert_eq!(raised.pledge.readiness, Readiness::L2, "{backend}");
        assert_eq!(raised.pledge.version, 3, "{backend}");
        assert_eq!(raised.data_version, before + 2, "{backend}");

        let timeline = store
            .pledge_milestones(pledge.id)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let kinds: Vec<MilestoneKind> = timeline.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [MilestoneKind::NvReceived, MilestoneKind::AavCompleted]
        );
        assert_eq!(timeline[0].source_ref.as_deref(), Some("NV/PAK/2025/0042"));

        let history = store
            .pledge_history(pledge.id)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let reasons: Vec<Option<&str>> = history.iter().map(|v| v.reason.as_deref()).collect();
        assert_eq!(
            reasons,
            [
                None,
                Some("Note verbale received on 2025-05-20"),
                Some(
                    "Assessment and Advisory Visit completed on 2025-09-02: readiness raised from L1 to L2"
                ),
            ],
            "{backend}"
        );
        assert_eq!(history[2].values["readiness"], "L2");

        let (audit, _) = store
            .list_audit(&AuditFilter {
                entity: Some("pledge".into()),
                entity_id: Some(pledge.id.to_string()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let last = audit.last().unwrap_or_else(|| panic!("{backend}"));
        assert_eq!(last.action, "milestone", "{backend}");
        let after = last.after.clone().unwrap_or_default();
        assert_eq!(after["readiness"], "L2", "{backend}: {after}");
        assert_eq!(after["milestone"]["kind"], "aav_completed", "{backend}");
        assert_eq!(last.before.clone().unwrap_or_default()["readiness"], "L1");
    }
}

#[tokio::test]
async fn a_milestone_on_an_older_version_is_stale_and_writes_nothing() {
    for backend in backends() {
        let (store, catalog, pledge) = setup(backend).await;
        let nv = milestone(&catalog, "nv_received", "2025-05-20");
        record(&store, &catalog, &pledge, &nv)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
        let version = store.data_version().await.unwrap_or_default();
        let accepted = milestone(&catalog, "accepted", "2025-06-20");
        let stale = record(&store, &catalog, &pledge, &accepted).await;
        assert!(
            matches!(stale, Err(StoreError::Stale { .. })),
            "{backend}: {stale:?}"
        );
        assert_eq!(store.data_version().await.unwrap_or_default(), version);
        assert_eq!(
            store
                .pledge_milestones(pledge.id)
                .await
                .map(|m| m.len())
                .ok(),
            Some(1),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn an_admin_deletion_leaves_the_timeline_is_audited_and_keeps_the_history() {
    for backend in backends() {
        let (store, catalog, pledge) = setup(backend).await;
        let aav = milestone(&catalog, "aav_completed", "2025-09-02");
        let committed = record(&store, &catalog, &pledge, &aav)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
        let id = committed.milestone.map(|m| m.id).unwrap_or_default();
        let version = store.data_version().await.unwrap_or_default();

        let deleted = store
            .delete_milestone(pledge.id, id, &actor(Role::Admin))
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
        assert_eq!(deleted.data_version, version + 1, "{backend}");
        assert_eq!(deleted.milestone.kind, MilestoneKind::AavCompleted);
        assert!(
            store
                .pledge_milestones(pledge.id)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
                .is_empty()
        );
        let stored = store
            .find_pledge(pledge.id)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(stored.readiness, Readiness::L2, "a deletion lowers nothing");
        let history = store.pledge_history(pledge.id).await.unwrap_or_default();
        assert!(history[1].reason.is_some(), "{backend}");

        let again = store
            .delete_milestone(pledge.id, id, &actor(Role::Admin))
            .await;
        assert!(matches!(again, Err(StoreError::NotFound(_))), "{again:?}");
        assert_eq!(store.data_version().await.unwrap_or_default(), version + 1);

        let (audit, _) = store
            .list_audit(&AuditFilter {
                entity: Some("milestone".into()),
                limit: 10,
                ..AuditFilter::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(audit.len(), 1, "{backend}");
        assert_eq!(audit[0].action, "delete");
        assert_eq!(
            audit[0].before.clone().unwrap_or_default()["kind"],
            "aav_completed"
        );

        // Deleted, the kind may be recorded again.
        let redo = milestone(&catalog, "aav_completed", "2025-09-03");
        let stored = store
            .find_pledge(pledge.id)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        record(&store, &catalog, &stored, &redo)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
    }
}
