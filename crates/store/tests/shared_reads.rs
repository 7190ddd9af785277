//! Reads shared between concurrent requests: the data version (one read in flight for every
//! reader waiting) and token and session look-ups (one statement per batch of callers). Shared,
//! they must answer as a query each would: never a data version older than a change committed
//! before the read was asked for, and each caller its own credential's answer — valid,
//! revoked, expired, logged out or unknown mixed in one batch. SQLite always, PostgreSQL when
//! `PLEDGEBOARD_TEST_POSTGRES` is set.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::{Actor, Catalog, NewPledge, Role};
use pledgeboard_store::Store;
use pledgeboard_store::testing::{actor, backends, expire_session, fresh_store};
use tokio::task::JoinSet;

fn pledge(catalog: &Catalog, reference: &str) -> NewPledge {
    PledgeDraft {
        pledge_ref: reference.into(),
        member_state: "GHA".into(),
        capability: "INF-COY".into(),
        quantity: Some(1),
        personnel: Some(150),
        ..PledgeDraft::default()
    }
    .validate(catalog)
    .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Reads the data version `count` times at once; every answer.
async fn versions_at_once(store: &Store, count: usize) -> Vec<i64> {
    let mut reads = JoinSet::new();
    for _ in 0..count {
        let store = store.clone();
        reads.spawn(async move { store.data_version().await });
    }
    reads
        .join_all()
        .await
        .into_iter()
        .map(|v| v.unwrap_or_else(|e| panic!("{e:?}")))
        .collect()
}

#[tokio::test]
async fn a_shared_data_version_read_is_never_older_than_a_change_committed_before_it() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let catalog = Arc::new(store.catalog().await.unwrap_or_else(|e| panic!("{e:?}")));
        // The latest version known committed, and readers reading all the while.
        let committed = Arc::new(AtomicI64::new(0));
        let writing = Arc::new(AtomicBool::new(true));
        let mut readers = JoinSet::new();
        for _ in 0..8 {
            let (store, committed, writing) =
                (store.clone(), Arc::clone(&committed), Arc::clone(&writing));
            readers.spawn(async move {
                let mut reads = 0u32;
                while writing.load(Ordering::SeqCst) {
                    let floor = committed.load(Ordering::SeqCst);
                    let read = store
                        .data_version()
                        .await
                        .unwrap_or_else(|e| panic!("{e:?}"));
                    assert!(read >= floor, "read {read} after {floor} had committed");
                    reads += 1;
                }
                reads
            });
        }
        for i in 0..40 {
            let written = store
                .create_pledge(
                    &catalog,
                    &pledge(&catalog, &format!("SR-{i}")),
                    &actor(Role::Planner),
                )
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
            committed.fetch_max(written.data_version, Ordering::SeqCst);
            // Committed, then read by many at once: each sees it.
            for read in versions_at_once(&store, 16).await {
                assert!(
                    read >= written.data_version,
                    "{backend}: read {read} after {} committed",
                    written.data_version
                );
            }
        }
        writing.store(false, Ordering::SeqCst);
        let reads: u32 = readers.join_all().await.into_iter().sum();
        assert!(reads > 0, "{backend}: the readers read");
    }
}

/// Tokens and sessions of every kind: (what is presented, the actor it must give).
struct Credentials {
    tokens: Vec<(String, Option<Actor>)>,
    sessions: Vec<(String, Option<Actor>)>,
}

async fn token(store: &Store, role: Role, name: &str) -> (String, Actor) {
    let (_, secret) = store
        .create_token(name, role, None)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let actor = store
        .authenticate(&secret)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("a new token is live"));
    (secret, actor)
}

