//! What every handler can reach: the store, the reference catalog, the live event channel
//! and its open streams, the failed-attempt limiter, and the request and connection limits.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use pledgeboard_domain::Catalog;
use pledgeboard_store::{Store, StoreError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast};

use crate::ApiError;
use crate::event_relay::EventRelay;
use crate::events::{ChangeEvent, Changes, LiveEvent};
use crate::live_streams::LiveStreams;
use crate::public_origin::PublicOrigin;
use crate::rate_limit::{DEFAULT_FAILED_ATTEMPTS_PER_MINUTE, FailedAuthLimiter};
use crate::report_cache::ReportCache;
use crate::shared_catalog::SharedCatalog;

/// Largest request body accepted by default: a JSON pledge is a few kilobytes.
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024;
/// Largest file accepted by the import routes by default.
pub const DEFAULT_MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
/// Time a client has to send a request's headers, from connecting or from the end of the
/// previous answer on a kept-alive connection (so it is the idle timeout too): a browser sends
/// its headers in one packet, and 10 s covers a congested venue Wi-Fi.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a request body may take to arrive in full: a 64 MiB import at 5 Mbit/s takes 110 s.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(120);
/// Time an answer may wait for the client to read it: a reading client empties the socket
/// buffer in milliseconds, a phone on poor Wi-Fi within seconds.
pub const DEFAULT_SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// Open connections served at once by default, when the file-descriptor limit allows: a
/// hall of a few hundred planners keeps a few connections each.
pub const DEFAULT_MAX_CONNECTIONS: usize = 10_000;
/// Events kept for a slow subscriber before it is told it missed some.
const EVENT_BUFFER: usize = 1024;
/// Imports running at once: each reads on threads of its own and a million-row import peaks
/// near 200 MiB, so two keep both cores of the venue's server busy and its memory bounded.
pub const MAX_CONCURRENT_IMPORTS: usize = 2;
/// How long an import over the limit waits for a turn before it is told to retry: a
/// delegation's file of a few hundred rows is read and checked in well under that.
pub const IMPORT_TURN_WAIT: Duration = Duration::from_secs(2);
/// The `Retry-After` given to an import that found no turn.
pub const IMPORT_RETRY_AFTER_SECONDS: u64 = 5;

/// Limits and settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Largest JSON body accepted (413 beyond).
    pub max_body_bytes: usize,
    /// Largest file an import route accepts (413 beyond).
    pub max_import_bytes: usize,
    /// Time to send a request's headers, from connecting or from the previous answer.
    pub header_timeout: Duration,
    /// Time for a request body to arrive in full (408 beyond); a GET such as the event stream
    /// has none, so it is never cut.
    pub body_timeout: Duration,
    /// Time an answer may wait for the client to read it before the connection is dropped.
    pub send_timeout: Duration,
    /// Open connections served at once; more wait in the listen backlog. Lowered at start to
    /// what the open-file limit leaves after a reserve (see `serve`).
    pub max_connections: usize,
    /// How browsers reach the site (`--public-url`): `https` makes the session cookie
    /// `Secure`, and forms must carry this origin. `None`: `http://` + the `Host` header.
    pub public_origin: Option<PublicOrigin>,
    /// Failed log-ins and unknown bearer tokens allowed per client address in a minute.
    pub failed_attempts_per_minute: NonZeroU32,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_import_bytes: DEFAULT_MAX_IMPORT_BYTES,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            send_timeout: DEFAULT_SEND_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            public_origin: None,
            failed_attempts_per_minute: NonZeroU32::new(DEFAULT_FAILED_ATTEMPTS_PER_MINUTE)
                .unwrap_or(NonZeroU32::MIN),
        }
    }
}

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: HttpSettings,
    catalog: SharedCatalog,
    events: broadcast::Sender<LiveEvent>,
    /// Tells the other instances on a PostgreSQL database about this one's changes.
    relay: EventRelay,
    live_streams: LiveStreams,
    pub(crate) failed_auth: FailedAuthLimiter,
    imports: Arc<Semaphore>,
    /// Rendered reports and board figures by (data version, parameters).
    pub(crate) reports: Arc<ReportCache>,
}

impl AppState {
    /// Builds the state with default settings, reading the catalog once from the store.
    pub async fn new(store: Store) -> Result<Self, StoreError> {
        Self::with_settings(store, HttpSettings::default()).await
    }

    /// Builds the state with the given settings.
    pub async fn with_settings(store: Store, settings: HttpSettings) -> Result<Self, StoreError> {
        let catalog = store.catalog().await?;
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let catalog = SharedCatalog::new(catalog);
        let relay = EventRelay::start(&store, events.clone(), catalog.clone());
        Ok(Self {
            live_streams: LiveStreams::new(store.clone()),
            failed_auth: FailedAuthLimiter::new(settings.failed_attempts_per_minute),
            store,
            settings,
            catalog,
            events,
            imports: Arc::new(Semaphore::new(MAX_CONCURRENT_IMPORTS)),
            reports: Arc::new(ReportCache::default()),
            relay,
        })
    }

    /// The reference catalog as it stands now.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.get()
    }

    /// Re-reads the catalog after reference data changed.
    pub async fn reload_catalog(&self) -> Result<(), StoreError> {
        self.catalog.reload(&self.store).await
    }

    /// Tells every live board about a change (nobody listening is fine), those connected
    /// to the other instances on the database included.
    pub fn publish(&self, event: ChangeEvent) {
        self.relay.announce(&event);
        self.publish_here(LiveEvent::Change(event));
    }

    /// Tells the live boards connected to this instance only.
    pub(crate) fn publish_here(&self, event: LiveEvent) {
        let _ = self.events.send(event);
    }

    /// After a change of reference data: the catalog read again, and every board told.
    pub async fn reference_changed(&self) -> Result<(), ApiError> {
        self.reload_catalog().await?;
        self.publish_change("reference", 0, 0, "update").await
    }

    /// Tells every live board about a committed change, with the data version read right
    /// after its commit.
    pub async fn publish_change(
        &self,
        entity: &'static str,
        id: i64,
        version: i32,
        action: &'static str,
    ) -> Result<(), ApiError> {
        let data_version = self.store.data_version().await?;
        self.publish(ChangeEvent {
            entity,
            id,
            version,
            action,
            data_version,
        });
        Ok(())
    }

    /// The open event streams, to end them when their credential does.
    pub fn live_streams(&self) -> &LiveStreams {
        &self.live_streams
    }

    /// A turn to run an import, waiting [`IMPORT_TURN_WAIT`] at most while
    /// [`MAX_CONCURRENT_IMPORTS`] others run; the turn ends when the permit drops.
    pub async fn import_turn(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        let turn = Arc::clone(&self.imports).acquire_owned();
        match tokio::time::timeout(IMPORT_TURN_WAIT, turn).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(ApiError::Busy {
                detail: format!(
                    "{MAX_CONCURRENT_IMPORTS} imports are running already; send the file \
                     again in a few seconds"
                ),
                retry_after_seconds: IMPORT_RETRY_AFTER_SECONDS,
            }),
        }
    }

    /// A new subscription to what live boards are sent.
    pub(crate) fn subscribe_live(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }

    /// A new subscription to the changes published in this process.
    pub fn subscribe(&self) -> Changes {
        Changes::new(self.events.subscribe())
    }
}
