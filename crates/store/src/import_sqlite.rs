//! SQLite's side of a pledge import: each batch lent to SQLite as a table
//! (`pledgeboard_rows(?)`, see `sqlite_rows.rs`) and read by one statement, instead of one bound
//! value per cell.

use chrono::{DateTime, Utc};
use pledgeboard_domain::{MemberStateCode, PledgeRef};
use sea_orm::{DbBackend, Statement, Value};

use crate::cells::Rows;
use crate::new_pledges::{PLEDGE_CELLS, PLEDGE_COLUMNS};
use crate::sqlite_rows::{FUNCTION, Loan};

/// A statement reading a lent batch.
pub(crate) struct LentStatement {
    statement: Statement,
    loan: Loan,
}

impl LentStatement {
    /// The statement, and the loan to keep until it has run (the batch goes back on drop).
    pub(crate) fn into_parts(self) -> (Statement, Loan) {
        (self.statement, self.loan)
    }
}

fn lent(sql: String, rows: Rows, more: impl IntoIterator<Item = Value>) -> LentStatement {
    let loan = rows.lend();
    let values: Vec<Value> = std::iter::once(Value::from(loan.id()))
        .chain(more)
        .collect();
    LentStatement {
        statement: Statement::from_sql_and_values(DbBackend::Sqlite, sql, values),
        loan,
    }
}

/// The statement selecting the stored pledges under these keys (whole rows).
pub(crate) fn pledges_by_key_statement(keys: &[(&MemberStateCode, &PledgeRef)]) -> LentStatement {
    let mut rows = Rows::new(2, keys.len());
    for (state, reference) in keys {
        rows.text(Some(state.as_str()));
        rows.text(Some(reference.as_str()));
    }
    // CROSS JOIN keeps the batch as the outer loop: one index probe per key.
    let sql = format!(
        "SELECT p.* FROM {FUNCTION}(?1) AS k \
         CROSS JOIN pledges AS p ON p.member_state = k.c0 AND p.pledge_ref = k.c1"
    );
    lent(sql, rows, [])
}

/// One statement inserting a batch of new pledges (their partners are written separately).
pub(crate) fn insert_statement(pledges: Rows, by: &str, at: DateTime<Utc>) -> LentStatement {
    let cells: Vec<String> = (0..PLEDGE_CELLS).map(|i| format!("c{i}")).collect();
    let sql = format!(
        "INSERT INTO pledges ({PLEDGE_COLUMNS}, version, created_at, updated_at, updated_by) \
         SELECT {}, 1, ?2, ?2, ?3 FROM {FUNCTION}(?1)",
        cells.join(", ")
    );
    lent(sql, pledges, [Value::from(at), Value::from(by)])
}

/// One statement inserting the partners of pledges just inserted, joined to them by key.
pub(crate) fn partners_statement(partners: Rows) -> LentStatement {
    let sql = format!(
        "INSERT INTO pledge_partners (pledge_id, member_state, role) \
         SELECT p.id, k.c2, k.c3 FROM {FUNCTION}(?1) AS k \
         CROSS JOIN pledges AS p ON p.member_state = k.c0 AND p.pledge_ref = k.c1"
    );
    lent(sql, partners, [])
}
