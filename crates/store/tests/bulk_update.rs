//! A re-import that changes pledges writes them set-based, a batch at a time; what it leaves
//! behind must be exactly what changing the same pledges one at a time (`update_pledge`, the
//! API's path) leaves: versions, history, audit entries with before and after, the pledges,
//! and the board as of any moment. SQLite always, PostgreSQL when `PLEDGEBOARD_TEST_POSTGRES`
//! is set.
#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly when its setup fails"
)]

use std::collections::HashMap;

use chrono::{DateTime, SubsecRound, Utc};
use pledgeboard_domain::import::{RowPlan, plan_row};
use pledgeboard_domain::pledge::{EquipmentLine, Lease, Quantity};
use pledgeboard_domain::pledge_csv::PledgeHeader;
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_domain::{Actor, Pledge, Role};
use pledgeboard_store::testing::{actor, backends, fresh_store, import_csv};
use pledgeboard_store::{AuditEntry, AuditFilter, PledgeAsOf, PledgeFilter, Store};

/// The pledges first recorded: varied fields, joint pledges, text that SQL and `COPY` treat
/// specially.
const FIRST: &str = "pledge_ref,member_state,capability,quantity,personnel,female_personnel,\
readiness,available_from,duration_months,mission,conference,status,caveats,monthly_cost_usd,\
partners,registered_on,renewed_on,notes\n\
B-1,PAK,INF-BN,2,,,L1,2027-01-15,12,UNMISS,ISB-2025,pledged,,1234.56,JPN:equips;KOR:trains,2026-02-01,,\"say \"\"hi\"\", \\ {x}\"\n\
B-2,GHA,INF-COY,1,150,20,L2,,,,,pledged,\"tab\there, line\nbreak é\",,,,,\n\
B-3,JPN,HEL-UTIL,3,120,12,L3,2027-03-01,6,MINUSCA,,verified,,99.00,PAK:funds,2026-01-01,2026-06-01,notes\n\
B-4,KOR,FPU,1,,,L1,,,,,pledged,,,,,,\n\
B-5,BRA,INF-BN,1,,,L1,,,,,pledged,,,,,,unchanged\n";

/// The same keys, changed: quantities, partners replaced, reordered and removed, notes,
/// status, readiness and money; B-5 as it was.
const CHANGED: &str = "pledge_ref,member_state,capability,quantity,readiness,status,\
monthly_cost_usd,partners,notes\n\
B-1,PAK,INF-BN,3,L2,verified,1234.57,KOR:trains;JPN:equips,\"say \"\"hi\"\", \\ {x}\"\n\
B-2,GHA,INF-COY,4,L2,pledged,,JPN:deploys,\"NULL\"\n\
B-3,JPN,HEL-UTIL,2,L3,deployed,,,notes\n\
B-4,KOR,FPU,2,L1,withdrawn,0.10,,\n\
B-5,BRA,INF-BN,1,L1,pledged,,,unchanged\n\
B-6,PAK,EQ-APC,1,,,,,with equipment\n";

/// A third file: a second round of changes on top of the first.
const AGAIN: &str = "pledge_ref,member_state,capability,quantity,partners\n\
B-1,PAK,INF-BN,5,JPN:equips\n\
B-6,PAK,EQ-APC,7,GHA:funds\n";

/// B-6 is recorded through the API with equipment lines, which a file cannot carry: the
/// import keeps them, and must write them into versions and back when partners change.
async fn record_with_equipment(store: &Store) {
    let catalog = store.catalog().await.unwrap();
    let mut next = PledgeDraft {
        pledge_ref: "B-6".into(),
        member_state: "PAK".into(),
        capability: "EQ-APC".into(),
        quantity: Some(1),
        ..PledgeDraft::default()
    }
    .validate(&catalog)
    .unwrap();
    next.equipment = vec![
        EquipmentLine {
            category: "APC".into(),
            description: "wheeled, \"6x6\"".into(),
            quantity: Quantity::new(4).unwrap(),
            lease: Lease::Wet,
        },
        EquipmentLine {
            category: "Truck".into(),
            description: "water".into(),
            quantity: Quantity::new(2).unwrap(),
            lease: Lease::Dry,
        },
    ];
    store
        .create_pledge(&catalog, &next, &actor(Role::Planner))
        .await
        .unwrap();
}

