//! Lineage reads: what a state's pledges supersede (what a new link is checked against), one
//! pledge's neighbours in its lineage, and the pledges of a conference with their
//! predecessors (the outcome report's input).

use std::collections::{HashMap, HashSet};

use pledgeboard_domain::lineage::{PledgeKey, StateLineage};
use pledgeboard_domain::{ConferenceCode, MemberStateCode, Pledge, PledgeRef};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::pledge;
use crate::pledges::read::{superseded_sql, with_details};
use crate::{PledgeFilter, Store, StoreError};

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

    /// Every pledge announced at `conference` (any status), with the pledge each supersedes
    /// and whether a later pledge supersedes it, in id order.
    pub async fn conference_pledges(
        &self,
        conference: &ConferenceCode,
    ) -> Result<Vec<ConferencePledge>, StoreError> {
        let filter = PledgeFilter {
            conference: Some(conference.clone()),
            ..PledgeFilter::default()
        };
        let mut pages = self.pledge_pages(&filter);
        let mut pledges = Vec::new();
        while let Some(page) = pages.next_page().await? {
            pledges.extend(page);
        }
        let superseded: HashSet<i64> = pledge::Entity::find()
            .select_only()
            .column(pledge::Column::Id)
            .filter(pledge::Column::Conference.eq(conference.as_str()))
            .filter(
                Condition::all().add(sea_orm::sea_query::Expr::cust(superseded_sql(
                    "pledges", "pledges",
                ))),
            )
            .into_tuple::<i64>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut wanted: HashMap<&MemberStateCode, Vec<&PledgeRef>> = HashMap::new();
        for p in &pledges {
            if let Some(r) = &p.supersedes {
                wanted.entry(&p.member_state).or_default().push(r);
            }
        }
        let mut predecessors: HashMap<(MemberStateCode, PledgeRef), Pledge> = HashMap::new();
        for (state, refs) in wanted {
            for chunk in refs.chunks(500) {
                for p in self.pledges_of_state(state, chunk).await? {
                    predecessors.insert((p.member_state.clone(), p.pledge_ref.clone()), p);
                }
            }
        }
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
