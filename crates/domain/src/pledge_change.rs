//! Changing a stored pledge: the draft it starts from, and the rules a change must keep.

use crate::message;
use crate::pledge_draft::{EquipmentDraft, PledgeDraft};
use chrono::{DateTime, Utc};

use crate::{Category, FieldError, NewPledge, Pledge};

impl Pledge {
    /// The pledge's values as a draft, the starting point of a change.
    pub fn to_draft(&self) -> PledgeDraft {
        let text = |s: &Option<String>| s.clone();
        PledgeDraft {
            pledge_ref: self.pledge_ref.to_string(),
            member_state: self.member_state.to_string(),
            capability: self.capability.to_string(),
            quantity: Some(i64::from(self.quantity.get())),
            // An estimate is not a figure anyone stated: left out, it follows the quantity.
            personnel: (!self.personnel.is_estimated()).then(|| i64::from(self.personnel.total())),
            female_personnel: Some(i64::from(self.personnel.women())),
            personnel_estimated: false,
            readiness: Some(self.readiness.to_string()),
            available_from: self.available_from.map(|d| d.to_string()),
            duration_months: self.duration_months.map(|d| i64::from(d.get())),
            mission: self.mission.as_ref().map(ToString::to_string),
            conference: self.conference.as_ref().map(ToString::to_string),
            status: Some(self.status.to_string()),
            caveats: text(&self.caveats),
            monthly_cost_usd: self.monthly_cost_usd.map(|u| u.to_string()),
            partners: self.partners.iter().map(ToString::to_string).collect(),
            equipment: self
                .equipment
                .iter()
                .map(|e| EquipmentDraft {
                    category: e.category.clone(),
                    description: e.description.clone(),
                    quantity: Some(i64::from(e.quantity.get())),
                    lease: e.lease.to_string(),
                })
                .collect(),
            notes: text(&self.notes),
            registered_on: Some(self.registered_on.to_string()),
            renewed_on: self.renewed_on.map(|d| d.to_string()),
            supersedes: self.supersedes_key().map(|k| k.to_string()),
        }
    }

    /// The pledge that changing this one into `next` stores, as it reads back: the next
    /// version, made by `by` at `at`, its registration date kept when `next` gives none, its
    /// partners in member-state order.
    pub fn next_version(
        &self,
        next: &NewPledge,
        category: Category,
        by: &str,
        at: DateTime<Utc>,
    ) -> Pledge {
        let mut partners = next.partners.clone();
        partners.sort_by(|a, b| a.member_state.cmp(&b.member_state));
        Pledge {
            id: self.id,
            pledge_ref: next.pledge_ref.clone(),
            member_state: next.member_state.clone(),
            capability: next.capability.clone(),
            category,
            quantity: next.quantity,
            personnel: next.personnel,
            readiness: next.readiness,
            available_from: next.available_from,
            duration_months: next.duration_months,
            mission: next.mission.clone(),
            conference: next.conference.clone(),
            status: next.status,
            caveats: next.caveats.clone(),
            monthly_cost_usd: next.monthly_cost_usd,
            partners,
            equipment: next.equipment.clone(),
            notes: next.notes.clone(),
            registered_on: next.registered_on.unwrap_or(self.registered_on),
            renewed_on: next.renewed_on,
            supersedes: next.supersedes.clone(),
            version: self.version + 1,
            created_at: self.created_at,
            updated_at: at,
            updated_by: by.to_owned(),
        }
    }

    /// The pledge's values in the form a change produces, to tell whether a change changes
    /// anything.
    pub fn to_new(&self) -> NewPledge {
        NewPledge {
            pledge_ref: self.pledge_ref.clone(),
            member_state: self.member_state.clone(),
            capability: self.capability.clone(),
            quantity: self.quantity,
            personnel: self.personnel,
            readiness: self.readiness,
            available_from: self.available_from,
            duration_months: self.duration_months,
            mission: self.mission.clone(),
            conference: self.conference.clone(),
            status: self.status,
            caveats: self.caveats.clone(),
            monthly_cost_usd: self.monthly_cost_usd,
            partners: self.partners.clone(),
            equipment: self.equipment.clone(),
            notes: self.notes.clone(),
            registered_on: Some(self.registered_on),
            renewed_on: self.renewed_on,
            supersedes: self.supersedes.clone(),
        }
    }

