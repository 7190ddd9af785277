//! Look-ups batched (credentials, `access/actors.rs`; pledges by id, `pledges/read.rs`): callers
//! who ask while a look-up runs wait, and the next look-up answers all of them in one statement
//! (`… IN (…)`), each caller getting its own answer.
//!
//! Every page request and every API request finds who is asking; with hundreds of live boards
//! fetching after each change, that was one query per request (and a pledge's own page or
//! answer three more). Here the first caller to find
//! no batch running runs one with every key then waiting; callers arriving meanwhile queue,
//! and when the batch ends one of them runs the next with all the queued keys. A batch
//! begins after each of its callers arrived, so a revocation or an expiry committed before a
//! request began is seen, as it was with a query each.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::oneshot;

use crate::StoreError;

/// What a waiting caller is told.
enum Told<V> {
    /// Its answer (`None`: no live credential has that key).
    Answer(Result<Option<V>, StoreError>),
    /// The batch before ended: run the next one.
    Lead,
}

struct Queue<K, V> {
    waiting: Vec<(K, oneshot::Sender<Told<V>>)>,
    running: bool,
}

/// Look-ups of `V` by key `K`, batched; see the module's notes.
pub(crate) struct LookupBatches<K, V> {
    queue: Mutex<Queue<K, V>>,
}

impl<K, V> std::fmt::Debug for LookupBatches<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LookupBatches").finish_non_exhaustive()
    }
}

impl<K, V> Default for LookupBatches<K, V> {
    fn default() -> Self {
        Self {
            queue: Mutex::new(Queue {
                waiting: Vec::new(),
                running: false,
            }),
        }
    }
}

/// The running batch's duty, even if its caller goes away midway: hand the queue to a
/// waiting caller, or mark that no batch runs.
struct Running<'a, K, V> {
    batches: &'a LookupBatches<K, V>,
}

impl<K, V> Drop for Running<'_, K, V> {
    fn drop(&mut self) {
        self.batches.hand_on();
    }
}

/// A queued caller's place. A caller that goes away after being told to run the next batch,
/// before running it, passes that duty on, so the queue is never left with nobody to run it.
struct Queued<'a, K, V> {
    batches: &'a LookupBatches<K, V>,
    told: oneshot::Receiver<Told<V>>,
}

impl<K, V> Drop for Queued<'_, K, V> {
    fn drop(&mut self) {
        if let Ok(Told::Lead) = self.told.try_recv() {
            self.batches.hand_on();
        }
    }
}

impl<K, V> LookupBatches<K, V> {
    fn lock(&self) -> MutexGuard<'_, Queue<K, V>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A batch ended: the queue goes to a caller waiting, or no batch runs.
    fn hand_on(&self) {
        let mut queue = self.lock();
        while let Some((key, waiter)) = queue.waiting.pop() {
            match waiter.send(Told::Lead) {
                Ok(()) => return,
                // That caller went away; its key is not wanted any more.
                Err(_) => drop(key),
            }
        }
        queue.running = false;
    }
}

