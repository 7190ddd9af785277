//! SQLite's side of a pledge import: each batch lent to SQLite as a table
//! (`pledgeboard_rows(?)`, see `vtab.rs`) and read by one statement, instead of one bound
//! value per cell. A batch of changes is written the same way: superseded versions, pledges
//! (`UPDATE … FROM pledgeboard_rows(?)`), details and audit entries, one statement each.

mod vtab;

use chrono::{DateTime, Utc};
use pledgeboard_domain::{Actor, MemberStateCode, Pledge, PledgeRef};
use sea_orm::{ConnectionTrait, DbBackend, IdenStatic, Iterable, Statement, Value};

use vtab::FUNCTION;
pub(crate) use vtab::register;

use crate::StoreError;
use crate::entities::{pledge, pledge_equipment, pledge_partner};
use crate::import::batch::{
    ChangedColumns, NewPledges, PLEDGE_CELLS, UPDATE_CELLS, UpdatedPledges, key_rows,
    pledge_columns,
};
use crate::import::bulk_load::{SetAside, rebuilt_indexes};
use crate::import::cells::Rows;
use crate::import::{IMPORT_ACTION, changed_meanwhile};
use crate::pledges::row::assemble;

/// Rows read, checked and written together on SQLite. 10,000-row batches measured slower
/// than 1,000-row ones, with peak memory at 240 MiB instead of 193 (1,000,000 new rows, when
/// the per-row statements of an earlier write path dominated). 4,000 since a batch of changes
/// is six statements whatever its size: a million changed rows took 35.4–41.3 s (median
/// 36.8 s) against 41.4–44.7 s (41.9 s) in 1,000-row batches, creating them the same
/// (7 December 2026, three runs each, alternating). Three batches are held at once (see
/// `pipeline.rs`): about 200 MiB at the peak with a million changed rows, as before.
pub const BATCH_ROWS: usize = 4000;

/// The stored pledges under these keys, with their partners and equipment, read as one
/// value: a JSON array holding, for each pledge, its columns (in the entity's order), its
/// partner rows and its equipment rows (in order). One value per batch instead of a row at a
/// time (sqlx hands rows from its connection thread to the caller one by one, and a re-import
/// reads a million of them), and one statement instead of three. Parsed by [`parse_pledges`]
/// when the batch is planned, beside the writing of the batch ahead: parsing as it was read
/// kept the database's thread waiting 2.1 s of a million changed rows, and the details' two
/// look-ups took 1.7 s more.
pub(crate) async fn pledges_by_key(
    conn: &impl ConnectionTrait,
    keys: &[(&MemberStateCode, &PledgeRef)],
) -> Result<String, StoreError> {
    let pledge = qualified::<pledge::Column>("p");
    let partner = qualified::<pledge_partner::Column>("pp");
    let equipment = qualified::<pledge_equipment::Column>("e");
    // CROSS JOIN keeps the batch as the outer loop: one index probe per key. `json(…)` keeps
    // each subquery's array JSON rather than text inside the pledge's array.
    let sql = format!(
        "SELECT json_group_array(json_array(json_array({pledge}), \
         json((SELECT json_group_array(json_array({partner})) FROM pledge_partners AS pp \
               WHERE pp.pledge_id = p.id)), \
         json((SELECT json_group_array(json_array({equipment})) FROM \
               (SELECT * FROM pledge_equipment WHERE pledge_id = p.id ORDER BY id) AS e)))) \
         AS rows FROM {FUNCTION}(?1) AS k \
         CROSS JOIN pledges AS p ON p.member_state = k.c0 AND p.pledge_ref = k.c1"
    );
    let row = key_rows(keys).lend().query_one(conn, sql, []).await?;
    let json: Option<String> = row.map(|r| r.try_get("", "rows")).transpose()?;
    Ok(json.unwrap_or_else(|| "[]".to_owned()))
}

