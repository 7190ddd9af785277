//! Whole pledges — partners and equipment included — as they stand now or stood at a moment,
//! chosen by an SQL condition on their rows then: what a report that reads every field of a
//! conference's few hundred pledges (the outcome) reads, now and as of a moment alike.

use pledgeboard_domain::Pledge;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

use crate::entities::pledge;
use crate::pledges::read::with_details;
use crate::pledges::row::{version_to_domain, versions_select};
use crate::reports::query::Query;
use crate::{Store, StoreError};

impl Store {
    /// The pledges whose row, as `q` reads them (now, or as of its moment), meets `condition`:
    /// SQL over the pledge columns of row `p` (not `id`, which version rows call `pledge_id`),
    /// its values bound through `q`. In id order.
    pub(crate) async fn whole_pledges(
        &self,
        q: &Query,
        condition: &str,
    ) -> Result<Vec<Pledge>, StoreError> {
        let backend = self.db.get_database_backend();
        let statement =
            |sql: String| Statement::from_sql_and_values(backend, sql, q.values.clone());
        // The current row is the pledge as it stood at the moment if it was written by then;
        // otherwise the version row valid then is (`pledges_as_of_source`'s two halves).
        let current_since = match q.as_of() {
            Some(at) => format!("p.updated_at <= {at} AND "),
            None => String::new(),
        };
        let rows = pledge::Entity::find()
            .from_raw_sql(statement(format!(
                "SELECT p.* FROM pledges p WHERE {current_since}{condition}"
            )))
            .all(&self.db)
            .await?;
        let mut pledges = with_details(&self.db, rows).await?;
        if let Some(at) = q.as_of() {
            let sql = format!(
                "{} p WHERE p.valid_from <= {at} AND p.valid_to > {at} AND {condition}",
                versions_select()
            );
            for r in self.db.query_all_raw(statement(sql)).await? {
                pledges.push(version_to_domain(&r)?);
            }
        }
        pledges.sort_by_key(|p| p.id);
        Ok(pledges)
    }
}
