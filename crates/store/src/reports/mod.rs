//! Reports computed where the data is: SQL aggregates only; the domain assembles them.

pub(crate) mod cost_sum;
pub(crate) mod query;