/// An entity's columns, in its order, each behind `prefix.`.
fn qualified<C: Iterable + IdenStatic>(prefix: &str) -> String {
    C::iter()
        .map(|c| format!("{prefix}.{}", c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stored pledge as [`pledges_by_key`] reads it.
type PledgeJson = (
    pledge::Model,
    Vec<pledge_partner::Model>,
    Vec<pledge_equipment::Model>,
);

/// The pledges [`pledges_by_key`] read.
pub(crate) fn parse_pledges(json: &str) -> Result<Vec<Pledge>, StoreError> {
    let read: Vec<PledgeJson> = serde_json::from_str(json)
        .map_err(|e| StoreError::Corrupt(format!("a stored pledge: {e}")))?;
    let (mut rows, mut partners, mut equipment) = (Vec::with_capacity(read.len()), vec![], vec![]);
    for (row, p, e) in read {
        rows.push(row);
        partners.extend(p);
        equipment.extend(e);
    }
    assemble(rows, partners, equipment)
}

/// The statement answering `id`: the first id free for a new pledge, past every id `pledges`
/// has ever held (`AUTOINCREMENT`'s rule). The import is SQLite's one writer, so the ids after
/// it are free too.
fn first_free_id_statement() -> Statement {
    Statement::from_string(
        DbBackend::Sqlite,
        "SELECT max(ifnull((SELECT seq FROM sqlite_sequence WHERE name = 'pledges'), 0), \
         ifnull((SELECT max(id) FROM pledges), 0)) + 1 AS id",
    )
}

/// The statement inserting a batch of new pledges, numbered from `?4` in batch order, made at
/// `?2` by `?3` (their partners are written separately).
fn insert_sql() -> String {
    let cells: Vec<String> = (0..PLEDGE_CELLS).map(|i| format!("c{i}")).collect();
    let columns = pledge_columns("");
    format!(
        "INSERT INTO pledges (id, {columns}, version, created_at, updated_at, \
         updated_by) SELECT ?4 + rowid, {}, 1, ?2, ?2, ?3 FROM {FUNCTION}(?1)",
        cells.join(", ")
    )
}

/// The statement inserting the partners of a batch of pledges just inserted, numbered from
/// `?2`.
fn partners_sql() -> String {
    format!(
        "INSERT INTO pledge_partners (pledge_id, member_state, role) \
         SELECT ?2 + c0, c1, c2 FROM {FUNCTION}(?1)"
    )
}

/// Inserts a batch of new pledges and their partners, numbered past every id stored.
pub(crate) async fn insert_batch(
    txn: &impl ConnectionTrait,
    batch: NewPledges,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let first_id: i64 = txn
        .query_one_raw(first_free_id_statement())
        .await?
        .map_or(Ok(1), |r| r.try_get("", "id"))?;
    let NewPledges { pledges, partners } = batch;
    let more = [Value::from(at), Value::from(by), Value::from(first_id)];
    pledges.lend().execute(txn, insert_sql(), more).await?;
    if partners.len() > 0 {
        let more = [Value::from(first_id)];
        partners.lend().execute(txn, partners_sql(), more).await?;
    }
    Ok(())
}

/// The statement writing each changed pledge's stored row, as it stands before the change, as
/// its superseded version, valid until `?2` (only rows still at the version the change
/// replaces).
fn versions_statement() -> String {
    let (columns, stored) = (pledge_columns(""), pledge_columns("p."));
    format!(
        "INSERT INTO pledge_versions (pledge_id, version, valid_from, valid_to, changed_by, \
         {columns}, partners, equipment, created_at) \
         SELECT p.id, p.version, p.updated_at, ?2, p.updated_by, {}, b.c{}, b.c{}, p.created_at \
         FROM {FUNCTION}(?1) AS b CROSS JOIN pledges AS p ON p.id = b.c0 AND p.version = b.c1",
        stored,
        UPDATE_CELLS - 2,
        UPDATE_CELLS - 1,
    )
}

/// The statement giving each changed pledge its new values (the `changed` columns) and next
/// version, made at `?2` by `?3` (only rows still at the version the change replaces). The key
/// (member state, reference) is matched, not set: a change never moves it, and leaving it out
/// of `SET` spares SQLite rewriting the unique key index for every row.
fn update_statement(changed: ChangedColumns) -> String {
    let mut set: Vec<String> = changed
        .set()
        .map(|(i, c)| format!("{c} = b.c{}", i + 2))
        .collect();
    set.push("version = b.c1 + 1, updated_at = ?2, updated_by = ?3".to_owned());
    format!(
        "UPDATE pledges SET {} \
         FROM {FUNCTION}(?1) AS b WHERE pledges.id = b.c0 AND pledges.version = b.c1 \
         AND pledges.member_state = b.c2 AND pledges.pledge_ref = b.c3",
        set.join(", ")
    )
}

/// Writes a batch of changes: the superseded versions, the pledges, their replaced partners
/// and equipment, and the audit entries, one statement each.
pub(crate) async fn update_batch(
    txn: &impl ConnectionTrait,
    batch: UpdatedPledges,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let UpdatedPledges {
        pledges,
        changed,
        replaced,
        partners,
        equipment,
        audit,
        ..
    } = batch;
    let expected = pledges.len() as u64;
    let changes = pledges.lend();
    let versions = changes
        .execute(txn, versions_statement(), [Value::from(at)])
        .await?;
    let more = [Value::from(at), Value::from(actor.name.as_str())];
    let updated = changes
        .execute(txn, update_statement(changed), more)
        .await?;
    if versions.rows_affected() != expected || updated.rows_affected() != expected {
        return Err(changed_meanwhile());
    }
    drop(changes);
    if !replaced.is_empty() {
        let mut ids = Rows::new(1, replaced.len());
        for id in replaced {
            ids.int(Some(id));
        }
        let ids = ids.lend();
        for table in ["pledge_partners", "pledge_equipment"] {
            let sql =
                format!("DELETE FROM {table} WHERE pledge_id IN (SELECT c0 FROM {FUNCTION}(?1))");
            ids.execute(txn, sql, []).await?;
        }
        let inserts = [
            (
                partners,
                "pledge_partners (pledge_id, member_state, role)",
                "c0, c1, c2",
            ),
            (
                equipment,
                "pledge_equipment (pledge_id, category, description, quantity, lease)",
                "c0, c1, c2, c3, c4",
            ),
        ];
        for (rows, into, cells) in inserts {
            if rows.len() > 0 {
                let sql = format!("INSERT INTO {into} SELECT {cells} FROM {FUNCTION}(?1)");
                rows.lend().execute(txn, sql, []).await?;
            }
        }
    }
    let sql = format!(
        "INSERT INTO audit_entries (at, actor_name, actor_role, action, entity, entity_id, \
         before, after) SELECT ?2, ?3, ?4, ?5, ?6, CAST(c0 AS TEXT), c1, c2 FROM {FUNCTION}(?1)"
    );
    let more = [
        Value::from(at),
        Value::from(actor.name.as_str()),
        Value::from(actor.role.to_string()),
        Value::from(IMPORT_ACTION),
        Value::from("pledge"),
    ];
    audit.lend().execute(txn, sql, more).await?;
    Ok(())
}

/// Drops the coverage index and, as `what` says, the unique key index and the lineage index;
/// returns their `CREATE INDEX` statements (`None` if there are none). SQLite's foreign keys
/// are part of the table's definition and stay.
pub(crate) async fn set_aside_indexes(
    txn: &impl ConnectionTrait,
    what: SetAside,
) -> Result<Option<String>, StoreError> {
    let mut rebuild = Vec::new();
    for name in rebuilt_indexes(what) {
        let row = txn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                [name.into()],
            ))
            .await?;
        if let Some(sql) = row.map(|r| r.try_get::<String>("", "sql")).transpose()? {
            txn.execute_unprepared(&format!("DROP INDEX {name}"))
                .await?;
            rebuild.push(sql);
        }
    }
    Ok((!rebuild.is_empty()).then(|| rebuild.join("; ")))
}

#[cfg(test)]
mod tests {
    use pledgeboard_domain::{MemberStateCode, PledgeRef};
    use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

    use super::{parse_pledges, pledges_by_key};
    use crate::entities::pledge;
    use crate::pledges::read::with_details;
    use crate::testing::{fresh_store, import_csv};

    #[tokio::test]
    async fn pledges_read_as_json_equal_the_pledges_read_by_the_entities() {
        let store = fresh_store("sqlite").await.unwrap();
        let file = "pledge_ref,member_state,capability,quantity,readiness,available_from,\
             duration_months,mission,conference,caveats,monthly_cost_usd,notes,renewed_on,partners\n\
             J-1,PAK,INF-BN,2,L2,2027-01-15,12,UNMISS,,\"say \"\"hi\"\", \\ {x}\",1234.56,\"é\nline two\",,KOR:trains;JPN:equips\n\
             J-2,GHA,INF-COY,1,,,,,,,,,,\n";
        let report = import_csv(&store, file).await.unwrap();
        assert_eq!((report.created, report.errors.len()), (2, 0), "{report:?}");
        // Equipment comes through the API, not files: two lines, out of alphabetical order.
        store
            .db
            .execute_unprepared(
                "INSERT INTO pledge_equipment (pledge_id, category, description, quantity, lease) \
                 SELECT id, 'vehicles', 'APC \"Puma\"', 12, 'wet' FROM pledges WHERE pledge_ref = 'J-1'; \
                 INSERT INTO pledge_equipment (pledge_id, category, description, quantity, lease) \
                 SELECT id, 'aviation', 'utility helicopter', 3, 'dry' FROM pledges WHERE pledge_ref = 'J-1'",
            )
            .await
            .unwrap();

        let models = pledge::Entity::find()
            .order_by_asc(pledge::Column::Id)
            .all(&store.db)
            .await
            .unwrap();
        let expected = with_details(&store.db, models).await.unwrap();
        assert_eq!(expected[0].partners.len(), 2);
        assert_eq!(expected[0].equipment.len(), 2);
        let keys = [
            (
                MemberStateCode::parse("PAK").unwrap(),
                PledgeRef::parse("J-1").unwrap(),
            ),
            (
                MemberStateCode::parse("GHA").unwrap(),
                PledgeRef::parse("J-2").unwrap(),
            ),
            (
                MemberStateCode::parse("FRA").unwrap(),
                PledgeRef::parse("NONE").unwrap(),
            ),
        ];
        let keys: Vec<_> = keys.iter().map(|(s, r)| (s, r)).collect();
        let json = pledges_by_key(&store.db, &keys).await.unwrap();
        let mut read = parse_pledges(&json).unwrap();
        read.sort_by_key(|p| p.id);
        assert_eq!(read, expected);
    }

    #[test]
    fn a_batch_of_changes_sets_its_changed_columns_and_the_version_alone() {
        use crate::import::batch::{ChangedColumns, PLEDGE_CELLS};
        use crate::pledges::row::{COLUMNS, Cell};

        let quantity = COLUMNS.iter().position(|c| *c == "quantity").unwrap();
        let before = [Cell::Text(None); PLEDGE_CELLS];
        let mut after = before;
        after[quantity] = Cell::Int(Some(3));
        let mut changed = ChangedColumns::default();
        changed.note(&before, &after);
        let sql = super::update_statement(changed);
        let set = &sql[..sql.find(" FROM ").unwrap()];
        assert_eq!(
            set,
            format!(
                "UPDATE pledges SET quantity = b.c{}, version = b.c1 + 1, updated_at = ?2, \
                 updated_by = ?3",
                quantity + 2
            )
        );
        let nothing = super::update_statement(ChangedColumns::default());
        assert!(nothing.starts_with("UPDATE pledges SET version = b.c1 + 1, updated_at"));
    }

    #[tokio::test]
    async fn new_pledges_take_ids_past_every_id_the_table_has_held() {
        let store = fresh_store("sqlite").await.unwrap();
        let import = async |file: &str| {
            let report = import_csv(&store, file).await.unwrap();
            assert!(report.applied, "{:?}", report.errors);
        };
        import("pledge_ref,member_state,capability,quantity\nK-1,PAK,INF-BN,1\n").await;
        // As if pledges up to id 40 had existed and been deleted since.
        store
            .db
            .execute_unprepared("UPDATE sqlite_sequence SET seq = 40 WHERE name = 'pledges'")
            .await
            .unwrap();
        import(
            "pledge_ref,member_state,capability,quantity,partners\n\
             K-2,PAK,INF-BN,1,JPN:equips\nK-3,PAK,INF-BN,1,\n",
        )
        .await;
        let ids: Vec<(String, i64)> = pledge::Entity::find()
            .order_by_asc(pledge::Column::Id)
            .all(&store.db)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.pledge_ref, p.id))
            .collect();
        assert_eq!(
            ids,
            [("K-1".into(), 1), ("K-2".into(), 41), ("K-3".into(), 42)]
        );
        let partner = store
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT pledge_id AS id FROM pledge_partners",
            ))
            .await
            .unwrap()
            .map(|r| r.try_get::<i64>("", "id").unwrap());
        assert_eq!(partner, Some(41), "the partner follows its pledge");
    }
}
