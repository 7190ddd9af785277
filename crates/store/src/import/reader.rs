//! Reading an import file on its own thread while the database writes on another: rows are
//! decoded, keyed, checked for duplicates and checked as new pledges a chunk at a time, and
//! handed over through a short queue (so memory stays flat however large the file).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use csv::StringRecord;
use pledgeboard_domain::import::{RowPlan, plan_row};
use pledgeboard_domain::pledge_csv::{LineError, PledgeHeader, appears_twice};
use pledgeboard_domain::table_input::Row;
use pledgeboard_domain::{Actor, Catalog, FieldError, MemberStateCode, PledgeRef};
use tokio::sync::mpsc;

/// Rows handed over at once.
const CHUNK_ROWS: usize = 1000;
/// Text handed over at once, at most: 1,000 rows of a generated file hold about 90 KB, but rows
/// of long texts (up to 64 KiB each) would make a chunk 64 MB.
const CHUNK_TEXT_BYTES: usize = 2 << 20;
/// Chunks read ahead of the writer: enough to keep both threads busy, little memory.
const QUEUE_CHUNKS: usize = 4;

/// A row with a key, ready to be planned against what is stored.
pub(crate) struct KeyedRow {
    pub line: u64,
    pub record: StringRecord,
    pub state: MemberStateCode,
    pub reference: PledgeRef,
    /// What the row does if no pledge has its key yet, decided on the reading thread while
    /// most keys turn out to be new (see [`Speculation`]).
    pub as_new: Option<Result<RowPlan, Vec<FieldError>>>,
}

/// What the reader hands over: keyed rows, and the problems of rows that cannot be keyed.
#[derive(Default)]
pub(crate) struct Chunk {
    pub rows_read: u64,
    /// Bytes of cell text in the keyed rows.
    pub text_bytes: usize,
    pub keyed: Vec<KeyedRow>,
    pub errors: Vec<LineError>,
}

/// A 128-bit fingerprint of a key: one million keys cost 16 MB instead of their strings.
fn fingerprint(state: &MemberStateCode, reference: &PledgeRef) -> u128 {
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        (salt, state.as_str(), reference.as_str()).hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// Hashes a fingerprint, a hash already, by its low 64 bits (hashing it again was a twentieth
/// of a large import's reading time).
#[derive(Default)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

/// The fingerprints of the keys read so far.
type Seen = HashSet<u128, BuildHasherDefault<FingerprintHasher>>;

/// What the writer tells the reader. Whether to plan rows as new pledges ahead of the writer:
/// worth it while most keys are new (a first import), wasted work when they exist (a
/// re-import), so the writer turns it off and on as it finds the keys stored or not. And the
/// rows it has planned, for the reader to free: with glibc's allocator, freeing on the writer
/// what the reader allocated made the two threads contend for its arena (1,000,000 rows into
/// SQLite: 8.0–9.0 s instead of 8.6–11.7 s, alternating runs).
#[derive(Clone)]
pub(crate) struct Speculation {
    on: Arc<AtomicBool>,
    spent: std::sync::mpsc::Sender<Vec<KeyedRow>>,
}

impl Speculation {
    fn new() -> (Self, std::sync::mpsc::Receiver<Vec<KeyedRow>>) {
        let (spent, returned) = std::sync::mpsc::channel();
        let on = Arc::new(AtomicBool::new(true));
        (Self { on, spent }, returned)
    }

    fn enabled(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    /// Tells the reader what the last batch showed: `stored` of `rows` keys already existed.
    pub(crate) fn observe(&self, stored: usize, rows: usize) {
        self.on.store(stored * 2 < rows, Ordering::Relaxed);
    }

    /// Hands planned rows back to the reader to free.
    pub(crate) fn give_back(&self, rows: Vec<KeyedRow>) {
        // A reader that has finished has nothing left to free with; the rows drop here.
        let _ = self.spent.send(rows);
    }
}

struct Reading<'a> {
    header: &'a PledgeHeader,
    catalog: &'a Catalog,
    actor: &'a Actor,
    speculation: &'a Speculation,
}

fn key_row(row: Row, r: &Reading<'_>, seen: &mut Seen, chunk: &mut Chunk) {
    let Reading {
        header,
        catalog,
        actor,
        speculation,
    } = *r;
    chunk.rows_read += 1;
    let (line, record) = match row {
        Ok(r) => r,
        Err(e) => return chunk.errors.push(e),
    };
    match header.key(&record, catalog) {
        Err(errors) => chunk
            .errors
            .extend(errors.into_iter().map(|e| LineError::at(line, e))),
        Ok((state, reference)) if !seen.insert(fingerprint(&state, &reference)) => {
            chunk.errors.push(appears_twice(line, &state, &reference))
        }
        Ok((state, reference)) => {
            let as_new = speculation
                .enabled()
                .then(|| plan_row(header, &record, None, catalog, actor));
            chunk.text_bytes += record.as_slice().len();
            chunk.keyed.push(KeyedRow {
                line,
                record,
                state,
                reference,
                as_new,
            });
        }
    }
}

/// Starts reading `rows` on a new thread; chunks arrive in file order until the file ends
/// (or the receiver is dropped, which stops the reader). The writer reports through the
/// returned [`Speculation`] whether planning rows as new ahead of time pays.
pub(crate) fn read_ahead(
    rows: Box<dyn Iterator<Item = Row> + Send>,
    header: PledgeHeader,
    catalog: Catalog,
    actor: Actor,
) -> (mpsc::Receiver<Chunk>, Speculation) {
    let (tx, rx) = mpsc::channel(QUEUE_CHUNKS);
    let (speculation, returned) = Speculation::new();
    let theirs = speculation.clone();
    std::thread::spawn(move || {
        let reading = Reading {
            header: &header,
            catalog: &catalog,
            actor: &actor,
            speculation: &theirs,
        };
        let mut seen = Seen::default();
        let mut chunk = Chunk::default();
        for row in rows {
            key_row(row, &reading, &mut seen, &mut chunk);
            if chunk.rows_read >= CHUNK_ROWS as u64 || chunk.text_bytes >= CHUNK_TEXT_BYTES {
                returned.try_iter().for_each(drop);
                if tx.blocking_send(std::mem::take(&mut chunk)).is_err() {
                    return;
                }
            }
        }
        let _ = tx.blocking_send(chunk);
    });
    (rx, speculation)
}

#[cfg(test)]
mod tests {
    use super::Speculation;

    #[test]
    fn speculation_stops_when_most_keys_are_stored_and_resumes_when_they_are_new() {
        let (s, _returned) = Speculation::new();
        assert!(s.enabled(), "a first import plans ahead");
        s.observe(900, 1000);
        assert!(!s.enabled(), "a re-import does not");
        s.observe(400, 1000);
        assert!(s.enabled());
    }

    #[test]
    fn rows_given_back_reach_the_reader_and_a_finished_reader_is_no_error() {
        let (s, returned) = Speculation::new();
        s.give_back(Vec::with_capacity(3));
        assert_eq!(
            returned
                .try_iter()
                .map(|v| v.capacity())
                .collect::<Vec<_>>(),
            [3]
        );
        drop(returned);
        s.give_back(Vec::new());
    }
}
