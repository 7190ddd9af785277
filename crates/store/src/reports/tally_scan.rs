//! The all-states table's one scan over the active pledges, added into the domain's
//! [`CountryTally`] (one row per state, whatever the number of pledges). On SQLite the pledges
//! are added by an aggregate function on the database's own thread (`sqlite_tally.rs`), and
//! only the tally crosses over; on PostgreSQL they are streamed, each as one text.
//!
//! Computed afresh at 100,000 pledges (6 December 2026, release build, load 4–5): streamed,
//! 0.25–0.45 s; summed by SQLite into cells of state, category, capability, readiness and
//! mission, about 0.3 s (60,000 cells hashed, named and handed over); added into the tally on
//! SQLite's thread, median 0.13 s.

use futures_util::TryStreamExt;
use pledgeboard_domain::UsdTotal;
use pledgeboard_domain::country_report::{CountryCellRef, CountryTally};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, StreamTrait};

use crate::StoreError;
use crate::reports::query::Query;
use crate::reports::sqlite_tally::{self, Pickup};

/// Between the fields of a pledge the all-states table streams.
const FIELD_SEPARATOR: char = '\u{1f}';

/// One streamed pledge's fields ([`Store::country_tally`]) as a cell of one.
fn pledge_cell(pledge: &str) -> Result<CountryCellRef<'_>, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("a pledge's fields '{pledge}'"));
    let mut fields = pledge.split(FIELD_SEPARATOR);
    let mut text = || fields.next().ok_or_else(corrupt);
    let (member_state, category, capability, readiness, mission) =
        (text()?, text()?, text()?, text()?, text()?);
    let number = |t: &str| t.parse::<i64>().map_err(|_| corrupt());
    // A negative count (never stored) reads as 0, as in the other reports.
    let count = |t: &str| number(t).map(|n| u64::try_from(n).unwrap_or(0));
    let (quantity, personnel) = (count(text()?)?, count(text()?)?);
    let (personnel_estimated, female_personnel) = (count(text()?)?, count(text()?)?);
    let cents = number(text()?)?;
    let renewals_due = count(text()?)?;
    Ok(CountryCellRef {
        member_state,
        category,
        capability,
        readiness,
        mission: (!mission.is_empty()).then_some(mission),
        pledges: 1,
        quantity,
        personnel,
        personnel_estimated,
        female_personnel,
        monthly_cost: UsdTotal::from_cents(i128::from(cents)),
        renewals_due,
    })
}

/// What the all-states table reads of each active pledge, in [`pledge_cell`]'s order (and
/// `sqlite_tally`'s): five names, then quantity, personnel, estimated personnel, women, the
/// monthly cost in cents and 1 when a renewal is due (`due`).
fn tally_fields(due: &str) -> [String; 11] {
    [
        "member_state".to_owned(),
        "category".to_owned(),
        "capability".to_owned(),
        "readiness".to_owned(),
        "COALESCE(mission, '')".to_owned(),
        "quantity".to_owned(),
        "personnel".to_owned(),
        "CASE WHEN personnel_estimated THEN personnel ELSE 0 END".to_owned(),
        "female_personnel".to_owned(),
        "COALESCE(monthly_cost_cents, 0)".to_owned(),
        format!("CASE WHEN {due} THEN 1 ELSE 0 END"),
    ]
}

/// The tally of the pledges of `q.pledges` under `conditions`, a pledge's renewal due when
/// `due` holds.
pub(crate) async fn tally(
    db: &DatabaseConnection,
    mut q: Query,
    due: &str,
    conditions: &str,
) -> Result<CountryTally, StoreError> {
    let fields = tally_fields(due);
    let backend = db.get_database_backend();
    if backend == DbBackend::Sqlite {
        let pickup = Pickup::new();
        let slot = q.bind(pickup.slot());
        let sql = format!(
            "SELECT {}({slot}, {}) AS states FROM {} p WHERE {conditions}",
            sqlite_tally::FUNCTION,
            fields.join(", "),
            q.pledges
        );
        db.query_one_raw(Statement::from_sql_and_values(backend, sql, q.values))
            .await?;
        return Ok(pickup.take());
    }
    // Each pledge travels as one text, its names and figures joined by a separator that no
    // code contains (codes are letters, digits, hyphens and underscores): sqlx copies each
    // value of a row into an allocation of its own on the database's thread and frees it on
    // this one, and with a value per column that was most of the report's time.
    let sep = q.bind(FIELD_SEPARATOR.to_string());
    let fields: Vec<String> = fields
        .iter()
        .map(|f| format!("CAST({f} AS TEXT)"))
        .collect();
    let sql = format!(
        "SELECT {} AS pledge FROM {} p WHERE {conditions}",
        fields.join(&format!(" || {sep} || ")),
        q.pledges
    );
    let mut rows = db
        .stream_raw(Statement::from_sql_and_values(backend, sql, q.values))
        .await?;
    let mut tally = CountryTally::new();
    while let Some(r) = rows.try_next().await? {
        let pledge: String = r.try_get("", "pledge")?;
        tally.add(pledge_cell(&pledge)?);
    }
    Ok(tally)
}
