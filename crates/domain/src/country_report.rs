//! Per-country summaries for the ministerial conference: the all-states table and one state's
//! page, computed from SQL aggregates. Totals are the sums of their rows, money included: costs
//! add up as [`UsdTotal`]s, exact whatever the stored amounts.

use crate::message;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::coverage_report::INDICATIVE_NOTE;
use crate::gender::target_for;
use crate::{Catalog, DomainError, UsdTotal};

/// One aggregate cell from the store: a state's active pledges of one category, capability,
/// readiness and mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryCell {
    pub member_state: String,
    pub category: String,
    pub capability: String,
    pub readiness: String,
    pub mission: Option<String>,
    pub pledges: u64,
    pub quantity: u64,
    pub personnel: u64,
    /// The part of `personnel` that is estimated (pledges whose personnel nobody stated).
    pub personnel_estimated: u64,
    pub female_personnel: u64,
    /// The sum of these pledges' monthly costs.
    pub monthly_cost: UsdTotal,
    /// Of these pledges, those whose PCRS renewal is overdue or due within 30 days.
    pub renewals_due: u64,
}

/// A [`CountryCell`] whose names are borrowed: what the store hands over for each pledge it
/// streams, without an allocation per name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryCellRef<'a> {
    pub member_state: &'a str,
    pub category: &'a str,
    pub capability: &'a str,
    pub readiness: &'a str,
    pub mission: Option<&'a str>,
    pub pledges: u64,
    pub quantity: u64,
    pub personnel: u64,
    pub personnel_estimated: u64,
    pub female_personnel: u64,
    pub monthly_cost: UsdTotal,
    pub renewals_due: u64,
}

impl CountryCell {
    /// The cell, borrowed.
    pub fn as_ref(&self) -> CountryCellRef<'_> {
        CountryCellRef {
            member_state: &self.member_state,
            category: &self.category,
            capability: &self.capability,
            readiness: &self.readiness,
            mission: self.mission.as_deref(),
            pledges: self.pledges,
            quantity: self.quantity,
            personnel: self.personnel,
            personnel_estimated: self.personnel_estimated,
            female_personnel: self.female_personnel,
            monthly_cost: self.monthly_cost,
            renewals_due: self.renewals_due,
        }
    }
}

/// Women's share of personnel, percent to one decimal (half-even); 0.0 without personnel.
pub fn share_pct(women: u64, personnel: u64) -> Decimal {
    let mut pct = if personnel == 0 {
        Decimal::ZERO
    } else {
        (Decimal::from(women) * Decimal::ONE_HUNDRED / Decimal::from(personnel))
            .round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven)
    };
    pct.rescale(1);
    pct
}

/// Quantity and people of one capability.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapabilityTotals {
    pub quantity: u64,
    pub personnel: u64,
    pub female_personnel: u64,
}

/// Pledges and people at one readiness level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadinessTotals {
    pub pledges: u64,
    pub personnel: u64,
}

/// One member state's line of the all-states table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryRow {
    pub member_state: String,
    pub name: String,
    /// Active pledges (any status but withdrawn).
    pub pledges: u64,
    pub quantity: u64,
    pub personnel: u64,
    /// The part of `personnel` that is estimated, not stated.
    pub personnel_estimated: u64,
    pub female_personnel: u64,
    pub female_share_pct: Decimal,
    pub monthly_cost_usd: UsdTotal,
    /// Active pledges by pledge category.
    pub by_category: BTreeMap<String, u64>,
    pub by_capability: BTreeMap<String, CapabilityTotals>,
    pub by_readiness: BTreeMap<String, ReadinessTotals>,
    /// Quantity earmarked per mission.
    pub by_mission: BTreeMap<String, u64>,
    /// Joint pledges of other states in which this state is a partner (not in its totals).
    pub partnerships: u64,
    /// Active pledges whose PCRS renewal is overdue or due within 30 days.
    pub renewals_due: u64,
}

impl CountryRow {
    /// A row for a state with no active pledges.
    pub fn empty(member_state: &str, name: &str) -> Self {
        Self {
            member_state: member_state.to_owned(),
            name: name.to_owned(),
            pledges: 0,
            quantity: 0,
            personnel: 0,
            personnel_estimated: 0,
            female_personnel: 0,
            female_share_pct: share_pct(0, 0),
            monthly_cost_usd: UsdTotal::ZERO,
            by_category: BTreeMap::new(),
            by_capability: BTreeMap::new(),
            by_readiness: BTreeMap::new(),
            by_mission: BTreeMap::new(),
            partnerships: 0,
            renewals_due: 0,
        }
    }
}

