//! Active pledges whose PCRS renewal is overdue or due soon: found in SQL by the domain's date
//! thresholds, dated and ordered by the domain.

use chrono::NaiveDate;
use pledgeboard_domain::MemberStateCode;
use pledgeboard_domain::country_report::RenewalLine;
use pledgeboard_domain::renewal::{due_soon_until, due_thresholds, renewal_lines};

use crate::pledges::row::{RENEWAL_COLUMNS, pledge_renewal, renewal_due_by};
use crate::reports::query::Query;
use crate::{Store, StoreError};

impl Store {
    /// Active pledges (of one state, when given) whose PCRS renewal is overdue or due within
    /// 30 days of `today`, soonest first.
    pub async fn renewals(
        &self,
        today: NaiveDate,
        state: Option<&MemberStateCode>,
    ) -> Result<Vec<RenewalLine>, StoreError> {
        let mut q = Query::new(None);
        let t = due_thresholds(due_soon_until(today));
        let due = renewal_due_by(&q.bind(t.registered_by), &q.bind(t.renewed_by));
        let only = match state {
            Some(s) => format!(" AND member_state = {}", q.bind(s.as_str())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT {RENEWAL_COLUMNS} FROM pledges \
             WHERE status <> 'withdrawn'{only} AND {due}"
        );
        let pledges = self
            .rows(sql, q.values)
            .await?
            .iter()
            .map(pledge_renewal)
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(renewal_lines(pledges, today))
    }
}
