//! Milestones an import records, from a file's milestone columns (`milestone_columns` in the
//! domain says what a row's dates do).
//!
//! A batch's milestones are staged in a temporary table, keyed by the pledge's member state
//! and reference, as the batch is written: a new pledge has no id until it is written, and a
//! bulk load may have set the key index aside. Once every batch is written and the indexes are
//! back, one `INSERT … SELECT` joins the staged rows to their pledges. Nothing of this runs
//! for a file without milestone columns.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pledgeboard_domain::milestone_columns::RowMilestone;
use pledgeboard_domain::{MemberStateCode, Milestone, PledgeRef};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

use super::txn::ImportTxn;
use crate::StoreError;
use crate::entities::pledge_milestone;
use crate::milestones::to_domain;

/// The staging table, private to the import's connection and gone with its transaction.
const STAGED: &str = "import_milestones";

/// Staged rows per `INSERT` (seven values each).
const STAGED_PER_STATEMENT: usize = 1_000;

/// A milestone a row records, with the pledge it goes to and the version it makes.
#[derive(Debug, Clone)]
pub(super) struct StagedMilestone {
    pub state: MemberStateCode,
    pub reference: PledgeRef,
    /// The pledge version the row's write makes (1 for a new pledge).
    pub version: i32,
    pub row: RowMilestone,
}

/// The live milestones of the pledges `ids`, by pledge.
pub(super) async fn recorded_of(
    txn: &ImportTxn,
    ids: Vec<i64>,
) -> Result<HashMap<i64, Vec<Milestone>>, StoreError> {
    let mut by_pledge: HashMap<i64, Vec<Milestone>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_pledge);
    }
    let rows = pledge_milestone::Entity::find()
        .filter(pledge_milestone::Column::PledgeId.is_in(ids))
        .filter(pledge_milestone::Column::DeletedAt.is_null())
        .all(txn)
        .await?;
    for row in rows {
        let m = to_domain(row)?;
        by_pledge.entry(m.pledge_id).or_default().push(m);
    }
    Ok(by_pledge)
}

/// Creates the staging table (the same statement on both backends: SQLite keeps a date as the
/// text it is given, whatever the column's declared type; a rolled-back import takes the table
/// with it on both).
pub(super) async fn begin_staging(txn: &ImportTxn) -> Result<(), StoreError> {
    txn.execute_unprepared(&format!(
        "CREATE TEMPORARY TABLE {STAGED} (member_state TEXT NOT NULL, pledge_ref TEXT NOT NULL, \
         kind TEXT NOT NULL, reached_on DATE NOT NULL, mission TEXT, pledge_version INTEGER NOT \
         NULL, reason TEXT NOT NULL)"
    ))
    .await?;
    Ok(())
}

/// Stages a batch's milestones.
pub(super) async fn stage(txn: &ImportTxn, staged: &[StagedMilestone]) -> Result<(), StoreError> {
    for part in staged.chunks(STAGED_PER_STATEMENT) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new(STAGED)).columns([
            Alias::new("member_state"),
            Alias::new("pledge_ref"),
            Alias::new("kind"),
            Alias::new("reached_on"),
            Alias::new("mission"),
            Alias::new("pledge_version"),
            Alias::new("reason"),
        ]);
        for s in part {
            let m = &s.row.milestone;
            insert
                .values([
                    s.state.as_str().into(),
                    s.reference.as_str().into(),
                    m.kind.as_str().into(),
                    m.date.into(),
                    m.mission.as_ref().map(|a| a.as_str().to_owned()).into(),
                    s.version.into(),
                    s.row.reason.as_str().into(),
                ])
                .map_err(|e| StoreError::Other(format!("cannot stage milestones: {e}")))?;
        }
        txn.execute(&insert).await?;
    }
    Ok(())
}

/// Records every staged milestone on its pledge (written by now, under its key), with the
/// import's author, time and source in its note; the staging table is then dropped. Returns
/// how many were recorded.
pub(super) async fn record_staged(
    txn: &ImportTxn,
    by: &str,
    at: DateTime<Utc>,
    source: &str,
) -> Result<u64, StoreError> {
    let sql = format!(
        "INSERT INTO pledge_milestones (pledge_id, kind, reached_on, mission, note, source_ref, \
         recorded_by, recorded_at, pledge_version, reason) \
         SELECT p.id, m.kind, m.reached_on, m.mission, $1, NULL, $2, $3, m.pledge_version, \
         m.reason \
         FROM {STAGED} m JOIN pledges p \
         ON p.member_state = m.member_state AND p.pledge_ref = m.pledge_ref"
    );
    let note = if source.is_empty() {
        "Recorded by an import".to_owned()
    } else {
        format!("Recorded by the import of {source}")
    };
    let recorded = txn
        .execute_raw(Statement::from_sql_and_values(
            txn.get_database_backend(),
            sql,
            [note.into(), by.into(), at.into()],
        ))
        .await?
        .rows_affected();
    txn.execute_unprepared(&format!("DROP TABLE {STAGED}"))
        .await?;
    Ok(recorded)
}