/// Rolls aggregate cells up into one row per state that has at least one active pledge.
pub fn country_rows(
    cells: &[CountryCell],
    partnerships: &BTreeMap<String, u64>,
    catalog: &Catalog,
) -> Vec<CountryRow> {
    let mut tally = CountryTally::new();
    for c in cells {
        tally.add(c.as_ref());
    }
    tally.into_rows(catalog, partnerships)
}

/// The all-states table's rows as they are being summed, one cell at a time: a cell may be
/// one active pledge (a cell of one) or an aggregate of several, so the store can stream the
/// pledges in one pass and keep only one row per state, whatever the number of pledges. The
/// states are named at the end ([`Self::into_rows`]), so a tally needs nothing but its cells
/// (on SQLite it is summed on the database's own thread).
#[derive(Debug, Clone, Default)]
pub struct CountryTally {
    rows: BTreeMap<String, CountryRow>,
}

/// Adds to the entry of `key`, cloning the key only the first time it is seen.
fn add_to<T: Default>(map: &mut BTreeMap<String, T>, key: &str, add: impl FnOnce(&mut T)) {
    match map.get_mut(key) {
        Some(v) => add(v),
        None => add(map.entry(key.to_owned()).or_default()),
    }
}

impl CountryTally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// States with a row so far.
    pub fn states(&self) -> usize {
        self.rows.len()
    }

    /// Adds one cell (or one pledge) to its state's row.
    pub fn add(&mut self, c: CountryCellRef<'_>) {
        let row = match self.rows.get_mut(c.member_state) {
            Some(row) => row,
            None => self
                .rows
                .entry(c.member_state.to_owned())
                .or_insert_with(|| CountryRow::empty(c.member_state, "")),
        };
        row.pledges += c.pledges;
        row.quantity += c.quantity;
        row.personnel += c.personnel;
        row.personnel_estimated += c.personnel_estimated;
        row.female_personnel += c.female_personnel;
        row.renewals_due += c.renewals_due;
        row.monthly_cost_usd += c.monthly_cost;
        add_to(&mut row.by_category, c.category, |n| *n += c.pledges);
        add_to(&mut row.by_capability, c.capability, |cap| {
            cap.quantity += c.quantity;
            cap.personnel += c.personnel;
            cap.female_personnel += c.female_personnel;
        });
        add_to(&mut row.by_readiness, c.readiness, |ready| {
            ready.pledges += c.pledges;
            ready.personnel += c.personnel;
        });
        if let Some(m) = c.mission {
            add_to(&mut row.by_mission, m, |n| *n += c.quantity);
        }
    }

    /// The rows, by state code, with the states' names from `catalog` (a code it does not
    /// know names itself), their women's shares and partnerships.
    pub fn into_rows(
        self,
        catalog: &Catalog,
        partnerships: &BTreeMap<String, u64>,
    ) -> Vec<CountryRow> {
        self.rows
            .into_values()
            .map(|mut row| {
                row.name = crate::MemberStateCode::parse(&row.member_state)
                    .ok()
                    .and_then(|code| catalog.member_states().get(&code).map(|s| s.name.clone()))
                    .unwrap_or_else(|| row.member_state.clone());
                row.female_share_pct = share_pct(row.female_personnel, row.personnel);
                row.partnerships = partnerships.get(&row.member_state).copied().unwrap_or(0);
                row
            })
            .collect()
    }
}

/// The sums of the all-states table's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryTotals {
    pub member_states: u64,
    pub pledges: u64,
    pub quantity: u64,
    pub personnel: u64,
    pub personnel_estimated: u64,
    pub female_personnel: u64,
    pub female_share_pct: Decimal,
    pub monthly_cost_usd: UsdTotal,
    pub renewals_due: u64,
}

impl CountryTotals {
    /// Sums the rows.
    pub fn of(rows: &[CountryRow]) -> Self {
        let sum = |f: fn(&CountryRow) -> u64| rows.iter().map(f).sum::<u64>();
        let (personnel, women) = (sum(|r| r.personnel), sum(|r| r.female_personnel));
        Self {
            member_states: rows.len() as u64,
            pledges: sum(|r| r.pledges),
            quantity: sum(|r| r.quantity),
            personnel,
            personnel_estimated: sum(|r| r.personnel_estimated),
            female_personnel: women,
            female_share_pct: share_pct(women, personnel),
            monthly_cost_usd: rows.iter().map(|r| r.monthly_cost_usd).sum(),
            renewals_due: sum(|r| r.renewals_due),
        }
    }
}

