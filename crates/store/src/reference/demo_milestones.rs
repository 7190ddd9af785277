//! The demo milestones (`fixtures/demo_milestones.csv`, illustrative): recorded on the demo
//! pledges as any milestone is — checked by `milestone_rules`, each a pledge version with its
//! audit entry — in one transaction, as the demo data's author. A milestone whose pledge
//! already has its kind is not recorded again, so loading twice adds nothing.

use std::collections::HashMap;

use chrono::Utc;
use pledgeboard_domain::milestone_rules::{latest_today, plan_milestone};
use pledgeboard_domain::reference_csv::PledgeMilestoneRow;
use pledgeboard_domain::{Actor, Catalog, Role};
use sea_orm::{EntityTrait, QuerySelect};

use crate::entities::pledge;
use crate::milestones::milestones_on;
use crate::pledges::change::PledgeWrite;
use crate::pledges::read::find_on;
use crate::{Store, StoreError};

impl Store {
    /// Records the `rows` whose pledge exists and lacks their kind, as `by`; a row that breaks
    /// a milestone rule is an error naming its pledge, and nothing is recorded.
    pub(crate) async fn insert_missing_milestones(
        &self,
        catalog: &Catalog,
        rows: &[PledgeMilestoneRow],
        by: &str,
    ) -> Result<u64, StoreError> {
        let actor = Actor {
            token_id: 0,
            name: by.to_owned(),
            role: Role::Admin,
            member_state: None,
        };
        let today = latest_today(Utc::now());
        let txn = self.begin_write().await?;
        let ids: HashMap<(String, String), i64> = pledge::Entity::find()
            .select_only()
            .column(pledge::Column::MemberState)
            .column(pledge::Column::PledgeRef)
            .column(pledge::Column::Id)
            .into_tuple::<(String, String, i64)>()
            .all(&txn)
            .await?
            .into_iter()
            .map(|(state, reference, id)| ((state, reference), id))
            .collect();
        let mut added = 0;
        for row in rows {
            let key = (row.member_state.to_string(), row.pledge_ref.to_string());
            let Some(&id) = ids.get(&key) else { continue };
            let current = find_on(&txn, id).await?;
            let recorded = milestones_on(&txn, id).await?;
            if recorded.iter().any(|m| m.kind == row.milestone.kind) {
                continue;
            }
            let plan = plan_milestone(&current, &recorded, &row.milestone, today).map_err(|e| {
                let words: Vec<String> = e.iter().map(|f| f.message.clone()).collect();
                StoreError::Corrupt(format!(
                    "fixture demo_milestones.csv: {}:{} {}: {}",
                    key.0,
                    key.1,
                    row.milestone.kind,
                    words.join("; ")
                ))
            })?;
            let category = catalog.capability(plan.next.capability.as_str())?.category;
            PledgeWrite::Milestone {
                category,
                current: Box::new(current),
                next: plan.next,
                milestone: row.milestone.clone(),
                reason: plan.reason,
                actor: actor.clone(),
            }
            .apply(&txn)
            .await?;
            added += 1;
        }
        txn.commit().await?;
        Ok(added)
    }
}
