//! The report cache: rendered report answers (and the board's figures) kept in process by
//! their key — what was asked (route and normalised parameters), the data version and the day
//! — so that a report is computed once per data version, not once per viewer. Bounded by entry
//! count and by the bytes of the answers kept; the least recently used go first. Concurrent
//! requests for the same missing key wait for one computation rather than each running it.
//!
//! A key names a data version, so a change never needs to clear anything: the next request
//! asks for the new version's key, and the old entries age out.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::http::HeaderValue;
use tokio::sync::OnceCell;

/// Answers kept at most.
pub const MAX_ENTRIES: usize = 512;
/// Bytes of answers kept at most.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// One rendered answer: its body and the headers that describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedAnswer {
    pub content_type: HeaderValue,
    pub disposition: Option<HeaderValue>,
    pub body: Bytes,
}

type Cell = Arc<OnceCell<Arc<CachedAnswer>>>;

struct Entry {
    cell: Cell,
    used: u64,
    bytes: usize,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, Entry>,
    /// Keys by last use, oldest first.
    by_use: BTreeMap<u64, String>,
    tick: u64,
    bytes: usize,
}

impl Entries {
    fn remove_oldest(&mut self) {
        if let Some((_, key)) = self.by_use.pop_first()
            && let Some(entry) = self.by_key.remove(&key)
        {
            self.bytes -= entry.bytes;
        }
    }
}

/// The bounded cache; shared by the clones of the app state.
pub struct ReportCache {
    entries: Mutex<Entries>,
    max_entries: usize,
    max_bytes: usize,
}

impl Default for ReportCache {
    fn default() -> Self {
        Self::new(MAX_ENTRIES, MAX_BYTES)
    }
}

impl ReportCache {
    /// A cache of at most `max_entries` answers and `max_bytes` bytes of them.
    pub fn new(max_entries: usize, max_bytes: usize) -> Self {
        Self {
            entries: Mutex::new(Entries::default()),
            max_entries,
            max_bytes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The cell of `key`, marked as just used; a new empty one if missing.
    fn cell(&self, key: &str) -> Cell {
        let mut entries = self.lock();
        entries.tick += 1;
        let tick = entries.tick;
        if let Some(entry) = entries.by_key.get_mut(key) {
            let last = std::mem::replace(&mut entry.used, tick);
            let cell = Arc::clone(&entry.cell);
            entries.by_use.remove(&last);
            entries.by_use.insert(tick, key.to_owned());
            return cell;
        }
        let cell = Cell::default();
        entries.by_key.insert(
            key.to_owned(),
            Entry {
                cell: Arc::clone(&cell),
                used: tick,
                bytes: 0,
            },
        );
        entries.by_use.insert(tick, key.to_owned());
        while entries.by_key.len() > self.max_entries {
            entries.remove_oldest();
        }
        cell
    }

    /// Counts the answer now held by `key`'s `cell` against the byte bound.
    fn weigh(&self, key: &str, cell: &Cell, bytes: usize) {
        let mut entries = self.lock();
        let Some(entry) = entries.by_key.get_mut(key) else {
            return;
        };
        if !Arc::ptr_eq(&entry.cell, cell) || entry.bytes != 0 {
            return;
        }
        entry.bytes = bytes;
        entries.bytes += bytes;
        while entries.bytes > self.max_bytes && !entries.by_use.is_empty() {
            entries.remove_oldest();
        }
    }

    /// The answer kept under `key`, or the one `compute` gives (kept when it succeeds). While
    /// one request computes a key, others asking for it wait for that answer.
    pub async fn get_or_compute<E, F>(&self, key: &str, compute: F) -> Result<Arc<CachedAnswer>, E>
    where
        F: Future<Output = Result<CachedAnswer, E>>,
    {
        let cell = self.cell(key);
        let mut computed = false;
        let answer = cell
            .get_or_try_init(|| async {
                computed = true;
                compute.await.map(Arc::new)
            })
            .await?
            .clone();
        if computed {
            self.weigh(key, &cell, answer.body.len());
        }
        Ok(answer)
    }

    /// How many answers and bytes are kept.
    #[cfg(test)]
    pub fn size(&self) -> (usize, usize) {
        let entries = self.lock();
        (entries.by_key.len(), entries.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> CachedAnswer {
        CachedAnswer {
            content_type: HeaderValue::from_static("text/plain"),
            disposition: None,
            body: Bytes::from(body.to_owned()),
        }
    }

    async fn get(cache: &ReportCache, key: &str, body: &str, runs: &mut u32) -> Bytes {
        cache
            .get_or_compute::<(), _>(key, async {
                *runs += 1;
                Ok(answer(body))
            })
            .await
            .unwrap()
            .body
            .clone()
    }

    #[tokio::test]
    async fn a_kept_answer_is_computed_once_and_the_least_recently_used_goes_first() {
        let cache = ReportCache::new(2, 1000);
        let mut runs = 0;
        assert_eq!(get(&cache, "a", "A", &mut runs).await, "A");
        assert_eq!(get(&cache, "a", "other", &mut runs).await, "A");
        assert_eq!(runs, 1);
        get(&cache, "b", "B", &mut runs).await;
        get(&cache, "a", "A", &mut runs).await; // a used after b
        get(&cache, "c", "C", &mut runs).await; // b goes
        assert_eq!(runs, 3);
        assert_eq!(cache.size(), (2, 2));
        get(&cache, "a", "A", &mut runs).await;
        assert_eq!(runs, 3, "a was kept");
        get(&cache, "b", "B", &mut runs).await;
        assert_eq!(runs, 4, "b was computed again");
    }

    #[tokio::test]
    async fn the_bytes_kept_stay_within_the_bound() {
        let cache = ReportCache::new(100, 10);
        let mut runs = 0;
        get(&cache, "a", "123456", &mut runs).await;
        get(&cache, "b", "123456", &mut runs).await;
        assert_eq!(cache.size(), (1, 6), "a went to make room for b");
        get(&cache, "big", "12345678901", &mut runs).await;
        assert_eq!(cache.size().1, 0, "an answer over the bound is not kept");
    }

    #[tokio::test]
    async fn a_failed_computation_is_not_kept() {
        let cache = ReportCache::new(10, 100);
        let failed = cache
            .get_or_compute::<&str, _>("a", async { Err("no") })
            .await;
        assert!(failed.is_err());
        let mut runs = 0;
        assert_eq!(get(&cache, "a", "A", &mut runs).await, "A");
        assert_eq!(runs, 1);
    }

    #[tokio::test]
    async fn concurrent_requests_for_a_missing_key_share_one_computation() {
        let cache = Arc::new(ReportCache::new(10, 100));
        let runs = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (cache, runs) = (Arc::clone(&cache), Arc::clone(&runs));
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_compute::<(), _>("k", async {
                        runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        Ok(answer("K"))
                    })
                    .await
                    .unwrap()
                    .body
                    .clone()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), "K");
        }
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