async fn session(store: &Store, actor: &Actor) -> String {
    store
        .create_session(actor)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

async fn every_kind(store: &Store) -> Credentials {
    let (planner, planner_actor) = token(store, Role::Planner, "planner").await;
    let (viewer, viewer_actor) = token(store, Role::Viewer, "viewer").await;
    let (revoked, revoked_actor) = token(store, Role::Planner, "revoked").await;
    let planner_session = session(store, &planner_actor).await;
    let viewer_session = session(store, &viewer_actor).await;
    let expired_session = session(store, &planner_actor).await;
    let logged_out = session(store, &viewer_actor).await;
    let of_revoked = session(store, &revoked_actor).await;
    // Then each of these is ended its own way.
    store
        .revoke_token(revoked_actor.token_id)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    expire_session(store, &expired_session)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    store
        .end_session(&logged_out)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    Credentials {
        tokens: vec![
            (planner, Some(planner_actor.clone())),
            (viewer, Some(viewer_actor.clone())),
            (revoked, None),
            ("pb_no-such-token".into(), None),
        ],
        sessions: vec![
            (planner_session, Some(planner_actor)),
            (viewer_session, Some(viewer_actor)),
            (expired_session, None),
            (logged_out, None),
            (of_revoked, None),
            ("no-such-session".into(), None),
        ],
    }
}

/// Looks every credential up `rounds` times, all at once; fails on any wrong answer.
async fn look_up_at_once(store: &Store, credentials: &Credentials, rounds: usize, what: &str) {
    let mut lookups = JoinSet::new();
    for round in 0..rounds {
        for (i, (secret, expected)) in credentials.tokens.iter().enumerate() {
            let (store, secret, expected) = (store.clone(), secret.clone(), expected.clone());
            lookups.spawn(async move {
                let found = store.authenticate(&secret).await;
                (format!("token {i}, round {round}"), found, expected)
            });
        }
        for (i, (session, expected)) in credentials.sessions.iter().enumerate() {
            let (store, session, expected) = (store.clone(), session.clone(), expected.clone());
            lookups.spawn(async move {
                let found = store.session_actor(&session).await;
                (format!("session {i}, round {round}"), found, expected)
            });
        }
    }
    for (which, found, expected) in lookups.join_all().await {
        let found = found.unwrap_or_else(|e| panic!("{what}, {which}: {e:?}"));
        assert_eq!(found, expected, "{what}, {which}");
    }
}

#[tokio::test]
async fn batched_lookups_give_each_caller_its_own_right_answer() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut credentials = every_kind(&store).await;
        look_up_at_once(&store, &credentials, 10, backend).await;

        // A revocation committed before the look-ups began is seen by every one of them.
        let (viewer, viewer_actor) = credentials.tokens[1].clone();
        let viewer_actor = viewer_actor.unwrap_or_else(|| panic!("the viewer is live"));
        store
            .revoke_token(viewer_actor.token_id)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        credentials.tokens[1] = (viewer, None);
        credentials.sessions[1].1 = None;
        look_up_at_once(&store, &credentials, 10, &format!("{backend}, revoked")).await;
    }
}

/// Looks every id up at once; each answer (`None`: not found).
async fn pledges_at_once(store: &Store, ids: &[i64]) -> Vec<Option<pledgeboard_domain::Pledge>> {
    let mut reads = JoinSet::new();
    for (i, &id) in ids.iter().enumerate() {
        let store = store.clone();
        reads.spawn(async move {
            match store.find_pledge(id).await {
                Ok(p) => (i, Some(p)),
                Err(pledgeboard_store::StoreError::NotFound(_)) => (i, None),
                Err(e) => panic!("{e:?}"),
            }
        });
    }
    let mut found = reads.join_all().await;
    found.sort_by_key(|(i, _)| *i);
    found.into_iter().map(|(_, p)| p).collect()
}

#[tokio::test]
async fn batched_pledge_lookups_give_each_caller_its_own_pledge_as_last_committed() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let catalog = store.catalog().await.unwrap_or_else(|e| panic!("{e:?}"));
        let planner = actor(Role::Planner);
        let mut stored = Vec::new();
        for i in 0..30 {
            let written = store
                .create_pledge(&catalog, &pledge(&catalog, &format!("PL-{i}")), &planner)
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
            stored.push(written.pledge);
        }
        // Every stored id twice, and ids never stored, asked all at once.
        let mut ids: Vec<i64> = stored.iter().map(|p| p.id).collect();
        ids.extend(stored.iter().map(|p| p.id));
        ids.extend([0, -1, 1_000_000]);
        let found = pledges_at_once(&store, &ids).await;
        for (id, p) in ids.iter().zip(&found) {
            let expected = stored.iter().find(|s| s.id == *id);
            assert_eq!(p.as_ref(), expected, "{backend}: pledge {id}");
        }
        // A change committed, then looked up by many at once: each sees it.
        for (round, current) in stored.iter().take(5).enumerate() {
            let mut next = current.to_new();
            next.quantity = pledgeboard_domain::Quantity::new(2 + round as i64)
                .unwrap_or_else(|e| panic!("{e:?}"));
            let changed = store
                .update_pledge(&catalog, current, &next, &planner, "update")
                .await
                .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
            let pledgeboard_store::PledgeChange::Changed(committed) = changed else {
                panic!("{backend}: the change changed nothing");
            };
            for p in pledges_at_once(&store, &[current.id; 16]).await {
                assert_eq!(
                    p.as_ref(),
                    Some(&committed.pledge),
                    "{backend}: round {round}"
                );
            }
        }
    }
}
