//! Pledge writes at once from many requests: on SQLite they are committed in groups by one
//! writer task (`write_queue/`), on PostgreSQL each in a transaction of its own; either way
//! every write is a change of its own — its own id, version, audit entry and data version —
//! and one write's refusal is its own alone. SQLite always, PostgreSQL when
//! `PLEDGEBOARD_TEST_POSTGRES` is set.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::{Catalog, NewPledge, Role};
use pledgeboard_store::testing::{actor, backends, fresh_store, import_csv};
use pledgeboard_store::{AuditFilter, CommittedPledge, PledgeChange, Store, StoreError};
use tokio::task::JoinSet;

/// Writes sent at once: more than a group holds (64), so that groups follow each other.
const AT_ONCE: usize = 100;

fn pledge(catalog: &Catalog, reference: &str, quantity: i64) -> NewPledge {
    PledgeDraft {
        pledge_ref: reference.into(),
        member_state: "GHA".into(),
        capability: "INF-COY".into(),
        quantity: Some(quantity),
        personnel: Some(150),
        partners: vec!["JPN:equips".into()],
        ..PledgeDraft::default()
    }
    .validate(catalog)
    .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Creates the pledges of these references all at once, each on a task of its own; the
/// outcomes in the order of the references.
async fn create_at_once(
    store: &Store,
    references: &[String],
) -> Vec<Result<CommittedPledge, StoreError>> {
    let catalog = Arc::new(store.catalog().await.unwrap_or_else(|e| panic!("{e:?}")));
    let mut tasks = JoinSet::new();
    for (i, reference) in references.iter().enumerate() {
        let (store, catalog) = (store.clone(), Arc::clone(&catalog));
        let new = pledge(&catalog, reference, 1);
        tasks.spawn(async move {
            let outcome = store
                .create_pledge(&catalog, &new, &actor(Role::Planner))
                .await;
            (i, outcome)
        });
    }
    let mut outcomes: Vec<_> = tasks.join_all().await;
    outcomes.sort_by_key(|(i, _)| *i);
    outcomes.into_iter().map(|(_, o)| o).collect()
}

/// The audit entries of one pledge.
async fn audit_of(store: &Store, id: i64) -> Vec<String> {
    let filter = AuditFilter {
        entity: Some("pledge".into()),
        entity_id: Some(id.to_string()),
        limit: 100,
        ..AuditFilter::default()
    };
    let (entries, _) = store
        .list_audit(&filter)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    entries.into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn many_creates_at_once_each_commit_with_their_own_id_data_version_and_audit_entry() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let start = store
            .data_version()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let references: Vec<String> = (0..AT_ONCE).map(|i| format!("AT-ONCE-{i}")).collect();
        let created: Vec<CommittedPledge> = create_at_once(&store, &references)
            .await
            .into_iter()
            .map(|o| o.unwrap_or_else(|e| panic!("{backend}: {e:?}")))
            .collect();

        let ids: BTreeSet<i64> = created.iter().map(|c| c.pledge.id).collect();
        assert_eq!(ids.len(), AT_ONCE, "{backend}: distinct ids");
        let versions: BTreeSet<i64> = created.iter().map(|c| c.data_version).collect();
        let expected: BTreeSet<i64> = (start + 1..=start + AT_ONCE as i64).collect();
        assert_eq!(
            versions, expected,
            "{backend}: one data version each, in a row"
        );
        assert_eq!(
            store
                .data_version()
                .await
                .unwrap_or_else(|e| panic!("{e:?}")),
            start + AT_ONCE as i64,
            "{backend}"
        );
        for (c, reference) in created.iter().zip(&references) {
            assert_eq!(c.pledge.pledge_ref.as_str(), reference, "{backend}");
            assert_eq!(c.pledge.version, 1, "{backend}");
            let stored = store
                .find_pledge(c.pledge.id)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(stored, c.pledge, "{backend}: the answer is what was stored");
            assert_eq!(audit_of(&store, c.pledge.id).await, ["create"], "{backend}");
        }
    }
}

