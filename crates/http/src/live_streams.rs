//! Open event streams and the credentials they were opened with, so that a stream ends when
//! its token is revoked (by any process on the database) or its session logs out.
//!
//! One checker task per process, running only while streams are open, asks the store every
//! [`CHECK_INTERVAL`] which of the open streams' distinct credentials are still live — one
//! statement for all token streams and one for all session streams, however many boards are
//! open — and ends the streams whose credential is not. A logout through this process ends
//! that session's streams at once.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use pledgeboard_store::{SessionKey, Store};
use tokio::sync::oneshot;

/// How often open streams' credentials are checked: a revocation takes effect within a few
/// seconds, for the price of one or two small indexed queries per interval per process.
pub const CHECK_INTERVAL: Duration = Duration::from_secs(2);

/// What a stream was opened with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Credential {
    /// A bearer token, by id.
    Token(i64),
    /// A web session (its token is checked with it).
    Session(SessionKey),
}

/// Why a stream ended, as its last event says.
pub const ENDED_CREDENTIAL: &str = "your session has ended or your token was revoked: log in again";
/// Why every stream ends when the server stops.
pub const ENDED_SHUTDOWN: &str = "the server is shutting down: reconnect in a moment";

/// The registry of open streams; cheap to clone.
#[derive(Clone)]
pub struct LiveStreams {
    inner: Arc<Mutex<Registry>>,
    store: Store,
}

#[derive(Default)]
struct Registry {
    next_id: u64,
    open: HashMap<u64, OpenStream>,
    checker_running: bool,
}

struct OpenStream {
    credential: Credential,
    stop: oneshot::Sender<&'static str>,
}

/// Held by an open stream; dropping it (the client went away) forgets the stream.
pub struct StreamTicket {
    id: u64,
    inner: Arc<Mutex<Registry>>,
}

impl Drop for StreamTicket {
    fn drop(&mut self) {
        lock(&self.inner).open.remove(&self.id);
    }
}

fn lock(inner: &Mutex<Registry>) -> MutexGuard<'_, Registry> {
    inner
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl LiveStreams {
    /// An empty registry checking credentials against `store`.
    pub fn new(store: Store) -> Self {
        Self {
            inner: Arc::default(),
            store,
        }
    }

    /// Registers a stream opened with `credential`: the receiver fires, with the reason,
    /// when the stream must end. Starts the checker if it is not running.
    pub fn open(&self, credential: Credential) -> (StreamTicket, oneshot::Receiver<&'static str>) {
        let (stop, ended) = oneshot::channel();
        let mut registry = lock(&self.inner);
        let id = registry.next_id;
        registry.next_id += 1;
        registry.open.insert(id, OpenStream { credential, stop });
        if !registry.checker_running {
            registry.checker_running = true;
            tokio::spawn(check_until_idle(
                Arc::clone(&self.inner),
                self.store.clone(),
            ));
        }
        let ticket = StreamTicket {
            id,
            inner: Arc::clone(&self.inner),
        };
        (ticket, ended)
    }

    /// Ends the streams of a session that logged out here.
    pub fn end_session(&self, session: &SessionKey) {
        let credential = Credential::Session(session.clone());
        self.end_where(|c| *c == credential, ENDED_CREDENTIAL);
    }

    /// Ends every stream (the server is stopping).
    pub fn end_all(&self) {
        self.end_where(|_| true, ENDED_SHUTDOWN);
    }

    /// How many streams are open.
    pub fn len(&self) -> usize {
        lock(&self.inner).open.len()
    }

    /// Whether no stream is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn end_where(&self, ends: impl Fn(&Credential) -> bool, reason: &'static str) {
        end_where(&self.inner, ends, reason);
    }
}

fn end_where(inner: &Mutex<Registry>, ends: impl Fn(&Credential) -> bool, reason: &'static str) {
    let mut registry = lock(inner);
    let ended: Vec<u64> = registry
        .open
        .iter()
        .filter(|(_, s)| ends(&s.credential))
        .map(|(id, _)| *id)
        .collect();
    for id in ended {
        if let Some(stream) = registry.open.remove(&id) {
            let _ = stream.stop.send(reason);
        }
    }
}

/// Every interval, checks the open streams' credentials; stops when no stream is open.
async fn check_until_idle(inner: Arc<Mutex<Registry>>, store: Store) {
    loop {
        tokio::time::sleep(CHECK_INTERVAL).await;
        let (tokens, sessions) = {
            let mut registry = lock(&inner);
            if registry.open.is_empty() {
                registry.checker_running = false;
                return;
            }
            distinct_credentials(&registry)
        };
        let asked_tokens: Vec<i64> = tokens.iter().copied().collect();
        let asked_sessions: Vec<SessionKey> = sessions.iter().cloned().collect();
        match live_credentials(&store, &asked_tokens, &asked_sessions).await {
            Ok(live) => end_where(
                &inner,
                |c| checked(c, &tokens, &sessions) && !live.contains(c),
                ENDED_CREDENTIAL,
            ),
            // A database that does not answer ends nobody's stream; the next check tries again.
            Err(e) => tracing::warn!(error = %e, "could not check open event streams' credentials"),
        }
    }
}

fn distinct_credentials(registry: &Registry) -> (HashSet<i64>, HashSet<SessionKey>) {
    let mut tokens = HashSet::new();
    let mut sessions = HashSet::new();
    for stream in registry.open.values() {
        match &stream.credential {
            Credential::Token(id) => {
                tokens.insert(*id);
            }
            Credential::Session(key) => {
                sessions.insert(key.clone());
            }
        }
    }
    (tokens, sessions)
}

/// Whether this check asked about `credential` (a stream opened since is checked next time).
fn checked(credential: &Credential, tokens: &HashSet<i64>, sessions: &HashSet<SessionKey>) -> bool {
    match credential {
        Credential::Token(id) => tokens.contains(id),
        Credential::Session(key) => sessions.contains(key),
    }
}

async fn live_credentials(
    store: &Store,
    tokens: &[i64],
    sessions: &[SessionKey],
) -> Result<HashSet<Credential>, pledgeboard_store::StoreError> {
    let mut live = HashSet::new();
    if !tokens.is_empty() {
        live.extend(
            store
                .live_tokens(tokens)
                .await?
                .into_iter()
                .map(Credential::Token),
        );
    }
    if !sessions.is_empty() {
        live.extend(
            store
                .live_sessions(sessions)
                .await?
                .into_iter()
                .map(Credential::Session),
        );
    }
    Ok(live)
}