    /// Checks that `next` is an allowed change of this pledge: its identity stays, and its
    /// status moves only as the workflow allows.
    pub fn check_change(&self, next: &NewPledge) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if next.member_state != self.member_state {
            errors.push(FieldError::new(
                "member_state",
                next.member_state.as_str(),
                message!(
                    "err-change-member-state",
                    "a pledge stays with its member state ({state}); withdraw it and record a new \
                     one",
                    state = &self.member_state
                ),
            ));
        }
        if next.pledge_ref != self.pledge_ref {
            errors.push(FieldError::new(
                "pledge_ref",
                next.pledge_ref.as_str(),
                message!(
                    "err-change-pledge-ref",
                    "the reference {reference} identifies this pledge and cannot change",
                    reference = &self.pledge_ref
                ),
            ));
        }
        if let Err(e) = self.status.transition_to(next.status) {
            errors.push(FieldError::new("status", next.status.as_str(), e));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Checks that `next` reinstates this withdrawn pledge: the status becomes an active one
    /// ([`crate::PledgeStatus::reinstated`]) and nothing else changes.
    pub fn check_reinstatement(&self, next: &NewPledge) -> Result<(), Vec<FieldError>> {
        let to = self
            .status
            .reinstated(next.status)
            .map_err(|e| vec![FieldError::new("status", next.status.as_str(), e)])?;
        let mut same = self.to_new();
        same.status = to;
        if same == *next {
            Ok(())
        } else {
            Err(vec![FieldError::new(
                "",
                "",
                message!(
                    "err-reinstate-status-only",
                    "a reinstatement changes the status only"
                ),
            )])
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, NaiveDate, Utc};

    use crate::{
        CapabilityCode, Category, MemberStateCode, Partner, Personnel, Pledge, PledgeRef, Quantity,
    };

    fn stored() -> Pledge {
        let at = DateTime::<Utc>::UNIX_EPOCH;
        Pledge {
            id: 9,
            pledge_ref: PledgeRef::parse("PAK-2026-001").unwrap(),
            member_state: MemberStateCode::parse("PAK").unwrap(),
            capability: CapabilityCode::parse("INF-BN").unwrap(),
            category: Category::Unit,
            quantity: Quantity::new(2).unwrap(),
            personnel: Personnel::new(10, 1).unwrap(),
            readiness: "L2".parse().unwrap(),
            available_from: None,
            duration_months: None,
            mission: None,
            conference: None,
            status: "verified".parse().unwrap(),
            caveats: None,
            monthly_cost_usd: None,
            partners: Vec::new(),
            equipment: Vec::new(),
            notes: None,
            registered_on: NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(),
            renewed_on: None,
            supersedes: None,
            version: 3,
            created_at: at,
            updated_at: at,
            updated_by: "planner".into(),
        }
    }

    #[test]
    fn the_next_version_holds_the_change_and_keeps_what_a_change_cannot_give() {
        let current = stored();
        let mut next = current.to_new();
        next.registered_on = None;
        next.quantity = Quantity::new(7).unwrap();
        next.partners = vec![
            "KOR:trains".parse::<Partner>().unwrap(),
            "JPN:equips".parse::<Partner>().unwrap(),
        ];
        let at = current.updated_at + Duration::hours(1);
        let changed = current.next_version(&next, Category::Unit, "admin", at);
        assert_eq!(changed.quantity.get(), 7);
        assert_eq!(changed.version, 4);
        assert_eq!(changed.registered_on, current.registered_on);
        assert_eq!(changed.created_at, current.created_at);
        assert_eq!(
            (changed.updated_at, changed.updated_by.as_str()),
            (at, "admin")
        );
        let states: Vec<&str> = changed
            .partners
            .iter()
            .map(|p| p.member_state.as_str())
            .collect();
        assert_eq!(states, ["JPN", "KOR"]);
    }
}
