//! Live events across the instances that share one PostgreSQL database: each instance tells
//! the others about the changes it committed (`NOTIFY`, through the store's change feed) and
//! hands theirs to its own live boards (`LISTEN`). A board connected to instance B thus hears
//! of a pledge saved through instance A within the time a notification takes (milliseconds).
//!
//! - One announcer task per instance sends the changes in the order they were published,
//!   those queued meanwhile in one statement.
//! - One listener task per instance keeps a connection listening. When it is lost, the task
//!   opens a new one (every [`RECONNECT_PAUSE`] until the database answers) and then tells its
//!   boards to `resync`, since notifications sent meanwhile are gone.
//! - A change of reference data told by another instance makes this one read its catalog
//!   again. The report cache needs nothing: its keys carry the data version, which every
//!   request reads from the shared database, so an answer of an older version is never served
//!   once the change has committed; old entries age out.
//!
//! On SQLite (one instance per file) events stay in the process and no task runs.

use std::sync::Arc;
use std::time::Duration;

use pledgeboard_store::{Backend, Heard, Store};
use tokio::sync::{broadcast, mpsc};
use tokio::task::AbortHandle;

use crate::events::{ChangeEvent, LiveEvent};
use crate::shared_catalog::SharedCatalog;

/// How long the listener waits before trying the database again after losing it.
pub const RECONNECT_PAUSE: Duration = Duration::from_secs(1);
/// Changes sent to the other instances in one statement at most.
const ANNOUNCE_BATCH: usize = 256;
/// What boards are told when the link to the other instances is back.
pub const RESYNC_RECONNECTED: &str =
    "the connection to the database was lost and is back: changes may have been missed";

/// What boards are told when another instance announced a change this one cannot read.
pub const RESYNC_UNKNOWN: &str = "another server announced a change this one cannot read";

/// This instance's side of the relay; cheap to clone. When the last clone goes (the app
/// state it belongs to is dropped), the announcer ends once its queue is sent and the listener
/// is stopped, closing its connection.
#[derive(Clone)]
pub(crate) struct EventRelay {
    /// Tells this instance's own messages from the others'.
    instance: u64,
    /// The announcer task's queue; `None` on SQLite.
    outbox: Option<mpsc::UnboundedSender<String>>,
    _listener: Option<Arc<StopOnDrop>>,
}

/// Stops a task when dropped.
struct StopOnDrop(AbortHandle);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What the listener hands the others' changes to: this instance's boards and catalog.
struct Here {
    instance: u64,
    store: Store,
    events: broadcast::Sender<LiveEvent>,
    catalog: SharedCatalog,
}

impl EventRelay {
    /// The relay of a new instance; on PostgreSQL its announcer and listener tasks start.
    pub(crate) fn start(
        store: &Store,
        events: broadcast::Sender<LiveEvent>,
        catalog: SharedCatalog,
    ) -> Self {
        let instance = uuid::Uuid::new_v4().as_u64_pair().0;
        if store.backend() != Backend::Postgres {
            return Self {
                instance,
                outbox: None,
                _listener: None,
            };
        }
        let (outbox, queue) = mpsc::unbounded_channel();
        tokio::spawn(announce_in_order(store.clone(), queue));
        let here = Here {
            instance,
            store: store.clone(),
            events,
            catalog,
        };
        let listener = tokio::spawn(listen(here)).abort_handle();
        Self {
            instance,
            outbox: Some(outbox),
            _listener: Some(Arc::new(StopOnDrop(listener))),
        }
    }

    /// Queues `event` for the other instances (nothing to do on SQLite).
    pub(crate) fn announce(&self, event: &ChangeEvent) {
        if let Some(outbox) = &self.outbox {
            let _ = outbox.send(event.to_wire(self.instance));
        }
    }
}

/// Sends the queued changes, in order, batching those that wait.
async fn announce_in_order(store: Store, mut queue: mpsc::UnboundedReceiver<String>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < ANNOUNCE_BATCH {
            match queue.try_recv() {
                Ok(message) => batch.push(message),
                Err(_) => break,
            }
        }
        if let Err(e) = store.announce(&batch).await {
            // The other instances' listeners lost the database too, and resync their boards
            // when it is back.
            tracing::warn!(error = %e, changes = batch.len(), "telling the other instances failed");
        }
    }
}

async fn listen(here: Here) {
    let mut missed = false;
    loop {
        let mut listener = match here.store.listen_for_changes().await {
            Ok(Some(listener)) => listener,
            Ok(None) => return,
            Err(e) => {
                if !missed {
                    tracing::warn!(error = %e, "cannot listen for the other instances' changes; retrying");
                }
                missed = true;
                tokio::time::sleep(RECONNECT_PAUSE).await;
                continue;
            }
        };
        if missed {
            tracing::info!("listening for the other instances' changes again");
            let _ = here.events.send(LiveEvent::Resync(RESYNC_RECONNECTED));
        }
        while let Heard::Message(message) = listener.next().await {
            here.hand_over(&message).await;
        }
        tracing::warn!("lost the connection listening for the other instances' changes");
        missed = true;
    }
}

impl Here {
    /// Hands another instance's change to this instance's boards, reading the catalog
    /// again first when reference data changed.
    async fn hand_over(&self, message: &str) {
        let Some((from, event)) = ChangeEvent::from_wire(message) else {
            // From an instance of another version: something changed that this one cannot
            // name, so its boards fetch themselves again rather than miss it.
            tracing::debug!(message, "a change message this version does not understand");
            let _ = self.events.send(LiveEvent::Resync(RESYNC_UNKNOWN));
            return;
        };
        if from == self.instance {
            return;
        }
        if event.entity == "reference"
            && let Err(e) = self.catalog.reload(&self.store).await
        {
            tracing::warn!(error = %e, "re-reading the reference data changed by another instance failed");
        }
        let _ = self.events.send(LiveEvent::Change(event));
    }
}
