//! The data version rises by exactly one with every committed change of pledges, requirements
//! and reference data, imports included, and never for a dry run, a failed import or a change
//! that changes nothing. SQLite always, PostgreSQL when `PLEDGEBOARD_TEST_POSTGRES` is set.

use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::requirement::RequirementDraft;
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_domain::{Catalog, Mission, MissionAcronym, NewPledge, NewRequirement, Role};
use pledgeboard_store::testing::{actor, backends, fresh_store, import_csv};
use pledgeboard_store::{ImportOptions, PledgeChange, Store};

fn pledge(catalog: &Catalog, reference: &str, quantity: i64) -> NewPledge {
    PledgeDraft {
        pledge_ref: reference.into(),
        member_state: "PAK".into(),
        capability: "INF-COY".into(),
        quantity: Some(quantity),
        personnel: Some(150),
        readiness: Some("L1".into()),
        ..PledgeDraft::default()
    }
    .validate(catalog)
    .unwrap_or_else(|e| panic!("{e:?}"))
}

fn requirement(catalog: &Catalog, quantity: i64) -> NewRequirement {
    RequirementDraft {
        mission: "UNMISS".into(),
        capability: "INF-COY".into(),
        quantity: Some(quantity),
        personnel: Some(150),
        needed_by: "2027-01-01".into(),
        priority: "high".into(),
    }
    .validate(catalog)
    .unwrap_or_else(|e| panic!("{e:?}"))
}

const PLEDGES: &str = "pledge_ref,member_state,capability,quantity,readiness\n\
F-1,GHA,INF-COY,1,L1\nF-2,GHA,INF-COY,2,L2\n";
const PLEDGES_CHANGED: &str = "pledge_ref,member_state,capability,quantity,readiness\n\
F-1,GHA,INF-COY,1,L1\nF-2,GHA,INF-COY,3,L2\n";
const PLEDGES_BAD: &str = "pledge_ref,member_state,capability,quantity,readiness\n\
F-3,GHA,INF-COY,1,L1\nF-4,GHA,NO-SUCH,2,L2\n";
const REQUIREMENTS: &str = "mission,capability,quantity,personnel,needed_by,priority\n\
UNMISS,HEL-UTIL,2,40,2027-01-01,high\n";
const REQUIREMENTS_BAD: &str = "mission,capability,quantity,personnel,needed_by,priority\n\
UNMISS,HEL-UTIL,2,40,2027-01-01,high\nUNMISS,NO-SUCH,2,40,2027-01-01,high\n";

async fn import_requirements(store: &Store, csv: &str, dry_run: bool) -> bool {
    let catalog = store.catalog().await.unwrap_or_else(|e| panic!("{e:?}"));
    let options = ImportOptions {
        dry_run,
        source: "test".into(),
    };
    let table = table_from_bytes(csv.as_bytes().to_vec()).unwrap_or_else(|e| panic!("{e:?}"));
    store
        .import_requirements(&catalog, table, &actor(Role::Admin), &options)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .applied
}

async fn dry_pledge_import(store: &Store, csv: &str) {
    let catalog = store.catalog().await.unwrap_or_else(|e| panic!("{e:?}"));
    let options = ImportOptions {
        dry_run: true,
        source: "test".into(),
    };
    let table = table_from_bytes(csv.as_bytes().to_vec()).unwrap_or_else(|e| panic!("{e:?}"));
    let report = store
        .import_pledges(&catalog, table, &actor(Role::Planner), &options)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!report.applied);
}

/// Runs `step`, then checks the version rose by `by` (0 or 1).
macro_rules! rises {
    ($store:expr, $backend:expr, $by:expr, $what:expr, $step:expr) => {{
        let before = $store
            .data_version()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let out = $step;
        let after = $store
            .data_version()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(after - before, $by, "{}: {}", $backend, $what);
        out
    }};
}

