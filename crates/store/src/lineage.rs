//! Lineage reads: what a state's pledges supersede (what a new link is checked against), one
//! pledge's neighbours in its lineage, and the pledges of a conference with their
//! predecessors, now or as of a moment (the outcome report's input).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use pledgeboard_domain::lineage::{PledgeKey, StateLineage};
use pledgeboard_domain::{ConferenceCode, MemberStateCode, Pledge, PledgeRef};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::pledge;
use crate::pledges::read::{superseded_sql, with_details};
use crate::reports::query::Query;
use crate::{Store, StoreError};

/// A pledge's place in its lineage: the pledge it supersedes and the one superseding it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PledgeLineage {
    pub predecessor: Option<Pledge>,
    pub successor: Option<Pledge>,
}

/// A pledge of a conference with the pledge it supersedes, and whether a later pledge
/// supersedes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConferencePledge {
    pub pledge: Pledge,
    pub predecessor: Option<Pledge>,
    pub superseded: bool,
}

impl Store {
    /// Every pledge of `state` with the reference of the pledge it supersedes.
    pub async fn state_lineage(&self, state: &MemberStateCode) -> Result<StateLineage, StoreError> {
        let rows: Vec<(String, Option<String>)> = pledge::Entity::find()
            .select_only()
            .column(pledge::Column::PledgeRef)
            .column(pledge::Column::SupersedesRef)
            .filter(pledge::Column::MemberState.eq(state.as_str()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let links = rows
            .into_iter()
            .map(|(r, s)| {
                Ok((
                    PledgeRef::parse(&r)?,
                    s.as_deref().map(PledgeRef::parse).transpose()?,
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(StateLineage::new(state.clone(), links))
    }

    /// The pledges of `state` under these references.
    async fn pledges_of_state(
        &self,
        state: &MemberStateCode,
        refs: &[&PledgeRef],
    ) -> Result<Vec<Pledge>, StoreError> {
        if refs.is_empty() {
            return Ok(Vec::new());
        }
        let rows = pledge::Entity::find()
            .filter(pledge::Column::MemberState.eq(state.as_str()))
            .filter(pledge::Column::PledgeRef.is_in(refs.iter().map(|r| r.as_str())))
            .order_by_asc(pledge::Column::Id)
            .all(&self.db)
            .await?;
        with_details(&self.db, rows).await
    }

    /// The ids of the pledges under these keys (keys of no pledge are left out).
    pub async fn pledge_ids(
        &self,
        keys: &[PledgeKey],
    ) -> Result<HashMap<PledgeKey, i64>, StoreError> {
        let mut by_state: HashMap<&MemberStateCode, Vec<&PledgeRef>> = HashMap::new();
        for key in keys {
            by_state
                .entry(&key.member_state)
                .or_default()
                .push(&key.pledge_ref);
        }
        let mut ids = HashMap::new();
        for (state, refs) in by_state {
            for chunk in refs.chunks(500) {
                let rows: Vec<(i64, String)> = pledge::Entity::find()
                    .select_only()
                    .column(pledge::Column::Id)
                    .column(pledge::Column::PledgeRef)
                    .filter(pledge::Column::MemberState.eq(state.as_str()))
                    .filter(pledge::Column::PledgeRef.is_in(chunk.iter().map(|r| r.as_str())))
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                for (id, reference) in rows {
                    let key = PledgeKey {
                        member_state: state.clone(),
                        pledge_ref: PledgeRef::parse(&reference)?,
                    };
                    ids.insert(key, id);
                }
            }
        }
        Ok(ids)
    }

    /// The pledge `pledge` supersedes, and the pledge that supersedes it.
    pub async fn pledge_lineage(&self, pledge: &Pledge) -> Result<PledgeLineage, StoreError> {
        let predecessor = match &pledge.supersedes {
            Some(r) => self
                .pledges_of_state(&pledge.member_state, &[r])
                .await?
                .into_iter()
                .next(),
            None => None,
        };
        let rows = pledge::Entity::find()
            .filter(pledge::Column::MemberState.eq(pledge.member_state.as_str()))
            .filter(pledge::Column::SupersedesRef.eq(pledge.pledge_ref.as_str()))
            .order_by_asc(pledge::Column::Id)
            .limit(1)
            .all(&self.db)
            .await?;
        let successor = with_details(&self.db, rows).await?.into_iter().next();
        Ok(PledgeLineage {
            predecessor,
            successor,
        })
    }

    /// Every pledge announced at `conference` (any status) as it stands now or stood at
    /// `as_of`, with the pledge each superseded then and whether a pledge then superseded it,
    /// in id order.
    pub async fn conference_pledges(
        &self,
        conference: &ConferenceCode,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<ConferencePledge>, StoreError> {
        let mut q = Query::new(as_of);
        let code = q.bind(conference.as_str());
        let pledges = self
            .whole_pledges(&q, &format!("p.conference = {code}"))
            .await?;
        let predecessors: HashMap<(MemberStateCode, PledgeRef), Pledge> = self
            .whole_pledges(
                &q,
                &format!(
                    "(p.member_state, p.pledge_ref) IN (SELECT s.member_state, s.supersedes_ref \
                     FROM {} s WHERE s.conference = {code})",
                    q.pledges
                ),
            )
            .await?
            .into_iter()
            .map(|p| ((p.member_state.clone(), p.pledge_ref.clone()), p))
            .collect();
        let sql = format!(
            "SELECT p.id FROM {} p WHERE p.conference = {code} AND {}",
            q.pledges,
            superseded_sql(&q.pledges, "p")
        );
        let superseded: HashSet<i64> = self
            .rows(sql, q.values.clone())
            .await?
            .iter()
            .map(|r| r.try_get::<i64>("", "id"))
            .collect::<Result<_, _>>()?;
        Ok(pledges
            .into_iter()
            .map(|p| ConferencePledge {
                predecessor: p
                    .supersedes
                    .as_ref()
                    .and_then(|r| predecessors.get(&(p.member_state.clone(), r.clone())))
                    .cloned(),
                superseded: superseded.contains(&p.id),
                pledge: p,
            })
            .collect())
    }
}
