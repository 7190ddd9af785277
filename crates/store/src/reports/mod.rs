//! Reports computed where the data is: SQL aggregates (`SUM`, `COUNT`) over the current tables,
//! or over the version rows for a past moment (`as_of`). Only sums leave the database; the
//! domain turns them into figures and assembles the reports.

pub(crate) mod cost_sum;
pub(crate) mod countries;
pub(crate) mod country_pledges;
pub(crate) mod coverage;
pub(crate) mod follow_through;
pub(crate) mod outcome;
pub(crate) mod query;
pub(crate) mod renewals;
pub(crate) mod sqlite_tally;
pub(crate) mod tally_scan;