async fn all_pledges(store: &Store) -> Vec<Pledge> {
    let mut pledges = Vec::new();
    let mut after_id = None;
    loop {
        let filter = PledgeFilter {
            limit: 1000,
            after_id,
            ..PledgeFilter::default()
        };
        let page = store.list_pledges(&filter).await.unwrap();
        pledges.extend(page.items);
        after_id = page.next_after_id;
        if after_id.is_none() {
            return pledges;
        }
    }
}

/// Changes the pledges one at a time as the file's rows say, through `update_pledge`.
async fn change_one_at_a_time(store: &Store, file: &str, by: &Actor) {
    let catalog = store.catalog().await.unwrap();
    let table = table_from_bytes(file.as_bytes().to_vec()).unwrap();
    let header = PledgeHeader::parse(table.header.iter().map(String::as_str)).unwrap();
    let stored: HashMap<String, Pledge> = all_pledges(store)
        .await
        .into_iter()
        .map(|p| (p.pledge_ref.to_string(), p))
        .collect();
    for row in table.rows {
        let (_, record) = row.unwrap();
        let current = &stored[record.get(0).unwrap()];
        match plan_row(&header, &record, Some(current), &catalog, by).unwrap() {
            RowPlan::Update { current, next } => {
                store
                    .update_pledge(&catalog, &current, &next, by, "import")
                    .await
                    .unwrap();
            }
            RowPlan::Unchanged => {}
            RowPlan::Create(_) => panic!("every key is stored"),
        }
    }
}

/// One audit entry without its moment: who, as what, did what, to which, before and after.
type Audited = (
    String,
    String,
    String,
    String,
    Option<serde_json::Value>,
    Option<serde_json::Value>,
);

/// What a store shows of its pledges, without the moments (which differ between two stores).
#[derive(Debug, PartialEq)]
struct Shown {
    pledges: Vec<Pledge>,
    /// Per pledge: each version's number, author, values, and whether it was superseded.
    history: Vec<Vec<(i32, String, serde_json::Value, bool)>>,
    /// Per pledge audit entry: who, as what, did what, to which, before and after.
    audit: Vec<Audited>,
    /// The board as it stood at each moment asked for.
    as_of: Vec<Vec<PledgeAsOf>>,
}