/// The all-states table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountriesReport {
    pub as_of: Option<DateTime<Utc>>,
    pub conference: Option<String>,
    pub rows: Vec<CountryRow>,
    pub totals: CountryTotals,
    pub note: &'static str,
}

/// The columns the all-states table can be sorted by, and its CSV columns.
pub const COUNTRY_CSV_COLUMNS: [&str; 11] = [
    "member_state",
    "name",
    "pledges",
    "quantity",
    "personnel",
    "female_personnel",
    "female_share_pct",
    "monthly_cost_usd",
    "partnerships",
    "renewals_due",
    // Last, so that readers of the first ten columns keep their places.
    "personnel_estimated",
];

/// Sorts rows by a column of [`COUNTRY_CSV_COLUMNS`]; ties keep alpha-3 order.
pub fn sort_rows(
    rows: &mut [CountryRow],
    column: &str,
    descending: bool,
) -> Result<(), DomainError> {
    // Counts and money in cents share the middle place: an i128 holds either exactly.
    type Key = fn(&CountryRow) -> (String, i128, Decimal);
    let key: Key = match column {
        "member_state" => |r| (r.member_state.clone(), 0, Decimal::ZERO),
        "name" => |r| (r.name.clone(), 0, Decimal::ZERO),
        "pledges" => |r| (String::new(), i128::from(r.pledges), Decimal::ZERO),
        "quantity" => |r| (String::new(), i128::from(r.quantity), Decimal::ZERO),
        "personnel" => |r| (String::new(), i128::from(r.personnel), Decimal::ZERO),
        "personnel_estimated" => |r| {
            (
                String::new(),
                i128::from(r.personnel_estimated),
                Decimal::ZERO,
            )
        },
        "female_personnel" => |r| (String::new(), i128::from(r.female_personnel), Decimal::ZERO),
        "female_share_pct" => |r| (String::new(), 0, r.female_share_pct),
        "monthly_cost_usd" => |r| (String::new(), r.monthly_cost_usd.cents(), Decimal::ZERO),
        "partnerships" => |r| (String::new(), i128::from(r.partnerships), Decimal::ZERO),
        "renewals_due" => |r| (String::new(), i128::from(r.renewals_due), Decimal::ZERO),
        other => {
            return Err(DomainError::invalid(message!(
                "err-sort-unknown",
                "cannot sort by '{other}'; sort by one of {columns}",
                other = other,
                columns = COUNTRY_CSV_COLUMNS.join(", ")
            )));
        }
    };
    rows.sort_by(|a, b| {
        let order = key(a).cmp(&key(b));
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| a.member_state.cmp(&b.member_state))
    });
    Ok(())
}

/// A row's scalar cells, in [`COUNTRY_CSV_COLUMNS`] order.
pub fn country_csv_row(r: &CountryRow) -> [String; COUNTRY_CSV_COLUMNS.len()] {
    [
        r.member_state.clone(),
        r.name.clone(),
        r.pledges.to_string(),
        r.quantity.to_string(),
        r.personnel.to_string(),
        r.female_personnel.to_string(),
        r.female_share_pct.to_string(),
        r.monthly_cost_usd.to_string(),
        r.partnerships.to_string(),
        r.renewals_due.to_string(),
        r.personnel_estimated.to_string(),
    ]
}

/// The totals as a CSV row under the same columns.
pub fn country_totals_csv_row(t: &CountryTotals) -> [String; COUNTRY_CSV_COLUMNS.len()] {
    [
        "TOTAL".into(),
        format!("{} member states", t.member_states),
        t.pledges.to_string(),
        t.quantity.to_string(),
        t.personnel.to_string(),
        t.female_personnel.to_string(),
        t.female_share_pct.to_string(),
        t.monthly_cost_usd.to_string(),
        String::new(),
        t.renewals_due.to_string(),
        t.personnel_estimated.to_string(),
    ]
}

/// Women's share in one personnel category against the parity target for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenderComparison {
    pub category: String,
    pub personnel: u64,
    pub female_personnel: u64,
    pub female_share_pct: Decimal,
    pub target_pct: Option<Decimal>,
    pub target_year: Option<i32>,
    pub meets_target: Option<bool>,
}

