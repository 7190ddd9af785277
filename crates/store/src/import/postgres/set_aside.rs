//! Setting aside, for a bulk load (`bulk_load.rs`), the coverage index, the foreign keys of
//! `pledges` and `pledge_partners` and, when no key is looked up, the unique key index.
//!
//! The drops take ACCESS EXCLUSIVE locks, held until the import commits, on `pledges`,
//! `pledge_partners` and on every table their foreign keys reference (member states,
//! capabilities, missions, conferences). That is the price of the faster load: where readers
//! would otherwise keep seeing the committed pledges, every statement touching those tables waits
//! for the rest of the import (about 9 s of a million-row load here) — board, list and report
//! pages, pledge and requirement writes, reference edits, and reading the catalog. The web app
//! reads the catalog only at start-up and after a reference edit (`AppState` keeps it in memory),
//! but a server starting up and every CLI `import` or `summary` read it, and so wait too. The
//! import takes the locks only if it can have them at once: they are asked for under a
//! [`LOCK_TIMEOUT`] `lock_timeout`, in a savepoint, and if a reader holds one of the tables longer
//! (or waiting would deadlock), the import rolls back to the savepoint, logs it, and carries on
//! row by row with the index and foreign keys in place. It asks once per import; while it waits,
//! readers arriving after it queue behind it, at most [`LOCK_TIMEOUT`] per lock.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, RuntimeErr, Statement, sqlx};

use super::{PLANNER_SCANS_AND_JOINS, PostgresTxn};
use crate::StoreError;
use crate::import::bulk_load::{HISTORY_INDEXES, SetAside, rebuilt_indexes};

/// The tables whose foreign keys a bulk load on PostgreSQL checks once at the end.
const FOREIGN_KEY_TABLES: [&str; 2] = ["pledges", "pledge_partners"];
/// How long a PostgreSQL import waits for each lock it needs before keeping everything instead.
const LOCK_TIMEOUT: &str = "2s";

/// The import turns the planner's scans and joins off for its key look-ups
/// ([`PLANNER_SCANS_AND_JOINS`]); validating a foreign key is a join over the whole table, which
/// wants them back: 0.5 s instead of 2.1 s for the four keys over 1,000,000 rows.
pub(super) fn planner_defaults() -> String {
    let settings: Vec<String> = PLANNER_SCANS_AND_JOINS
        .iter()
        .map(|s| format!("SET LOCAL {s} TO DEFAULT"))
        .collect();
    settings.join("; ")
}

/// The definition of index `name` on PostgreSQL; `None` if there is no such index.
async fn index_def(txn: &PostgresTxn, name: &str) -> Result<Option<String>, StoreError> {
    let def = txn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_get_indexdef(to_regclass($1)) AS def",
            [name.into()],
        ))
        .await?
        .map(|r| r.try_get::<Option<String>>("", "def"))
        .transpose()?
        .flatten();
    Ok(def)
}

/// About how many rows the larger of `pledge_versions` and `audit_entries` holds: the
/// planner's estimate (0 for a table never analysed), which is enough to decide whether a
/// bulk load rebuilds their indexes.
pub(crate) async fn history_rows(txn: &PostgresTxn) -> Result<u64, StoreError> {
    let rows: i64 = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT CAST(GREATEST(max(reltuples), 0) AS BIGINT) AS n FROM pg_class \
             WHERE oid IN ('pledge_versions'::regclass, 'audit_entries'::regclass)",
        ))
        .await?
        .map_or(Ok(0), |r| r.try_get("", "n"))?;
    Ok(u64::try_from(rows).unwrap_or(0))
}