#[tokio::test]
async fn the_version_rises_once_per_committed_change_and_never_otherwise() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let s = &store;
        let start = s.data_version().await.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(start, 1, "{backend}: reference data put in place once");
        rises!(s, backend, 0, "reference data already in place", {
            s.load_reference_fixtures()
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
        });
        let catalog = s.catalog().await.unwrap_or_else(|e| panic!("{e:?}"));
        let planner = actor(Role::Planner);
        let admin = actor(Role::Admin);

        let created = rises!(s, backend, 1, "create", {
            s.create_pledge(&catalog, &pledge(&catalog, "V-1", 1), &planner)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
                .pledge
        });
        rises!(s, backend, 0, "a conflicting create", {
            assert!(
                s.create_pledge(&catalog, &pledge(&catalog, "V-1", 1), &planner)
                    .await
                    .is_err()
            )
        });
        let changed = rises!(s, backend, 1, "update", {
            match s
                .update_pledge(
                    &catalog,
                    &created,
                    &pledge(&catalog, "V-1", 2),
                    &planner,
                    "update",
                )
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
            {
                PledgeChange::Changed(c) => c.pledge,
                other => panic!("{backend}: {other:?}"),
            }
        });
        rises!(s, backend, 0, "an update that changes nothing", {
            let same = changed.to_new();
            let unchanged = s
                .update_pledge(&catalog, &changed, &same, &planner, "update")
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert!(matches!(unchanged, PledgeChange::Unchanged(_)), "{backend}")
        });
        rises!(s, backend, 0, "a stale update", {
            assert!(
                s.update_pledge(
                    &catalog,
                    &created,
                    &pledge(&catalog, "V-1", 3),
                    &planner,
                    "update"
                )
                .await
                .is_err()
            )
        });

        let r = rises!(s, backend, 1, "requirement create", {
            s.create_requirement(&requirement(&catalog, 3), &admin)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
        });
        rises!(s, backend, 1, "requirement update", {
            assert!(
                s.update_requirement(r.id, None, &requirement(&catalog, 4), &admin)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"))
                    .1
            )
        });
        rises!(
            s,
            backend,
            0,
            "a requirement update that changes nothing",
            {
                assert!(
                    !s.update_requirement(r.id, None, &requirement(&catalog, 4), &admin)
                        .await
                        .unwrap_or_else(|e| panic!("{e:?}"))
                        .1
                )
            }
        );
        rises!(s, backend, 1, "requirement delete", {
            s.delete_requirement(r.id, &admin)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
        });

        rises!(s, backend, 0, "a dry pledge import", {
            dry_pledge_import(s, PLEDGES).await
        });
        rises!(s, backend, 1, "a pledge import", {
            assert!(
                import_csv(s, PLEDGES)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"))
                    .applied
            )
        });
        rises!(s, backend, 0, "the same import again", {
            let again = import_csv(s, PLEDGES)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(again.created + again.updated, 0, "{backend}")
        });
        rises!(s, backend, 1, "an import changing one row", {
            assert_eq!(
                import_csv(s, PLEDGES_CHANGED)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"))
                    .updated,
                1
            )
        });
        rises!(s, backend, 0, "a failed pledge import", {
            assert!(
                !import_csv(s, PLEDGES_BAD)
                    .await
                    .unwrap_or_else(|e| panic!("{e:?}"))
                    .applied
            )
        });
        rises!(s, backend, 0, "a dry requirement import", {
            import_requirements(s, REQUIREMENTS, true).await
        });
        rises!(s, backend, 1, "a requirement import", {
            assert!(import_requirements(s, REQUIREMENTS, false).await)
        });
        rises!(s, backend, 0, "the same requirement import again", {
            import_requirements(s, REQUIREMENTS, false).await
        });
        rises!(s, backend, 0, "a failed requirement import", {
            assert!(!import_requirements(s, REQUIREMENTS_BAD, false).await)
        });

        let mission = Mission {
            acronym: MissionAcronym::parse("UNTEST").unwrap_or_else(|e| panic!("{e:?}")),
            name: "Test mission".into(),
            location: "Nowhere".into(),
            established_on: None,
        };
        rises!(s, backend, 1, "mission create", {
            s.create_mission(&mission, &admin)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
        });
        rises!(s, backend, 0, "a mission update that changes nothing", {
            s.update_mission(&mission, &admin)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
        });
        let renamed = Mission {
            name: "Renamed".into(),
            ..mission
        };
        rises!(s, backend, 1, "mission update", {
            s.update_mission(&renamed, &admin)
                .await
                .unwrap_or_else(|e| panic!("{e:?}"))
        });
    }
}

#[tokio::test]
async fn the_demo_load_raises_the_version_once_per_part_or_milestone_and_not_when_loaded_again() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let before = store
            .data_version()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let loaded = store
            .load_demo_fixtures()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        // Requirements and pledges once each; each demo milestone is a change of its pledge
        // like any other (a version, an audit entry), so once per milestone.
        assert!(loaded.milestones > 0, "{backend}");
        let after = before + 2 + i64::try_from(loaded.milestones).unwrap_or_default();
        assert_eq!(
            store
                .data_version()
                .await
                .unwrap_or_else(|e| panic!("{e:?}")),
            after,
            "{backend}"
        );
        store
            .load_demo_fixtures()
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            store
                .data_version()
                .await
                .unwrap_or_else(|e| panic!("{e:?}")),
            after,
            "{backend}"
        );
    }
}