impl<K: Eq + Hash + Clone, V: Clone> LookupBatches<K, V> {
    /// What `look_up` finds for `key`, from a batch with the keys of every caller waiting.
    /// `look_up` is given distinct keys and returns what it found, keyed; a key it leaves
    /// out is found to be nothing.
    pub(crate) async fn get<F, Fut>(&self, key: K, look_up: F) -> Result<Option<V>, StoreError>
    where
        F: Fn(Vec<K>) -> Fut,
        Fut: Future<Output = Result<HashMap<K, V>, StoreError>>,
    {
        let told = {
            let mut queue = self.lock();
            if queue.running {
                let (tx, rx) = oneshot::channel();
                queue.waiting.push((key.clone(), tx));
                Some(rx)
            } else {
                queue.running = true;
                None
            }
        };
        if let Some(told) = told {
            let mut queued = Queued {
                batches: self,
                told,
            };
            match (&mut queued.told).await {
                Ok(Told::Answer(answer)) => return answer,
                Ok(Told::Lead) => {}
                // The batch's caller went away with this key in hand: look it up alone.
                Err(_) => return Ok(look_up(vec![key.clone()]).await?.remove(&key)),
            }
        }
        let running = Running { batches: self };
        let waiting = std::mem::take(&mut running.batches.lock().waiting);
        let mut keys: Vec<K> = Vec::with_capacity(waiting.len() + 1);
        let mut seen = HashSet::with_capacity(waiting.len() + 1);
        for k in waiting.iter().map(|(k, _)| k).chain([&key]) {
            if seen.insert(k) {
                keys.push(k.clone());
            }
        }
        let found = look_up(keys).await;
        drop(running);
        for (k, waiter) in waiting {
            let answer = match &found {
                Ok(found) => Ok(found.get(&k).cloned()),
                Err(e) => Err(e.clone()),
            };
            // A caller that went away needs no answer.
            let _ = waiter.send(Told::Answer(answer));
        }
        Ok(found?.remove(&key))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    use super::*;

    fn doubled(keys: Vec<u32>) -> HashMap<u32, u32> {
        keys.into_iter()
            .filter(|k| k % 2 == 0)
            .map(|k| (k, k * 2))
            .collect()
    }

    #[tokio::test]
    async fn callers_waiting_together_are_answered_by_one_statement_each_their_own() {
        let batches = Arc::new(LookupBatches::<u32, u32>::default());
        let statements = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for key in 0..40u32 {
            let (batches, statements) = (Arc::clone(&batches), Arc::clone(&statements));
            tasks.push(tokio::spawn(async move {
                let answer = batches
                    .get(key % 20, |keys| {
                        let statements = Arc::clone(&statements);
                        async move {
                            statements.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            Ok(doubled(keys))
                        }
                    })
                    .await;
                (key % 20, answer)
            }));
        }
        for t in tasks {
            let (key, answer) = t.await.unwrap();
            let expected = (key % 2 == 0).then_some(key * 2);
            assert_eq!(answer.unwrap(), expected, "key {key}");
        }
        let statements = statements.load(Ordering::SeqCst);
        assert!(statements <= 3, "40 callers took {statements} statements");
    }

    #[tokio::test]
    async fn a_caller_going_away_midway_hands_the_queue_on() {
        let batches = Arc::new(LookupBatches::<u32, u32>::default());
        let slow = tokio::spawn({
            let batches = Arc::clone(&batches);
            async move {
                batches
                    .get(1, |_| async {
                        tokio::time::sleep(Duration::from_secs(60)).await;
                        Ok(HashMap::new())
                    })
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        let waiting = tokio::spawn({
            let batches = Arc::clone(&batches);
            async move {
                batches
                    .get(2, |keys| async move { Ok(doubled(keys)) })
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        slow.abort();
        let answer = tokio::time::timeout(Duration::from_secs(5), waiting).await;
        assert_eq!(answer.unwrap().unwrap().unwrap(), Some(4));
        // The next caller finds no batch stuck running.
        let next = batches.get(6, |keys| async move { Ok(doubled(keys)) });
        let next = tokio::time::timeout(Duration::from_secs(5), next).await;
        assert_eq!(next.unwrap().unwrap(), Some(12));
    }

    #[tokio::test]
    async fn a_caller_going_away_when_its_turn_to_run_has_come_hands_the_queue_on() {
        let batches = LookupBatches::<u32, u32>::default();
        let gate = tokio::sync::Notify::new();
        let mut first = Box::pin(batches.get(1, |keys| {
            let gate = &gate;
            async move {
                gate.notified().await;
                Ok(doubled(keys))
            }
        }));
        let mut waiting = Box::pin(batches.get(2, |keys| async move { Ok(doubled(keys)) }));
        // Both begin: the first runs its batch, the second queues behind it.
        assert!(futures_poll_once(first.as_mut()).await.is_none());
        assert!(futures_poll_once(waiting.as_mut()).await.is_none());
        gate.notify_one();
        // The first ends and tells the second to run the next batch; the second goes away
        // before it hears so.
        assert_eq!(first.await.unwrap(), None);
        drop(waiting);
        let next = batches.get(6, |keys| async move { Ok(doubled(keys)) });
        let next = tokio::time::timeout(Duration::from_secs(5), next).await;
        assert_eq!(
            next.unwrap().unwrap(),
            Some(12),
            "a batch runs for the next caller"
        );
    }

    /// Polls a future once: its output if it is ready.
    async fn futures_poll_once<F: Future>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
        let mut future = Some(future);
        std::future::poll_fn(|cx| {
            let f = future.take().unwrap_or_else(|| unreachable!());
            std::task::Poll::Ready(match f.poll(cx) {
                std::task::Poll::Ready(output) => Some(output),
                std::task::Poll::Pending => None,
            })
        })
        .await
    }
}