/// Drops the coverage index and what `what` says — the unique key index, the foreign keys of
/// `pledges` and `pledge_partners`, the history tables' secondary indexes
/// ([`HISTORY_INDEXES`]) — if their locks can be had within [`LOCK_TIMEOUT`]; returns
/// the SQL re-creating them (`None` if nothing was dropped).
pub(crate) async fn set_aside_indexes(
    txn: &PostgresTxn,
    what: SetAside,
) -> Result<Option<String>, StoreError> {
    let history: &[&str] = if what.history { &HISTORY_INDEXES } else { &[] };
    let foreign_key_tables: &[&str] = if what.foreign_keys {
        &FOREIGN_KEY_TABLES
    } else {
        &[]
    };
    let mut indexes = Vec::new();
    let names = rebuilt_indexes(what);
    for name in names.iter().chain(history) {
        if let Some(def) = index_def(txn, name).await? {
            indexes.push((name, def));
        }
    }
    let mut drop = Vec::new();
    let mut rebuild = vec![planner_defaults()];
    let rebuilt: Vec<&str> = indexes.iter().map(|(name, _)| **name).collect();
    for (name, def) in indexes {
        drop.push(format!("DROP INDEX {name}"));
        rebuild.push(def);
    }
    for &table in foreign_key_tables {
        let foreign_keys = txn
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def \
                 FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'f' \
                 ORDER BY conname",
                [table.into()],
            ))
            .await?
            .iter()
            .map(|r| Ok((r.try_get("", "name")?, r.try_get("", "def")?)))
            .collect::<Result<Vec<(String, String)>, DbErr>>()?;
        if foreign_keys.is_empty() {
            continue;
        }
        let alter = |clause: fn(&str, &str) -> String| {
            let clauses: Vec<String> = foreign_keys.iter().map(|(n, d)| clause(n, d)).collect();
            format!("ALTER TABLE {table} {}", clauses.join(", "))
        };
        drop.push(alter(|name, _| format!("DROP CONSTRAINT {name}")));
        rebuild.push(alter(|name, def| format!("ADD CONSTRAINT {name} {def}")));
    }
    if drop.is_empty() {
        return Ok(None);
    }

    let keys = if what.foreign_keys {
        " and the foreign keys of pledges and pledge_partners"
    } else {
        ""
    };
    txn.execute_unprepared("SAVEPOINT bulk_index").await?;
    let dropped = txn
        .execute_unprepared(&format!(
            "SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'; {}",
            drop.join("; ")
        ))
        .await;
    match dropped {
        Ok(_) => {
            txn.execute_unprepared("RELEASE SAVEPOINT bulk_index")
                .await?;
            // The locks are held now; later statements wait as long as they did before.
            txn.execute_unprepared("SET LOCAL lock_timeout TO DEFAULT")
                .await?;
            tracing::info!(
                "import: {}{keys} are rebuilt at the end; their tables are locked until the \
                 import ends",
                rebuilt.join(", ")
            );
            Ok(Some(rebuild.join("; ")))
        }
        Err(e) => {
            txn.execute_unprepared("ROLLBACK TO SAVEPOINT bulk_index")
                .await?;
            if !lock_refused(&e) {
                return Err(e.into());
            }
            tracing::info!(
                "import: pledges or its reference tables stayed busy for {LOCK_TIMEOUT} \
                 ({e}); importing row by row with {}{keys} kept",
                rebuilt.join(", ")
            );
            Ok(None)
        }
    }
}

/// Whether PostgreSQL refused a lock: `lock_timeout` ran out, or waiting would have deadlocked.
fn lock_refused(e: &DbErr) -> bool {
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = e else {
        return false;
    };
    match e.as_ref() {
        // lock_not_available, deadlock_detected
        sqlx::Error::Database(e) => matches!(e.code().as_deref(), Some("55P03" | "40P01")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::planner_defaults;

    #[test]
    fn the_planner_defaults_undo_the_settings_for_key_lookups() {
        assert_eq!(
            planner_defaults(),
            "SET LOCAL enable_seqscan TO DEFAULT; \
             SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT; \
             SET LOCAL enable_bitmapscan TO DEFAULT; SET LOCAL enable_memoize TO DEFAULT"
        );
    }
}