/// Compares a row's women per gender category with the targets in force in `year`.
pub fn gender_comparison(row: &CountryRow, catalog: &Catalog, year: i32) -> Vec<GenderComparison> {
    let mut by_category: BTreeMap<String, (u64, u64, Option<crate::GenderCategory>)> =
        BTreeMap::new();
    for (code, totals) in &row.by_capability {
        let Some(category) = catalog
            .capability(code)
            .ok()
            .and_then(|c| c.gender_category)
        else {
            continue;
        };
        let entry = by_category
            .entry(category.to_string())
            .or_insert((0, 0, Some(category)));
        entry.0 += totals.personnel;
        entry.1 += totals.female_personnel;
    }
    by_category
        .into_iter()
        .filter_map(|(name, (personnel, women, category))| {
            let target = target_for(catalog.gender_targets(), category?, year);
            let share = share_pct(women, personnel);
            Some(GenderComparison {
                category: name,
                personnel,
                female_personnel: women,
                female_share_pct: share,
                target_pct: target.map(|t| t.percent),
                target_year: target.map(|t| t.year),
                meets_target: target.map(|t| share >= t.percent),
            })
        })
        .collect()
}

/// A requirement this state's earmarked pledges help fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapContribution {
    pub mission: String,
    pub capability: String,
    pub required: u64,
    /// Pledged by every state.
    pub pledged: u64,
    pub gap: u64,
    /// Pledged by this state.
    pub contributed: u64,
}

/// A joint pledge of another state in which this state is a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partnership {
    pub pledge_id: i64,
    pub lead: String,
    pub pledge_ref: String,
    pub capability: String,
    pub quantity: u64,
    pub role: String,
}

/// A pledge whose PCRS renewal is overdue or due soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewalLine {
    pub pledge_id: i64,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub registered_on: NaiveDate,
    pub renewed_on: Option<NaiveDate>,
    pub renewal_due: NaiveDate,
    pub overdue: bool,
}

/// One member state's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountrySummary {
    pub as_of: Option<DateTime<Utc>>,
    pub conference: Option<String>,
    pub row: CountryRow,
    pub gender: Vec<GenderComparison>,
    pub gaps_filled: Vec<GapContribution>,
    pub partnership_pledges: Vec<Partnership>,
    pub renewals: Vec<RenewalLine>,
    pub note: &'static str,
}