async fn shown(store: &Store, moments: &[DateTime<Utc>]) -> Shown {
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let mut pledges = all_pledges(store).await;
    let mut history = Vec::new();
    for p in &pledges {
        let versions = store.pledge_history(p.id).await.unwrap();
        for pair in versions.windows(2) {
            assert_eq!(
                pair[0].valid_to,
                Some(pair[1].valid_from),
                "each version ends as the next begins"
            );
        }
        let changes = store
            .list_audit(&AuditFilter {
                entity: Some("pledge".into()),
                entity_id: Some(p.id.to_string()),
                limit: 100,
                ..AuditFilter::default()
            })
            .await
            .unwrap()
            .0;
        let changes = changes.iter().filter(|c| c.action != "create");
        for (v, change) in versions.iter().skip(1).zip(changes) {
            assert_eq!(
                v.valid_from, change.at,
                "a version begins when it was audited"
            );
        }
        history.push(
            versions
                .into_iter()
                .map(|v| (v.version, v.changed_by, v.values, v.valid_to.is_some()))
                .collect(),
        );
    }
    for p in &mut pledges {
        (p.created_at, p.updated_at) = (epoch, epoch);
    }
    let audit = store
        .list_audit(&AuditFilter {
            entity: Some("pledge".into()),
            limit: 1000,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|e| {
            (
                e.actor_name,
                e.actor_role,
                e.action,
                e.entity_id,
                e.before,
                e.after,
            )
        })
        .collect();
    let mut as_of = Vec::new();
    for at in moments {
        as_of.push(store.pledges_as_of(*at).await.unwrap());
    }
    Shown {
        pledges,
        history,
        audit,
        as_of,
    }
}

/// Records the first pledges, then applies each file of changes — by importing it, or one
/// pledge at a time — and answers what the store shows, with the board as of each step.
async fn run(backend: &str, bulk: bool) -> Shown {
    let store = fresh_store(backend).await.unwrap();
    let planner = actor(Role::Planner);
    let first = import_csv(&store, FIRST).await.unwrap();
    assert_eq!((first.created, first.errors.len()), (5, 0), "{first:?}");
    record_with_equipment(&store).await;
    let mut moments = Vec::new();
    for file in [CHANGED, AGAIN] {
        moments.push(Utc::now().trunc_subsecs(6));
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        if bulk {
            let report = import_csv(&store, file).await.unwrap();
            assert!(report.applied, "{backend}: {:?}", report.errors);
            assert_eq!(report.created, 0, "{backend}");
        } else {
            change_one_at_a_time(&store, file, &planner).await;
        }
    }
    moments.push(Utc::now().trunc_subsecs(6));
    shown(&store, &moments).await
}

#[tokio::test]
async fn a_bulk_update_writes_what_changing_each_pledge_alone_writes() {
    for backend in backends() {
        let bulk = run(backend, true).await;
        let alone = run(backend, false).await;
        // The files did change things: B-1 went through three versions, B-5 stayed at one.
        let b1 = &bulk.history[0];
        assert_eq!(b1.len(), 3, "{backend}: {b1:?}");
        assert_eq!(b1[2].2["quantity"], 5, "{backend}");
        assert_eq!(bulk.history[4].len(), 1, "{backend}: B-5 was unchanged");
        assert_eq!(
            bulk.audit.len(),
            8,
            "{backend}: 1 creation and 5 + 2 changes audited"
        );
        assert_eq!(bulk.pledges, alone.pledges, "{backend}: the pledges");
        assert_eq!(bulk.history, alone.history, "{backend}: the versions");
        assert_eq!(bulk.audit, alone.audit, "{backend}: the audit trail");
        assert_eq!(
            bulk.as_of, alone.as_of,
            "{backend}: the board as of each step"
        );
    }
}

#[tokio::test]
async fn a_re_import_changing_every_row_over_several_batches_versions_and_audits_each() {
    const ROWS: usize = 2_500;
    let file = |quantity: u32| {
        let mut text = String::from("pledge_ref,member_state,capability,quantity,partners\n");
        for i in 0..ROWS {
            let partners = if i % 3 == 0 { "JPN:equips" } else { "" };
            text.push_str(&format!("M-{i},PAK,INF-COY,{quantity},{partners}\n"));
        }
        text
    };
    for backend in backends() {
        let store = fresh_store(backend).await.unwrap();
        let created = import_csv(&store, &file(1)).await.unwrap();
        assert_eq!(created.created, ROWS as u64, "{backend}");
        let before = Utc::now().trunc_subsecs(6);
        let changed = import_csv(&store, &file(2)).await.unwrap();
        assert_eq!(
            (changed.updated, changed.unchanged, changed.errors.len()),
            (ROWS as u64, 0, 0),
            "{backend}"
        );
        let pledges = all_pledges(&store).await;
        assert!(
            pledges
                .iter()
                .all(|p| p.version == 2 && p.quantity.get() == 2)
        );
        let joint = pledges.iter().filter(|p| !p.partners.is_empty()).count();
        assert_eq!(joint, ROWS.div_ceil(3), "{backend}: partners kept");
        let old = store.pledges_as_of(before).await.unwrap();
        assert_eq!(old.len(), ROWS, "{backend}");
        assert!(
            old.iter().all(|p| p.version == 1 && p.quantity == 1),
            "{backend}"
        );
        let audited = store
            .list_audit(&AuditFilter {
                entity: Some("pledge".into()),
                since: Some(before),
                limit: 10_000,
                ..AuditFilter::default()
            })
            .await
            .unwrap()
            .0;
        assert_eq!(audited.len(), ROWS, "{backend}: one audit entry per change");
        assert_eq!(pledges.len(), ROWS, "{backend}");
        let last = store.pledge_history(pledges[ROWS - 1].id).await.unwrap();
        assert_eq!(
            last.iter()
                .map(|v| v.values["quantity"].clone())
                .collect::<Vec<_>>(),
            [1, 2],
            "{backend}"
        );
    }
}

/// Every audit entry about a pledge since `since`, page by page.
async fn pledge_audit_since(store: &Store, since: DateTime<Utc>) -> Vec<AuditEntry> {
    let mut entries = Vec::new();
    let mut after_id = None;
    loop {
        let filter = AuditFilter {
            entity: Some("pledge".into()),
            since: Some(since),
            limit: 10_000,
            after_id,
            ..AuditFilter::default()
        };
        let (page, next) = store.list_audit(&filter).await.unwrap();
        entries.extend(page);
        after_id = next;
        if after_id.is_none() {
            return entries;
        }
    }
}

#[tokio::test]
async fn a_bulk_re_import_whose_batches_change_different_columns_writes_each_change() {
    // More rows than a bulk load's least (50,000), so that the re-import holds the table and
    // its changes wait to be written together (on PostgreSQL): the first 30,000 rows change
    // their quantity, the rest their notes, so the staged quantities are written when the
    // first batch of notes comes, and the notes when the file ends.
    const ROWS: usize = 55_000;
    const QUANTITIES: usize = 30_000;
    let file = |changed: bool| {
        let mut text = String::from("pledge_ref,member_state,capability,quantity,notes\n");
        for i in 0..ROWS {
            let quantity = if changed && i < QUANTITIES { 2 } else { 1 };
            let notes = if changed && i >= QUANTITIES {
                "noted"
            } else {
                ""
            };
            text.push_str(&format!("S-{i},PAK,INF-COY,{quantity},{notes}\n"));
        }
        text
    };
    for backend in backends() {
        let store = fresh_store(backend).await.unwrap();
        let created = import_csv(&store, &file(false)).await.unwrap();
        assert_eq!(created.created, ROWS as u64, "{backend}");
        let before = Utc::now().trunc_subsecs(6);
        let changed = import_csv(&store, &file(true)).await.unwrap();
        assert_eq!(
            (changed.updated, changed.errors.len()),
            (ROWS as u64, 0),
            "{backend}"
        );
        let mut pledges = all_pledges(&store).await;
        pledges.sort_by_key(|p| p.pledge_ref.as_str()[2..].parse::<usize>().unwrap());
        for (i, p) in pledges.iter().enumerate() {
            let (quantity, notes) = if i < QUANTITIES {
                (2, None)
            } else {
                (1, Some("noted"))
            };
            assert_eq!(
                (p.version, p.quantity.get(), p.notes.as_deref()),
                (2, quantity, notes),
                "{backend}: {}",
                p.pledge_ref
            );
        }
        let old = store.pledges_as_of(before).await.unwrap();
        assert_eq!(old.len(), ROWS, "{backend}");
        assert!(
            old.iter().all(|p| p.version == 1 && p.quantity == 1),
            "{backend}: every superseded version kept"
        );
        let audited = pledge_audit_since(&store, before).await;
        assert_eq!(audited.len(), ROWS, "{backend}: one audit entry per change");
        let of = |p: &Pledge| {
            let id = p.id.to_string();
            let entry = audited.iter().find(|e| e.entity_id == id).unwrap();
            (entry.before.clone().unwrap(), entry.after.clone().unwrap())
        };
        let (first, last) = (of(&pledges[0]), of(&pledges[ROWS - 1]));
        assert_eq!(first.0["quantity"], 1, "{backend}: {first:?}");
        assert_eq!(first.1["quantity"], 2, "{backend}: {first:?}");
        assert_eq!(last.1["notes"], "noted", "{backend}: {last:?}");
        for p in [&pledges[0], &pledges[QUANTITIES], &pledges[ROWS - 1]] {
            let versions = store.pledge_history(p.id).await.unwrap();
            assert_eq!(versions.len(), 2, "{backend}: {}", p.pledge_ref);
        }
    }
}
