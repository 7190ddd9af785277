//! Fresh, migrated databases for tests: SQLite in memory always, and a new PostgreSQL
//! database per call when `PLEDGEBOARD_TEST_POSTGRES` holds a server URL.

use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_domain::{Actor, Role};
use sea_orm::{ConnectionTrait, Database, Statement};

use crate::{ImportOptions, Store, StoreError};

/// The environment variable naming a PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "PLEDGEBOARD_TEST_POSTGRES";

/// Prefix of the throw-away databases created on the test server.
pub const TEST_DATABASE_PREFIX: &str = "pledgeboard_test_";

/// The backends the tests should run against: SQLite, plus PostgreSQL when configured.
pub fn backends() -> Vec<&'static str> {
    let mut names = vec!["sqlite"];
    if std::env::var(POSTGRES_ENV).is_ok_and(|v| !v.trim().is_empty()) {
        names.push("postgres");
    }
    names
}

/// The PostgreSQL server a PostgreSQL-only test runs on, from [`POSTGRES_ENV`]; without one it
/// says on stderr that `test` was NOT RUN (past the test harness's capture, as the browser
/// tests do), so that a skipped test is not mistaken for a passing one.
pub fn postgres_or_not_run(test: &str) -> Option<String> {
    if let Ok(server) = std::env::var(POSTGRES_ENV)
        && !server.trim().is_empty()
    {
        return Some(server);
    }
    use std::io::Write as _;
    let _ = writeln!(
        std::io::stderr(),
        "{test} NOT RUN: set {POSTGRES_ENV} to a PostgreSQL server URL"
    );
    None
}

/// A URL for a new empty database of the named backend ("sqlite" or "postgres").
pub async fn fresh_url(backend: &str) -> Result<String, StoreError> {
    match backend {
        "postgres" => {
            let server = std::env::var(POSTGRES_ENV)
                .map_err(|_| StoreError::Unavailable(format!("{POSTGRES_ENV} is not set")))?;
            let name = format!("{TEST_DATABASE_PREFIX}{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(server.as_str())
                .await
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await?;
            admin.close().await.ok();
            Ok(replace_database(&server, &name))
        }
        _ => Ok("sqlite::memory:".to_owned()),
    }
}

/// A fresh database of the named backend with the real migrations and reference data.
pub async fn fresh_store(backend: &str) -> Result<Store, StoreError> {
    let store = Store::connect(&fresh_url(backend).await?).await?;
    store.migrate().await?;
    store.load_reference_fixtures().await?;
    Ok(store)
}

/// A test's own actor, with `role` and no member state.
pub fn actor(role: Role) -> Actor {
    Actor {
        token_id: 0,
        name: "store test".into(),
        role,
        member_state: None,
    }
}

/// Imports a CSV text for real, as a planner, against the stored catalog.
pub async fn import_csv(store: &Store, csv: &str) -> Result<ImportReport, StoreError> {
    let catalog = store.catalog().await?;
    let table = table_from_bytes(csv.as_bytes().to_vec())
        .map_err(|e| StoreError::Invalid(format!("{e:?}")))?;
    let options = ImportOptions::default();
    store
        .import_pledges(&catalog, table, &actor(Role::Planner), &options)
        .await
}

/// Writes `cents` as the monthly cost of `state`'s pledge `reference` straight into its row,
/// bypassing every rule, as a value stored before the bound on monthly costs would be.
pub async fn store_monthly_cost_cents(
    store: &Store,
    state: &str,
    reference: &str,
    cents: i64,
) -> Result<(), StoreError> {
    let backend = store.db.get_database_backend();
    let changed = store
        .db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "UPDATE pledges SET monthly_cost_cents = $1 WHERE member_state = $2 AND pledge_ref = $3",
            [cents.into(), state.into(), reference.into()],
        ))
        .await?
        .rows_affected();
    match changed {
        1 => Ok(()),
        _ => Err(StoreError::NotFound(
            format!("pledge {state} {reference}").into(),
        )),
    }
}

/// Writes `target` as the pledge that `state`'s pledge `reference` supersedes, straight into
/// its row, bypassing the lineage rules, as a write checked at the same moment as another
/// would.
pub async fn store_supersedes_ref(
    store: &Store,
    state: &str,
    reference: &str,
    target: &str,
) -> Result<(), StoreError> {
    let backend = store.db.get_database_backend();
    store
        .db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            "UPDATE pledges SET supersedes_ref = $1 WHERE member_state = $2 AND pledge_ref = $3",
            [target.into(), state.into(), reference.into()],
        ))
        .await?;
    Ok(())
}

/// Ends a web session by its clock, not by logging out: its expiry moved an hour into the past.
pub async fn expire_session(store: &Store, session: &str) -> Result<(), StoreError> {
    let expired = crate::clock::now() - chrono::Duration::hours(1);
    let changed = store
        .db
        .execute_raw(Statement::from_sql_and_values(
            store.db.get_database_backend(),
            "UPDATE sessions SET expires_at = $1 WHERE id_hash = $2",
            [
                expired.into(),
                crate::access::tokens::hash(session.trim()).into(),
            ],
        ))
        .await?
        .rows_affected();
    match changed {
        1 => Ok(()),
        _ => Err(StoreError::NotFound("that session".into())),
    }
}

/// How many pledges have a reference starting with `prefix`, and how many distinct
/// (member state, reference) keys they have.
pub async fn count_pledges_with_ref_prefix(
    store: &Store,
    prefix: &str,
) -> Result<(i64, i64), StoreError> {
    let row = store
        .db
        .query_one_raw(Statement::from_sql_and_values(
            store.db.get_database_backend(),
            "SELECT count(*) AS n, count(DISTINCT member_state || ':' || pledge_ref) AS keys \
             FROM pledges WHERE pledge_ref LIKE $1",
            [format!("{prefix}%").into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Other("no count".into()))?;
    Ok((row.try_get("", "n")?, row.try_get("", "keys")?))
}

/// How many member states the reference data holds.
pub async fn count_member_states(store: &Store) -> Result<i64, StoreError> {
    let row = store
        .db
        .query_one_raw(Statement::from_string(
            store.db.get_database_backend(),
            "SELECT count(*) AS n FROM member_states",
        ))
        .await?
        .ok_or_else(|| StoreError::Other("no count".into()))?;
    Ok(row.try_get("", "n")?)
}

/// Records `version` as a migration the database has run, as a later release would have.
pub async fn record_migration(store: &Store, version: &str) -> Result<(), StoreError> {
    store
        .db
        .execute_raw(Statement::from_sql_and_values(
            store.db.get_database_backend(),
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ($1, 0)",
            [version.into()],
        ))
        .await?;
    Ok(())
}

/// Swaps the database name in a `postgres://` URL, keeping any query string.
fn replace_database(server: &str, name: &str) -> String {
    let (base, query) = server
        .split_once('?')
        .map_or((server, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_end..].find('/') {
        Some(i) => &base[..authority_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{name}?{q}"),
        None => format!("{root}/{name}"),
    }
}

/// SQLite's plan for `sql` (`EXPLAIN QUERY PLAN`), one line of detail per step.
pub async fn query_plan(
    store: &Store,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<String>, StoreError> {
    let plan = store
        .db
        .query_all_raw(Statement::from_sql_and_values(
            store.db.get_database_backend(),
            format!("EXPLAIN QUERY PLAN {sql}"),
            values,
        ))
        .await?;
    plan.iter()
        .map(|r| Ok(r.try_get::<String>("", "detail")?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn the_database_name_is_replaced() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            replace_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
        assert_eq!(
            replace_database("postgres://h/db?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
    }
}