/// The note every country report carries.
pub const COUNTRY_NOTE: &str = INDICATIVE_NOTE;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_half_even_to_one_place() {
        assert_eq!(share_pct(1, 16).to_string(), "6.2");
        assert_eq!(share_pct(0, 0).to_string(), "0.0");
        assert_eq!(share_pct(15, 100).to_string(), "15.0");
    }

    fn cell(state: &str, capability: &str, cents: i64) -> CountryCell {
        CountryCell {
            member_state: state.into(),
            category: "unit".into(),
            capability: capability.into(),
            readiness: "L1".into(),
            mission: None,
            pledges: 1,
            quantity: 1,
            personnel: 0,
            personnel_estimated: 0,
            female_personnel: 0,
            monthly_cost: UsdTotal::from_cents(i128::from(cents)),
            renewals_due: 0,
        }
    }

    #[test]
    fn the_estimated_part_of_personnel_adds_up_in_rows_and_totals() {
        let catalog = Catalog::new(crate::MemberStates::load(), vec![], vec![], vec![], vec![]);
        let with = |state, capability, personnel, estimated| CountryCell {
            personnel,
            personnel_estimated: estimated,
            ..cell(state, capability, 0)
        };
        let cells = [
            with("PAK", "INF-BN", 850, 850),
            with("PAK", "HEL-UTIL", 60, 0),
            with("GHA", "FPU", 280, 140),
        ];
        let rows = country_rows(&cells, &BTreeMap::new(), &catalog);
        let figures: Vec<(&str, u64, u64)> = rows
            .iter()
            .map(|r| (r.member_state.as_str(), r.personnel, r.personnel_estimated))
            .collect();
        assert_eq!(figures, [("GHA", 280, 140), ("PAK", 910, 850)]);
        let totals = CountryTotals::of(&rows);
        assert_eq!((totals.personnel, totals.personnel_estimated), (1190, 990));
        let at = COUNTRY_CSV_COLUMNS
            .iter()
            .position(|c| *c == "personnel_estimated")
            .unwrap();
        assert_eq!(country_csv_row(&rows[1])[at], "850");
        assert_eq!(country_totals_csv_row(&totals)[at], "990");
        let mut sorted = rows.clone();
        sort_rows(&mut sorted, "personnel_estimated", true).unwrap();
        assert_eq!(sorted[0].member_state, "PAK");
    }

    #[test]
    fn costs_past_what_an_i64_holds_add_up_exactly_in_rows_and_totals() {
        let catalog = Catalog::new(crate::MemberStates::load(), vec![], vec![], vec![], vec![]);
        let cells = [
            cell("PAK", "INF-BN", i64::MAX),
            cell("PAK", "HEL-UTIL", i64::MAX),
            cell("GHA", "INF-BN", 5_000_000_000_000_000_000),
            cell("GHA", "QRF-COY", 1),
        ];
        let mut rows = country_rows(&cells, &BTreeMap::new(), &catalog);
        let cost = |state: &str| {
            rows.iter()
                .find(|r| r.member_state == state)
                .map(|r| r.monthly_cost_usd.cents())
        };
        assert_eq!(cost("PAK"), Some(2 * i128::from(i64::MAX)));
        assert_eq!(cost("GHA"), Some(5_000_000_000_000_000_001));
        let totals = CountryTotals::of(&rows);
        assert_eq!(
            totals.monthly_cost_usd.to_string(),
            "234467440737095516.15",
            "2 × 92233720368547758.07 + 50000000000000000.01"
        );
        sort_rows(&mut rows, "monthly_cost_usd", true).unwrap();
        assert_eq!(rows[0].member_state, "PAK");
        assert_eq!(
            country_totals_csv_row(&totals)[7],
            totals.monthly_cost_usd.to_string()
        );
    }

    /// One generated active pledge: a cell of one.
    fn pledge_cell() -> impl proptest::strategy::Strategy<Value = CountryCell> {
        use proptest::prelude::*;
        (
            (
                prop::sample::select(vec!["PAK", "GHA", "XXX"]),
                prop::sample::select(vec!["unit", "police"]),
                prop::sample::select(vec!["INF-BN", "FPU", "HEL-UTIL"]),
                prop::sample::select(vec!["L1", "L2", "RDL"]),
                prop::option::of(prop::sample::select(vec!["UNMISS", "MINUSCA"])),
            ),
            (
                0u64..1000,
                0u64..1000,
                0u64..1000,
                0u64..1000,
                any::<i64>(),
                0u64..2,
            ),
        )
            .prop_map(
                |((state, category, capability, readiness, mission), (q, p, e, f, cents, due))| {
                    CountryCell {
                        member_state: state.into(),
                        category: category.into(),
                        capability: capability.into(),
                        readiness: readiness.into(),
                        mission: mission.map(str::to_owned),
                        pledges: 1,
                        quantity: q,
                        personnel: p,
                        personnel_estimated: e,
                        female_personnel: f,
                        monthly_cost: UsdTotal::from_cents(i128::from(cents)),
                        renewals_due: due,
                    }
                },
            )
    }

    proptest::proptest! {
        /// Streaming the pledges one by one gives the rows that grouping them into cells
        /// (state, category, capability, readiness, mission) first gives.
        #[test]
        fn pledges_tallied_one_by_one_make_the_rows_of_their_grouped_cells(
            pledges in proptest::collection::vec(pledge_cell(), 0..60),
        ) {
            let catalog = Catalog::new(crate::MemberStates::load(), vec![], vec![], vec![], vec![]);
            let partnerships = BTreeMap::from([("GHA".to_owned(), 3)]);
            let mut grouped: BTreeMap<(String, String, String, String, Option<String>), CountryCell> =
                BTreeMap::new();
            for p in &pledges {
                let key = (
                    p.member_state.clone(),
                    p.category.clone(),
                    p.capability.clone(),
                    p.readiness.clone(),
                    p.mission.clone(),
                );
                match grouped.get_mut(&key) {
                    Some(c) => {
                        c.pledges += p.pledges;
                        c.quantity += p.quantity;
                        c.personnel += p.personnel;
                        c.personnel_estimated += p.personnel_estimated;
                        c.female_personnel += p.female_personnel;
                        c.monthly_cost += p.monthly_cost;
                        c.renewals_due += p.renewals_due;
                    }
                    None => {
                        grouped.insert(key, p.clone());
                    }
                }
            }
            let cells: Vec<CountryCell> = grouped.into_values().collect();
            let mut tally = CountryTally::new();
            for p in &pledges {
                tally.add(p.as_ref());
            }
            proptest::prop_assert_eq!(
                tally.into_rows(&catalog, &partnerships),
                country_rows(&cells, &partnerships, &catalog)
            );
        }
    }
}
