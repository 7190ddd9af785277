//! Changing a stored pledge: the draft it starts from, and the rules a change must keep.

use crate::pledge_draft::{EquipmentDraft, PledgeDraft};
use crate::{FieldError, NewPledge, Pledge};

impl Pledge {
    /// The pledge's values as a draft, the starting point of a change.
    pub fn to_draft(&self) -> PledgeDraft {
        let text = |s: &Option<String>| s.clone();
        PledgeDraft {
            pledge_ref: self.pledge_ref.to_string(),
            member_state: self.member_state.to_string(),
            capability: self.capability.to_string(),
            quantity: Some(i64::from(self.quantity.get())),
            personnel: Some(i64::from(self.personnel.total())),
            female_personnel: Some(i64::from(self.personnel.women())),
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
                format!(
                    "a pledge stays with its member state ({}); withdraw it and record a new one",
                    self.member_state
                ),
            ));
        }
        if next.pledge_ref != self.pledge_ref {
            errors.push(FieldError::new(
                "pledge_ref",
                next.pledge_ref.as_str(),
                format!(
                    "the reference {} identifies this pledge and cannot change",
                    self.pledge_ref
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
}
