//! PostgreSQL's side of the changes a pledge import makes: each batch of changes goes with one
//! `COPY` into a temporary table, from which one `INSERT … SELECT` writes the superseded
//! versions and one `UPDATE … FROM` the pledges; replaced partners and equipment, and the audit
//! entries, go straight in with `COPY`.
//!
//! While the import holds `pledges` to itself (a bulk load has set an index of it aside, which
//! locks the table until commit; `set_aside.rs`), no one else can change a pledge before the
//! import ends, so the batches' changes are staged in the temporary table and written
//! together, by hash joins, when the file ends (or when a batch changes other columns than the
//! ones staged). For a million changed quantities (8 December 2026, psql, 2 cores), the two
//! statements took 3.2 s and 3.9 s over the whole table against 4.9 s and 4.7 s in 200
//! batches of 5,000 by index probes, and the 200 empty-and-refill rounds of the temporary
//! table 0.4 s. Otherwise each batch is written as it comes, so that a pledge someone changes
//! meanwhile is caught (`changed_meanwhile`) only if it is changed between its own batch's
//! read and write.

use std::io::Write as _;

use chrono::{DateTime, Utc};
use pledgeboard_domain::Actor;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use super::copy::{PARTNERS_COPY_STATEMENT, copy_cells, copy_escaped, copy_rows, copy_timestamp};
use super::set_aside::planner_defaults;
use super::txn::PostgresTxn;
use super::{BATCH_ROWS, int_array, set_planner_for_key_lookups};
use crate::StoreError;
use crate::import::batch::{ChangedColumns, UPDATE_CELLS, UpdatedPledges, pledge_columns};
use crate::import::cells::Rows;
use crate::import::{IMPORT_ACTION, changed_meanwhile};

/// The temporary table a batch of changes is copied into; dropped when the import ends.
const UPDATES: &str = "pledgeboard_updates";

/// Server memory for each hash of the staged changes when they are written together: a
/// million changed quantities hash in about 60 MB, and in batches on disk with PostgreSQL's
/// default (4 MB).
const STAGED_WORK_MEM: &str = "64MB";

/// Changes copied into [`UPDATES`] and not yet written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Staged {
    /// The columns they change: the same for every staged batch.
    changed: ChangedColumns,
    /// How many.
    rows: u64,
}

/// Makes the temporary table, on the import's first batch of changes: the columns of `pledges`
/// that a change sets, typed as there, plus the replaced version's partners and equipment.
fn prepare_sql() -> String {
    format!(
        "CREATE TEMPORARY TABLE IF NOT EXISTS {UPDATES} ON COMMIT DROP AS \
         SELECT id, version, {}, ''::text AS partners, ''::text AS equipment \
         FROM pledges WITH NO DATA",
        pledge_columns("")
    )
}

/// What a batch's `COPY` into [`UPDATES`] sends of each row, after its id: the version it
/// replaces, the `changed` columns, and the replaced version's partners and equipment — as
/// columns of [`UPDATES`], and as places among the row's [`UPDATE_CELLS`]. The columns no
/// change of the batch changes stay NULL there, unread: for a million changed quantities that
/// `COPY` took 1.0 s of server time, against 2.3 s with every column. The key is not sent: the
/// row under the id at the version read is the one read under the key (every change of a
/// pledge moves its version on).
fn copied(changed: ChangedColumns) -> (String, Vec<usize>) {
    let mut columns = vec!["version"];
    let mut cells = vec![1];
    for (i, name) in changed.set() {
        columns.push(name);
        cells.push(2 + i);
    }
    columns.extend(["partners", "equipment"]);
    cells.extend([UPDATE_CELLS - 2, UPDATE_CELLS - 1]);
    (columns.join(", "), cells)
}

/// Each changed pledge's stored row, as it stands before the change, as its superseded
/// version valid until `$1` (only rows still at the version the change replaces).
fn versions_statement(at: DateTime<Utc>) -> Statement {
    let (columns, stored) = (pledge_columns(""), pledge_columns("p."));
    let sql = format!(
        "INSERT INTO pledge_versions (pledge_id, version, valid_from, valid_to, changed_by, \
         {columns}, partners, equipment, created_at) \
         SELECT p.id, p.version, p.updated_at, $1, p.updated_by, {stored}, u.partners, u.equipment, \
         p.created_at FROM {UPDATES} u JOIN pledges p ON p.id = u.id AND p.version = u.version"
    );
    Statement::from_sql_and_values(DbBackend::Postgres, sql, [Value::from(at)])
}

/// Each changed pledge's new values (the `changed` columns) and next version, made at `$1` by
/// `$2`, if it is still at the version read; its key (member state, reference) never moves.
fn update_statement(changed: ChangedColumns, at: DateTime<Utc>, by: &str) -> Statement {
    let mut set: Vec<String> = changed.set().map(|(_, c)| format!("{c} = u.{c}")).collect();
    set.push("version = u.version + 1, updated_at = $1, updated_by = $2".to_owned());
    let sql = format!(
        "UPDATE pledges p SET {} \
         FROM {UPDATES} u WHERE p.id = u.id AND p.version = u.version",
        set.join(", ")
    );
    Statement::from_sql_and_values(DbBackend::Postgres, sql, [Value::from(at), Value::from(by)])
}

