//! The all-states table's scan on SQLite, summed where the rows are: an aggregate SQL function,
//! `pledgeboard_country_tally(slot, member_state, category, capability, readiness, mission,
//! quantity, personnel, personnel_estimated, female_personnel, cents, renewal_due)`, adds each
//! active pledge into the domain's [`CountryTally`] (one row per state) on SQLite's own thread,
//! and leaves the tally under `slot` for the request to take ([`Pickup`]).
//!
//! Streamed to the request instead, every pledge crossed from sqlx's SQLite thread to the
//! request's as a row of its own, with allocations made on one thread and freed on the other:
//! at 100,000 pledges that hand-over, not SQLite's scan, was most of the 0.3–0.45 s the table
//! took computed afresh. Summing into cells of state, category, capability, readiness and
//! mission here first, and the cells into the tally on the request's side, still took about
//! 0.3 s: there are about 60,000 such cells at 100,000 pledges, each hashed, named and handed
//! over. The tally holds one row per state, so memory does not grow with the pledges.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use pledgeboard_domain::UsdTotal;
use pledgeboard_domain::country_report::{CountryCellRef, CountryTally};
use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::ValueRef;

/// The aggregate's name in SQL.
pub(crate) const FUNCTION: &str = "pledgeboard_country_tally";
/// Its arguments: the slot, five names, six figures.
const ARGUMENTS: std::ffi::c_int = 12;

/// Registers the aggregate on a connection (see `import::sqlite::register`).
pub(crate) fn create_function(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.create_aggregate_function(
        FUNCTION,
        ARGUMENTS,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        TallyFunction,
    )
}

/// One scan's tally, and where to leave it (read from the first row).
#[derive(Debug, Default)]
struct Scan {
    slot: Option<i64>,
    tally: CountryTally,
}

struct TallyFunction;

impl Aggregate<Scan, i64> for TallyFunction {
    fn init(&self, _ctx: &mut Context<'_>) -> rusqlite::Result<Scan> {
        Ok(Scan::default())
    }

    fn step(&self, ctx: &mut Context<'_>, scan: &mut Scan) -> rusqlite::Result<()> {
        if scan.slot.is_none() {
            scan.slot = Some(ctx.get(0)?);
        }
        // A negative count (never stored) reads as 0, as in the other reports.
        let count = |i| integer(ctx, i).map(|n| u64::try_from(n).unwrap_or(0));
        let mission = text(ctx, 5)?;
        scan.tally.add(CountryCellRef {
            member_state: text(ctx, 1)?,
            category: text(ctx, 2)?,
            capability: text(ctx, 3)?,
            readiness: text(ctx, 4)?,
            mission: (!mission.is_empty()).then_some(mission),
            pledges: 1,
            quantity: count(6)?,
            personnel: count(7)?,
            personnel_estimated: count(8)?,
            female_personnel: count(9)?,
            monthly_cost: UsdTotal::from_cents(i128::from(integer(ctx, 10)?)),
            renewals_due: count(11)?,
        });
        Ok(())
    }

    /// Leaves the tally under its slot; answers how many states it has.
    fn finalize(&self, _ctx: &mut Context<'_>, scan: Option<Scan>) -> rusqlite::Result<i64> {
        let Some(Scan {
            slot: Some(slot),
            tally,
        }) = scan
        else {
            return Ok(0);
        };
        let states = tally.states() as i64;
        slots().insert(slot, tally);
        Ok(states)
    }
}

/// Argument `i` as text (NULL reads as empty).
fn text<'a>(ctx: &'a Context<'_>, i: usize) -> rusqlite::Result<&'a str> {
    match ctx.get_raw(i) {
        ValueRef::Null => Ok(""),
        ValueRef::Text(t) => std::str::from_utf8(t).map_err(|e| rusqlite::Error::Utf8Error(i, e)),
        other => Err(rusqlite::Error::InvalidFunctionParameterType(
            i,
            other.data_type(),
        )),
    }
}

/// Argument `i` as an integer (NULL reads as 0).
fn integer(ctx: &Context<'_>, i: usize) -> rusqlite::Result<i64> {
    match ctx.get_raw(i) {
        ValueRef::Null => Ok(0),
        ValueRef::Integer(n) => Ok(n),
        other => Err(rusqlite::Error::InvalidFunctionParameterType(
            i,
            other.data_type(),
        )),
    }
}

/// Tallies left by finished scans, by slot.
static SLOTS: LazyLock<Mutex<HashMap<i64, CountryTally>>> = LazyLock::new(Mutex::default);

fn slots() -> MutexGuard<'static, HashMap<i64, CountryTally>> {
    // The map is consistent after any panic (single inserts and removes).
    SLOTS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Where one scan leaves its tally: a number to bind as the aggregate's first argument, and the
/// tally taken once the statement has run. Whatever is left (a statement that failed after its
/// aggregate finished) goes when the pickup is dropped.
#[derive(Debug)]
pub(crate) struct Pickup {
    slot: i64,
}

impl Pickup {
    pub(crate) fn new() -> Self {
        static NEXT: AtomicI64 = AtomicI64::new(1);
        Self {
            slot: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The number to bind.
    pub(crate) fn slot(&self) -> i64 {
        self.slot
    }

    /// The tally the scan left (empty when it read no pledge).
    pub(crate) fn take(self) -> CountryTally {
        slots().remove(&self.slot).unwrap_or_default()
    }
}

impl Drop for Pickup {
    fn drop(&mut self) {
        slots().remove(&self.slot);
    }
}