#[tokio::test]
async fn a_duplicate_key_among_writes_at_once_is_refused_alone() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let catalog = store.catalog().await.unwrap_or_else(|e| panic!("{e:?}"));
        store
            .create_pledge(
                &catalog,
                &pledge(&catalog, "TAKEN", 1),
                &actor(Role::Planner),
            )
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let start = store
            .data_version()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        // One reference stored already, one given twice within the writes: the stored one
        // is refused, and of the twice-given one exactly one write commits.
        let mut references: Vec<String> = (0..30).map(|i| format!("DUP-{i}")).collect();
        references.insert(10, "TAKEN".into());
        references.insert(20, "DUP-3".into());
        let outcomes = create_at_once(&store, &references).await;

        let refused: Vec<&String> = outcomes
            .iter()
            .zip(&references)
            .filter_map(|(o, r)| match o {
                Err(StoreError::Conflict(message)) => {
                    assert!(
                        message.english().contains(r.as_str()),
                        "{backend}: {message}"
                    );
                    Some(r)
                }
                Err(other) => panic!("{backend}: {r}: {other:?}"),
                Ok(_) => None,
            })
            .collect();
        assert_eq!(refused.len(), 2, "{backend}: {refused:?}");
        assert!(refused.contains(&&"TAKEN".to_owned()), "{backend}");
        assert!(refused.contains(&&"DUP-3".to_owned()), "{backend}");

        let committed: Vec<&CommittedPledge> =
            outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
        assert_eq!(committed.len(), 30, "{backend}");
        let versions: BTreeSet<i64> = committed.iter().map(|c| c.data_version).collect();
        let expected: BTreeSet<i64> = (start + 1..=start + 30).collect();
        assert_eq!(
            versions, expected,
            "{backend}: refused writes take no version"
        );
        for c in &committed {
            assert_eq!(audit_of(&store, c.pledge.id).await, ["create"], "{backend}");
        }
        let page = store
            .list_pledges(&pledgeboard_store::PledgeFilter {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            page.items.len(),
            31,
            "{backend}: TAKEN and the 30 committed"
        );
    }
}

#[tokio::test]
async fn changes_at_once_of_one_version_leave_one_winner_and_the_rest_stale() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let catalog = Arc::new(store.catalog().await.unwrap_or_else(|e| panic!("{e:?}")));
        let planner = actor(Role::Planner);
        let current = store
            .create_pledge(&catalog, &pledge(&catalog, "RACE", 1), &planner)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"))
            .pledge;
        let start = store
            .data_version()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut tasks = JoinSet::new();
        for quantity in 2..22 {
            let (store, catalog, current) = (store.clone(), Arc::clone(&catalog), current.clone());
            let next = pledge(&catalog, "RACE", quantity);
            let planner = planner.clone();
            tasks.spawn(async move {
                store
                    .update_pledge(&catalog, &current, &next, &planner, "update")
                    .await
            });
        }
        let outcomes = tasks.join_all().await;
        let won: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                Ok(PledgeChange::Changed(c)) => Some(c),
                Ok(other) => panic!("{backend}: {other:?}"),
                Err(StoreError::Stale { current }) => {
                    assert_eq!(*current, 2, "{backend}");
                    None
                }
                Err(other) => panic!("{backend}: {other:?}"),
            })
            .collect();
        assert_eq!(won.len(), 1, "{backend}: exactly one change wins");
        assert_eq!(won[0].data_version, start + 1, "{backend}");
        assert_eq!(won[0].pledge.version, 2, "{backend}");
        assert_eq!(
            audit_of(&store, current.id).await,
            ["create", "update"],
            "{backend}"
        );
        assert_eq!(
            store
                .data_version()
                .await
                .unwrap_or_else(|e| panic!("{e:?}")),
            start + 1,
            "{backend}: stale changes take no version"
        );
    }
}

/// A file large enough that its import holds SQLite's writer for a while (in a debug build,
/// seconds).
fn large_file(rows: usize) -> String {
    let mut csv = String::from("pledge_ref,member_state,capability,quantity,readiness\n");
    for i in 0..rows {
        csv.push_str(&format!("BIG-{i},GHA,INF-COY,1,L1\n"));
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_while_an_import_holds_the_writer_are_refused_as_busy_at_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}", dir.path().join("busy.db").display());
    let store = Store::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store.migrate().await.unwrap_or_else(|e| panic!("{e:?}"));
    store
        .load_reference_fixtures()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let catalog = store.catalog().await.unwrap_or_else(|e| panic!("{e:?}"));
    let planner = actor(Role::Planner);

    let importing = store.clone();
    let import = tokio::spawn(async move { import_csv(&importing, &large_file(100_000)).await });
    let mut refused = 0;
    let mut refused_late = 0;
    let mut written = 0;
    while !import.is_finished() {
        let new = pledge(&catalog, &format!("DURING-{written}-{refused}"), 1);
        let started = Instant::now();
        match store.create_pledge(&catalog, &new, &planner).await {
            Ok(_) => written += 1,
            Err(StoreError::Busy(_)) => {
                refused += 1;
                // A write whose group began just as the import took the gate waits SQLite's
                // busy timeout (2 s) instead; any other is refused at once.
                if started.elapsed() > Duration::from_millis(500) {
                    refused_late += 1;
                }
            }
            Err(other) => panic!("{other:?}"),
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let report = import
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.applied);
    assert!(
        refused > 0,
        "no write met the import ({written} went through)"
    );
    assert!(
        refused_late <= 1,
        "{refused_late} of {refused} refused late"
    );
    let after = pledge(&catalog, "AFTER", 1);
    store
        .create_pledge(&catalog, &after, &planner)
        .await
        .unwrap_or_else(|e| panic!("writes go through again after it: {e:?}"));
}
