//! SQLite's pledge writes, one writer task for the process. SQLite has one writer: with each
//! request in a transaction of its own, the pooled connections took turns at its lock and the
//! losers slept in the busy handler (at 32 concurrent clients, 919 creations a second with a
//! p99 of 549 ms). Instead each request queues its write here and awaits its answer; one task
//! takes whatever is queued (up to [`GROUP_MAX`]) and commits it in one transaction, each
//! write in a savepoint of its own (`group.rs`).
//!
//! Each write is still a change of its own: its own pledge version, audit entry and data
//! version (raised by one per write, in queue order), and its own answer — a duplicate key
//! (409), a stale version (412) or any other refusal rolls back to its savepoint and is told
//! to that request alone. Answers are sent once the group's commit succeeded; if the commit
//! fails, every write of the group hears so. While an import of this process holds the
//! writer, writes are refused at once as busy (`writer_gate.rs`), as before.
//!
//! PostgreSQL keeps one transaction per write: several writers work there at once.

mod group;

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use tokio::sync::{mpsc, oneshot};

use crate::StoreError;
use crate::pledges::change::{CommittedPledge, PledgeWrite};
use crate::writer_gate::WriterGate;

/// Writes committed together at most. A group holds whatever was queued while the previous one
/// was written, so its size follows the load (at 32 clients, up to the 32 waiting); the cap
/// keeps one group's writing, which every write in it waits for, to a few tens of ms.
pub(crate) const GROUP_MAX: usize = 64;
/// Writes that may wait for the writer; further requests wait to queue (backpressure), so
/// memory stays bounded whatever the number of clients.
const QUEUE_CAPACITY: usize = 256;

/// A queued write and where its answer goes.
struct Job {
    write: PledgeWrite,
    answer: oneshot::Sender<Result<CommittedPledge, StoreError>>,
}

/// The way to the writer task; cheap to clone. The task ends when every clone is dropped.
#[derive(Debug, Clone)]
pub(crate) struct WriteQueue {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("write", &self.write).finish()
    }
}

impl WriteQueue {
    /// Starts the writer task on the current tokio runtime, writing through `db`; `None`
    /// outside a runtime (writes then run in transactions of their own).
    pub(crate) fn start(db: DatabaseConnection, gate: Arc<WriterGate>) -> Option<Self> {
        let runtime = tokio::runtime::Handle::try_current().ok()?;
        let (jobs, queued) = mpsc::channel(QUEUE_CAPACITY);
        runtime.spawn(group::run(db, gate, queued));
        Some(Self { jobs })
    }

    /// Queues `write` and waits for its answer, given once its group committed. `Err(write)`
    /// gives the write back when the task is gone (its runtime ended), so that the caller can
    /// write it itself.
    pub(crate) async fn submit(
        &self,
        write: PledgeWrite,
    ) -> Result<Result<CommittedPledge, StoreError>, PledgeWrite> {
        let (answer, answered) = oneshot::channel();
        if let Err(mpsc::error::SendError(job)) = self.jobs.send(Job { write, answer }).await {
            return Err(job.write);
        }
        Ok(answered.await.unwrap_or_else(|_| {
            Err(StoreError::Other(
                "the database writer stopped before answering".to_owned(),
            ))
        }))
    }
}
