//! Store tests on a fresh, migrated database per test: SQLite always, PostgreSQL when
//! `PLEDGEBOARD_TEST_POSTGRES` is set.

use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::{Actor, Catalog, NewPledge, PledgeStatus, Role};
use pledgeboard_store::testing::{backends, fresh_store};
use pledgeboard_store::{PledgeFilter, Store, StoreError};

fn planner() -> Actor {
    Actor {
        token_id: 0,
        name: "store test".into(),
        role: Role::Planner,
        member_state: None,
    }
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Store, &'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        test(store, backend).await;
    }
}

fn pledge(catalog: &Catalog, state: &str, reference: &str) -> NewPledge {
    PledgeDraft {
        pledge_ref: reference.into(),
        member_state: state.into(),
        capability: "HEL-UTIL".into(),
        quantity: Some(3),
        personnel: Some(120),
        female_personnel: Some(12),
        readiness: Some("L2".into()),
        available_from: Some("2026-01-15".into()),
        mission: Some("minusca".into()),
        conference: Some("ISB-2023".into()),
        monthly_cost_usd: Some("999999999999.99".into()),
        partners: vec!["JPN:equips".into(), "KOR:trains".into()],
        equipment: vec![pledgeboard_domain::pledge_draft::EquipmentDraft {
            category: "Aviation".into(),
            description: "Mi-17 utility helicopter".into(),
            quantity: Some(3),
            lease: "wet".into(),
        }],
        ..PledgeDraft::default()
    }
    .validate(catalog)
    .unwrap_or_else(|e| panic!("invalid test pledge: {e:?}"))
}

#[tokio::test]
async fn reference_data_is_in_place_after_migrate() {
    each_backend(|store, backend| async move {
        let catalog = store.catalog().await.unwrap();
        assert_eq!(catalog.member_states().all().len(), 193, "{backend}");
        assert_eq!(catalog.missions().count(), 11, "{backend}");
        assert!(catalog.conference("ISB-2023").is_ok(), "{backend}");
        assert!(!catalog.gender_targets().is_empty(), "{backend}");
        assert_eq!(
            store.load_reference_fixtures().await.unwrap(),
            0,
            "a second load adds nothing ({backend})"
        );
    })
    .await;
}

#[tokio::test]
async fn demo_fixtures_load_once() {
    each_backend(|store, backend| async move {
        let first = store.load_demo_fixtures().await.unwrap();
        assert!(
            first.pledges >= 300 && first.requirements >= 11,
            "{backend}: {first:?}"
        );
        let second = store.load_demo_fixtures().await.unwrap();
        assert!(first.milestones >= 300, "{backend}: {first:?}");
        assert_eq!(
            (second.pledges, second.requirements, second.milestones),
            (0, 0, 0),
            "{backend}"
        );
        let pak = store
            .list_pledges(&PledgeFilter {
                member_state: Some("PAK".parse().unwrap()),
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(pak.items.len() >= 8, "{backend}");
        assert!(pak.items.iter().all(|p| p.member_state.as_str() == "PAK"));
    })
    .await;
}

#[tokio::test]
async fn a_pledge_reads_back_as_written() {
    each_backend(|store, backend| async move {
        let catalog = store.catalog().await.unwrap();
        let new = pledge(&catalog, "Pakistan", "PAK-1");
        let stored = store
            .create_pledge(&catalog, &new, &planner())
            .await
            .unwrap()
            .pledge;
        let found = store.find_pledge(stored.id).await.unwrap();
        assert_eq!(found, stored, "{backend}");
        assert_eq!(found.mission.as_ref().map(|m| m.as_str()), Some("MINUSCA"));
        assert_eq!(
            found.monthly_cost_usd.map(|u| u.to_string()),
            Some("999999999999.99".into()),
            "money is exact on {backend}"
        );
        assert_eq!(found.partners.len(), 2);
        assert_eq!(found.equipment[0].description, "Mi-17 utility helicopter");
        assert_eq!(found.status, PledgeStatus::Pledged);
        assert_eq!(found.version, 1);
        assert_eq!(
            found.registered_on,
            found.created_at.date_naive(),
            "registered_on defaults to the day recorded"
        );
    })
    .await;
}

#[tokio::test]
async fn a_duplicate_reference_is_a_conflict_and_stores_nothing() {
    each_backend(|store, backend| async move {
        let catalog = store.catalog().await.unwrap();
        store
            .create_pledge(&catalog, &pledge(&catalog, "PAK", "PAK-1"), &planner())
            .await
            .unwrap();
        let err = store
            .create_pledge(&catalog, &pledge(&catalog, "PAK", "PAK-1"), &planner())
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict(ref m) if m.english().contains("PAK-1")),
            "{backend}: {err}"
        );
        store
            .create_pledge(&catalog, &pledge(&catalog, "BGD", "PAK-1"), &planner())
            .await
            .expect("same reference, other state");
        let all = store
            .list_pledges(&PledgeFilter {
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(all.items.len(), 2, "{backend}");
    })
    .await;
}

#[tokio::test]
async fn lists_filter_and_page_with_a_cursor() {
    each_backend(|store, backend| async move {
        store.load_demo_fixtures().await.unwrap();
        let mut seen = Vec::new();
        let mut filter = PledgeFilter {
            mission: Some("MINUSCA".parse().unwrap()),
            limit: 7,
            ..Default::default()
        };
        loop {
            let page = store.list_pledges(&filter).await.unwrap();
            assert!(page.items.len() <= 7);
            seen.extend(page.items.iter().map(|p| p.id));
            assert!(
                page.items
                    .iter()
                    .all(|p| p.mission.as_ref().map(|m| m.as_str()) == Some("MINUSCA"))
            );
            match page.next_after_id {
                Some(after) => filter.after_id = Some(after),
                None => break,
            }
        }
        let all = store
            .list_pledges(&PledgeFilter {
                mission: Some("MINUSCA".parse().unwrap()),
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            seen,
            all.items.iter().map(|p| p.id).collect::<Vec<_>>(),
            "{backend}"
        );
        assert!(seen.len() > 7, "paging was exercised");

        let firm = store
            .list_pledges(&PledgeFilter {
                readiness: Some("RDL".parse().unwrap()),
                status: Some(PledgeStatus::Withdrawn),
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            firm.items
                .iter()
                .all(|p| p.status == PledgeStatus::Withdrawn && p.readiness.as_str() == "RDL")
        );
    })
    .await;
}