/// The audit entries as `COPY` text for [`AUDIT_COPY`]: pledge id, before, after, then when,
/// who and what.
fn audit_copy(audit: &Rows, actor: &Actor, at: DateTime<Utc>) -> Vec<u8> {
    let mut tail = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write!(tail, "\t{}\t", copy_timestamp(at));
    copy_escaped(&mut tail, &actor.name);
    tail.push(b'\t');
    copy_escaped(&mut tail, &actor.role.to_string());
    let _ = write!(tail, "\t{IMPORT_ACTION}\tpledge");
    copy_rows(audit, &tail)
}

const AUDIT_COPY: &str = "COPY audit_entries (entity_id, before, after, at, actor_name, \
     actor_role, action, entity) FROM STDIN";

const EQUIPMENT_COPY: &str =
    "COPY pledge_equipment (pledge_id, category, description, quantity, lease) FROM STDIN";

/// Writes a batch of changes: the superseded versions, the pledges, their replaced partners
/// and equipment, and the audit entries. With `stage`, while the import holds `pledges` to
/// itself, the versions and the pledges wait in [`UPDATES`] for [`write_staged`], unless the
/// batch changes other columns than the ones staged, which are then written first.
pub(crate) async fn update_batch(
    postgres: &PostgresTxn,
    batch: UpdatedPledges,
    actor: &Actor,
    at: DateTime<Utc>,
    stage: bool,
) -> Result<(), StoreError> {
    let mut staged = postgres.take_staged();
    if let Some(s) = staged.take_if(|s| s.changed != batch.changed) {
        apply(postgres, s, actor, at).await?;
    }
    if staged.is_none() {
        postgres.execute_unprepared(&prepare_sql()).await?;
    }
    let (columns, cells) = copied(batch.changed);
    let updates = copy_cells(&batch.pledges, &cells, b"");
    let copy = format!("COPY {UPDATES} (id, {columns}) FROM STDIN");
    postgres.copy_in(&copy, &updates).await?;
    drop(updates);
    let staged = Staged {
        changed: batch.changed,
        rows: staged.map_or(0, |s| s.rows) + batch.len() as u64,
    };
    if stage {
        postgres.keep_staged(staged);
    } else {
        apply(postgres, staged, actor, at).await?;
    }
    if !batch.replaced.is_empty() {
        for table in ["pledge_partners", "pledge_equipment"] {
            let sql = format!("DELETE FROM {table} WHERE pledge_id = ANY($1::bigint[])");
            let ids = int_array(&batch.replaced);
            postgres
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    sql,
                    [ids],
                ))
                .await?;
        }
        for (rows, copy) in [
            (&batch.partners, PARTNERS_COPY_STATEMENT),
            (&batch.equipment, EQUIPMENT_COPY),
        ] {
            if rows.len() > 0 {
                postgres.copy_in(copy, &copy_rows(rows, b"")).await?;
            }
        }
    }
    let audit = audit_copy(&batch.audit, actor, at);
    drop(batch);
    postgres.copy_in(AUDIT_COPY, &audit).await?;
    Ok(())
}

/// Writes the changes still staged by [`update_batch`], if any; before the import's end checks
/// what it wrote.
pub(crate) async fn write_staged(
    postgres: &PostgresTxn,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    match postgres.take_staged() {
        Some(staged) => apply(postgres, staged, actor, at).await,
        None => Ok(()),
    }
}

/// Writes the staged changes' superseded versions, then the pledges, and empties [`UPDATES`].
/// More than a batch of them are joined to `pledges` by hash (the planner's own choice, from
/// the table's statistics) rather than by the index probes a batch's key look-up is held to.
async fn apply(
    postgres: &PostgresTxn,
    staged: Staged,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let many = staged.rows > BATCH_ROWS as u64;
    if many {
        postgres
            .execute_unprepared(&format!(
                "ANALYZE {UPDATES}; {}; SET LOCAL work_mem = '{STAGED_WORK_MEM}'",
                planner_defaults()
            ))
            .await?;
    }
    let versions = postgres.execute_raw(versions_statement(at)).await?;
    let updated = postgres
        .execute_raw(update_statement(staged.changed, at, &actor.name))
        .await?;
    if versions.rows_affected() != staged.rows || updated.rows_affected() != staged.rows {
        return Err(changed_meanwhile());
    }
    if many {
        set_planner_for_key_lookups(postgres).await?;
        postgres
            .execute_unprepared("SET LOCAL work_mem TO DEFAULT")
            .await?;
    }
    postgres
        .execute_unprepared(&format!("TRUNCATE {UPDATES}"))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::batch::PLEDGE_CELLS;
    use crate::pledges::row::COLUMNS as PLEDGE_COLUMN_NAMES;
    use crate::pledges::row::Cell;

    #[test]
    fn a_batch_of_changes_sends_its_changed_columns_alone() {
        let quantity = PLEDGE_COLUMN_NAMES
            .iter()
            .position(|c| *c == "quantity")
            .unwrap();
        let before = [Cell::Text(None); PLEDGE_CELLS];
        let mut after = before;
        after[quantity] = Cell::Int(Some(3));
        let mut changed = ChangedColumns::default();
        changed.note(&before, &after);
        let (columns, cells) = copied(changed);
        assert_eq!(columns, "version, quantity, partners, equipment");
        assert_eq!(cells, [1, 2 + quantity, UPDATE_CELLS - 2, UPDATE_CELLS - 1]);
        let (columns, _) = copied(ChangedColumns::default());
        assert_eq!(columns, "version, partners, equipment");
    }
}
