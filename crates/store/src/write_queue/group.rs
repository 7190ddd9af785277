//! The writer task: takes the queued writes a group at a time and commits each group in one
//! transaction, every write in a savepoint of its own.

use std::sync::Arc;

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use tokio::sync::mpsc;

use super::{GROUP_MAX, Job};
use crate::StoreError;
use crate::pledges::change::{CommittedPledge, PledgeWrite};
use crate::writer_gate::WriterGate;

/// Runs until every [`super::WriteQueue`] is dropped: whatever is queued (up to
/// [`GROUP_MAX`]) is one group.
pub(super) async fn run(
    db: DatabaseConnection,
    gate: Arc<WriterGate>,
    mut queued: mpsc::Receiver<Job>,
) {
    let mut group = Vec::with_capacity(GROUP_MAX);
    while queued.recv_many(&mut group, GROUP_MAX).await > 0 {
        commit_group(&db, &gate, std::mem::take(&mut group)).await;
    }
}

/// Writes a group in one transaction and answers each write: its own outcome once the group
/// committed, the commit's error if it did not.
async fn commit_group(db: &DatabaseConnection, gate: &WriterGate, group: Vec<Job>) {
    let txn = match begin(db, gate).await {
        Ok(txn) => txn,
        Err(e) => return answer_all(group, &e),
    };
    let mut outcomes = Vec::with_capacity(group.len());
    let mut jobs = group.into_iter();
    while let Some(job) = jobs.next() {
        match in_savepoint(&txn, &job.write).await {
            Ok(outcome) => outcomes.push((job, outcome)),
            Err(broken) => {
                // The transaction may hold part of this write: none of the group is kept, and
                // the writes not yet tried are refused with it.
                drop(txn.rollback().await);
                let group = outcomes.into_iter().map(|(job, _)| job);
                return answer_all(group.chain([job]).chain(jobs), &broken);
            }
        }
    }
    let written = outcomes.iter().filter(|(_, o)| o.is_ok()).count();
    if let Err(e) = txn.commit().await {
        let e = StoreError::from(e);
        for (job, outcome) in outcomes {
            let _ = job.answer.send(outcome.and(Err(e.clone())));
        }
        return;
    }
    tracing::debug!(
        writes = outcomes.len(),
        written,
        "a group of pledge writes committed"
    );
    for (job, outcome) in outcomes {
        // A requester that went away misses its answer; its write stands, as a committed one.
        let _ = job.answer.send(outcome);
    }
}

/// Begins the group's transaction, taking SQLite's writer at once (`BEGIN IMMEDIATE`), so that
/// the busy timeout is waited once for the group, not once per write; refused at once while
/// an import of this process holds the writer.
async fn begin(
    db: &DatabaseConnection,
    gate: &WriterGate,
) -> Result<DatabaseTransaction, StoreError> {
    gate.check()?;
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(options).await?)
}

/// Writes one change in a savepoint: `Ok(outcome)` whether it was written or refused (and
/// rolled back to its savepoint); `Err` when the savepoint itself could not be released or
/// rolled back, which leaves the transaction unusable.
async fn in_savepoint(
    txn: &DatabaseTransaction,
    write: &PledgeWrite,
) -> Result<Result<CommittedPledge, StoreError>, StoreError> {
    let savepoint = txn.begin().await?;
    match write.apply(&savepoint).await {
        Ok(committed) => {
            savepoint.commit().await?;
            Ok(Ok(committed))
        }
        Err(refused) => {
            savepoint.rollback().await?;
            Ok(Err(refused))
        }
    }
}

/// Tells every write of a group that it was not written, and why.
fn answer_all(group: impl IntoIterator<Item = Job>, e: &StoreError) {
    for job in group {
        let _ = job.answer.send(Err(e.clone()));
    }
}
