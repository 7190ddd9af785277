//! One read in flight for many readers (single flight), never older than a reader's arrival.
//!
//! Every board fetch and every report's `ETag` check needs the current data version; with
//! hundreds of live boards they arrive by the hundred after each change. Instead of a query
//! each, the readers waiting share one: the first to find no read running starts one, and
//! those arriving while it runs wait for the next. A reader takes the answer of a read only
//! if that read *started after the reader arrived*, so it never gets a version older than a
//! change committed before its request began — a read already under way when a reader comes
//! may have been answered before that change, and is not joined.

use std::future::Future;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;

use crate::StoreError;

/// The last read to finish: the readers it answers (tickets up to `covers`) and its answer.
#[derive(Clone)]
struct Finished<T> {
    covers: u64,
    answer: Option<Result<T, StoreError>>,
}

struct Flight {
    /// Tickets handed out: one per reader, in arrival order.
    arrived: u64,
    /// Whether a read is running.
    reading: bool,
}

/// Readers of one value sharing the reads in flight; see the module's notes.
pub(crate) struct SharedRead<T> {
    flight: Mutex<Flight>,
    finished: watch::Sender<Finished<T>>,
}

impl<T: Clone> Default for SharedRead<T> {
    fn default() -> Self {
        Self {
            flight: Mutex::new(Flight {
                arrived: 0,
                reading: false,
            }),
            finished: watch::Sender::new(Finished {
                covers: 0,
                answer: None,
            }),
        }
    }
}

impl<T> std::fmt::Debug for SharedRead<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedRead").finish_non_exhaustive()
    }
}

/// The running read's duty to report, even if the reader running it goes away midway (its
/// request cancelled): then the readers it covered are told to read again.
struct Reading<'a, T: Clone> {
    shared: &'a SharedRead<T>,
    covers: u64,
    answer: Option<Result<T, StoreError>>,
}

impl<T: Clone> Drop for Reading<'_, T> {
    fn drop(&mut self) {
        // Clearing `reading` and publishing happen under one lock, so a reader that saw a read
        // running is sure to see its end.
        let mut flight = self.shared.lock();
        flight.reading = false;
        self.shared.finished.send_replace(Finished {
            covers: self.covers,
            answer: self.answer.take(),
        });
        drop(flight);
    }
}

impl<T: Clone> SharedRead<T> {
    fn lock(&self) -> MutexGuard<'_, Flight> {
        self.flight.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value as `read` gives it, from a read that began after this call did: shared with
    /// the other callers that arrived before that read began.
    pub(crate) async fn read<F, Fut>(&self, read: F) -> Result<T, StoreError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let mut finished = self.finished.subscribe();
        let ticket = {
            let mut flight = self.lock();
            flight.arrived += 1;
            flight.arrived
        };
        loop {
            {
                let last = finished.borrow_and_update();
                if last.covers >= ticket {
                    match &last.answer {
                        Some(answer) => return answer.clone(),
                        // Its reader went away before the answer came: read alone.
                        None => break,
                    }
                }
            }
            let covers = {
                let mut flight = self.lock();
                (!flight.reading).then(|| {
                    flight.reading = true;
                    flight.arrived
                })
            };
            if let Some(covers) = covers {
                let mut reading = Reading {
                    shared: self,
                    covers,
                    answer: None,
                };
                let answer = read().await;
                reading.answer = Some(answer.clone());
                return answer;
            }
            if finished.changed().await.is_err() {
                break;
            }
        }
        read().await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn readers_arriving_together_share_one_read() {
        let shared = Arc::new(SharedRead::<i64>::default());
        let reads = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (shared, reads) = (Arc::clone(&shared), Arc::clone(&reads));
            tasks.push(tokio::spawn(async move {
                shared
                    .read(|| async {
                        reads.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok(7)
                    })
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), 7);
        }
        let reads = reads.load(Ordering::SeqCst);
        assert!(reads <= 3, "50 readers took {reads} reads");
    }

    #[tokio::test]
    async fn a_reader_arriving_during_a_read_waits_for_a_read_that_began_after_it() {
        let shared = Arc::new(SharedRead::<i64>::default());
        let value = Arc::new(AtomicI64::new(1));
        let read = {
            let value = Arc::clone(&value);
            move || {
                let value = Arc::clone(&value);
                async move {
                    // The value is taken when the read begins, then the read takes a while.
                    let v = value.load(Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    Ok(v)
                }
            }
        };
        let first = tokio::spawn({
            let (shared, read) = (Arc::clone(&shared), read.clone());
            async move { shared.read(read).await }
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        value.store(2, Ordering::SeqCst); // committed while the first read runs
        let second = shared.read(read).await.unwrap();
        assert_eq!(first.await.unwrap().unwrap(), 1);
        assert_eq!(second, 2, "the read under way began before the change");
    }

    #[tokio::test]
    async fn a_reader_going_away_midway_does_not_strand_the_others() {
        let shared = Arc::new(SharedRead::<i64>::default());
        let slow = tokio::spawn({
            let shared = Arc::clone(&shared);
            async move {
                shared
                    .read(|| async {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        Ok(0)
                    })
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        let waiting = tokio::spawn({
            let shared = Arc::clone(&shared);
            async move { shared.read(|| async { Ok(5) }).await }
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        slow.abort();
        let answer = tokio::time::timeout(Duration::from_secs(5), waiting).await;
        assert_eq!(answer.unwrap().unwrap().unwrap(), 5);
    }

    #[tokio::test]
    async fn an_error_reaches_every_reader_it_covered() {
        let shared = SharedRead::<i64>::default();
        let answer = shared
            .read(|| async { Err(StoreError::Unavailable("down".into())) })
            .await;
        assert!(matches!(answer, Err(StoreError::Unavailable(_))));
    }
}
