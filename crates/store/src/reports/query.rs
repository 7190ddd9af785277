//! What every report query shares: the tables it reads (now, or as of a moment), its bind
//! values, and the SQL lists of the domain's word sets it filters by.

use chrono::{DateTime, Utc};
use pledgeboard_domain::{Category, ConferenceCode, Readiness};
use sea_orm::{ConnectionTrait, QueryResult, Statement, Value};

use crate::pledges::history::pledges_as_of_source;
use crate::pledges::read::superseded_sql;
use crate::requirements::requirements_as_of_source;
use crate::{Store, StoreError};

/// Filters shared by the country reports.
#[derive(Debug, Clone, Default)]
pub struct CountryFilter {
    pub conference: Option<ConferenceCode>,
    pub as_of: Option<DateTime<Utc>>,
}

/// A query under construction: SQL text and its bind values, numbered `$1…`.
pub(crate) struct Query {
    pub(crate) values: Vec<Value>,
    pub(crate) pledges: String,
    pub(crate) requirements: String,
    /// Whether the sources are as of a moment (bound as `$1`).
    past: bool,
}

impl Query {
    /// Sources for "now", or for the moment `as_of` (bound once as `$1`).
    pub(crate) fn new(as_of: Option<DateTime<Utc>>) -> Self {
        match as_of {
            Some(at) => Self {
                values: vec![at.into()],
                pledges: pledges_as_of_source(1),
                requirements: requirements_as_of_source(1),
                past: true,
            },
            None => Self {
                values: Vec::new(),
                pledges: "pledges".into(),
                requirements: "requirements".into(),
                past: false,
            },
        }
    }

    /// The placeholder of the moment the sources are as of (`$1`), `None` for now.
    pub(crate) fn as_of(&self) -> Option<&'static str> {
        self.past.then_some("$1")
    }

    /// SQL: the pledge of row `alias` is the newest of its lineage (no pledge of this source
    /// supersedes it), so it counts toward current figures. As of a moment, a pledge
    /// superseded only later still counts.
    pub(crate) fn current(&self, alias: &str) -> String {
        format!("NOT {}", superseded_sql(&self.pledges, alias))
    }

    /// Binds a value and returns its placeholder.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }
}

/// An SQL list of words: `('a', 'b')`. The words are the domain's own, never user input.
fn word_list<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = words.into_iter().map(|w| format!("'{w}'")).collect();
    format!("({})", quoted.join(", "))
}

/// The capacity categories ([`Category::is_capacity`]): the only pledges that count toward
/// requirements.
pub(crate) fn capacity_categories() -> String {
    word_list(
        Category::ALL
            .iter()
            .filter(|c| c.is_capacity())
            .map(|c| c.as_str()),
    )
}

/// The firm readiness levels ([`Readiness::is_firm`]).
pub(crate) fn firm_readiness() -> String {
    word_list(
        Readiness::ALL
            .iter()
            .filter(|r| r.is_firm())
            .map(|r| r.as_str()),
    )
}

/// A non-negative count or sum read from a row; a negative one (never stored) reads as 0.
pub(crate) fn u64_of(r: &QueryResult, column: &str) -> Result<u64, StoreError> {
    let n: i64 = r.try_get("", column)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

impl Store {
    /// Runs a report query.
    pub(crate) async fn rows(
        &self,
        sql: String,
        values: Vec<Value>,
    ) -> Result<Vec<QueryResult>, StoreError> {
        let backend = self.db.get_database_backend();
        Ok(self
            .db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::{capacity_categories, firm_readiness};

    #[test]
    fn the_capacity_list_is_the_domains_capacity_categories() {
        assert_eq!(
            capacity_categories(),
            "('unit', 'police', 'individuals', 'equipment')"
        );
    }

    #[test]
    fn the_firm_list_is_the_domains_firm_readiness_levels() {
        assert_eq!(firm_readiness(), "('L2', 'L3', 'RDL')");
    }
}
