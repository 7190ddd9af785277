//! The stored pledges a batch's key look-up reads, decoded by position straight from sqlx's
//! rows. Through sea-orm's `FromQueryResult` each of a row's 25 columns was found by its name
//! (a hash look-up), and each NULL one became an error carrying the column's name, formatted,
//! before it became `None`: for a million changed pledges that was a fifth of the import's own
//! processor time (perf, 8 December 2026), spent while the database waited for the batch.

use sea_orm::Iterable as _;
use sea_orm::sqlx::Row as _;
use sea_orm::sqlx::postgres::PgRow;

use crate::StoreError;
use crate::entities::pledge;

/// The columns of `pledges` (as `p`) that a look-up selects: the entity's, in the order
/// [`model`] reads them.
pub(super) fn columns() -> String {
    let names: Vec<String> = pledge::Column::iter()
        .map(|c| format!("p.{}", sea_orm::IdenStatic::as_str(&c)))
        .collect();
    names.join(", ")
}

fn unreadable(e: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Other(format!("cannot read a stored pledge: {e}"))
}

/// The stored pledge in `row`, selected as [`columns`].
pub(super) fn model(row: &PgRow) -> Result<pledge::Model, StoreError> {
    pledge::Model::from_postgres_row(row).map_err(unreadable)
}

/// The id of the stored pledge in `row`, selected as [`columns`] (the entity's first column).
pub(super) fn id(row: &PgRow) -> Result<i64, StoreError> {
    row.try_get(0).map_err(unreadable)
}
