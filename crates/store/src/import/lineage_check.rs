//! The lineage links of an import's rows, checked once every row is planned: a row may name a
//! pledge stored before or a row anywhere in the same file, so the links are checked against
//! the state's stored pledges with the file's rows laid over them.

use std::collections::BTreeMap;
use std::sync::Mutex;

use pledgeboard_domain::lineage::StateLineage;
use pledgeboard_domain::pledge_csv::LineError;
use pledgeboard_domain::{FieldError, MemberStateCode, NewPledge, PledgeRef};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::txn::ImportTxn;
use crate::StoreError;
use crate::entities::pledge;

/// One planned row's link: its line, key, and what it supersedes after the import.
struct LinkRow {
    line: u64,
    pledge_ref: PledgeRef,
    supersedes: Option<PledgeRef>,
}

/// One state's planned rows: those that supersede a pledge, and the references of those that
/// supersede none, one per line (a reference holds no control character). The latter only
/// count as pledges that exist, and a file whose `supersedes` column is empty holds a million
/// of them: as [`LinkRow`]s they took about 100 MiB of a million-row import.
#[derive(Default)]
struct StateRows {
    linked: Vec<LinkRow>,
    unlinked: String,
}

/// The links of the rows planned to be written, gathered batch by batch.
#[derive(Default)]
pub(super) struct ImportLinks {
    rows: Mutex<BTreeMap<MemberStateCode, StateRows>>,
}

impl ImportLinks {
    /// Notes the link of a row planned as a creation or a change.
    pub(super) fn note(&self, line: u64, pledge: &NewPledge) {
        if let Ok(mut rows) = self.rows.lock() {
            let state = rows.entry(pledge.member_state.clone()).or_default();
            match &pledge.supersedes {
                Some(target) => state.linked.push(LinkRow {
                    line,
                    pledge_ref: pledge.pledge_ref.clone(),
                    supersedes: Some(target.clone()),
                }),
                None => {
                    state.unlinked.push_str(pledge.pledge_ref.as_str());
                    state.unlinked.push('\n');
                }
            }
        }
    }

    /// Every row whose link cannot stand, as a line error in the `supersedes` column.
    pub(super) async fn check(self, txn: &ImportTxn) -> Result<Vec<LineError>, StoreError> {
        let rows = self.rows.into_inner().unwrap_or_default();
        let mut errors = Vec::new();
        for (state, StateRows { linked, unlinked }) in rows {
            if linked.is_empty() {
                continue;
            }
            let stored: Vec<(String, Option<String>)> = pledge::Entity::find()
                .select_only()
                .column(pledge::Column::PledgeRef)
                .column(pledge::Column::SupersedesRef)
                .filter(pledge::Column::MemberState.eq(state.as_str()))
                .into_tuple()
                .all(txn)
                .await?;
            let links = stored
                .into_iter()
                .map(|(r, s)| {
                    Ok((
                        PledgeRef::parse(&r)?,
                        s.as_deref().map(PledgeRef::parse).transpose()?,
                    ))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            let mut lineage = StateLineage::new(state.clone(), links);
            for reference in unlinked.lines() {
                lineage.set(PledgeRef::parse(reference)?, None);
            }
            for r in &linked {
                lineage.set(r.pledge_ref.clone(), r.supersedes.clone());
            }
            for r in &linked {
                if let Some(target) = &r.supersedes
                    && let Err(e) = lineage.check(&r.pledge_ref, target)
                {
                    let value = format!("{state}:{target}");
                    errors.push(LineError::at(
                        r.line,
                        FieldError::new("supersedes", &value, e),
                    ));
                }
            }
        }
        Ok(errors)
    }
}
