//! Mission requirements: what a mission needs of one capability, and by when.

use crate::message;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::capability::word_enum;
use crate::pledge_draft::parse_iso_date;
use crate::{
    CapabilityCode, Catalog, DomainError, FieldError, MissionAcronym, Personnel, Quantity,
};
use std::fmt;
use std::str::FromStr;

word_enum!(
    /// How urgently a requirement must be filled; `Critical` sorts first.
    Priority, "priority", {
        Critical => "critical",
        High => "high",
        Normal => "normal",
    }
);

/// A requirement before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRequirement {
    pub mission: MissionAcronym,
    pub capability: CapabilityCode,
    pub quantity: Quantity,
    pub personnel: u32,
    pub needed_by: NaiveDate,
    pub priority: Priority,
}

/// A stored requirement; one per (mission, capability).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub id: i64,
    pub mission: MissionAcronym,
    pub capability: CapabilityCode,
    pub quantity: Quantity,
    pub personnel: u32,
    pub needed_by: NaiveDate,
    pub priority: Priority,
    pub version: i32,
}

/// A requirement as given, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequirementDraft {
    pub mission: String,
    pub capability: String,
    pub quantity: Option<i64>,
    pub personnel: Option<i64>,
    pub needed_by: String,
    pub priority: String,
}

impl RequirementDraft {
    /// Checks every field against the rules and the catalog; returns all errors at once.
    pub fn validate(&self, catalog: &Catalog) -> Result<NewRequirement, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: &str, value: &str, e: DomainError| {
            errors.push(FieldError::new(field, value, e))
        };
        let mission = catalog
            .mission(&self.mission)
            .map(|m| m.acronym.clone())
            .map_err(|e| check("mission", &self.mission, e))
            .ok();
        let capability = catalog
            .capability(&self.capability)
            .and_then(|c| {
                if c.category.is_capacity() {
                    Ok(c.code.clone())
                } else {
                    Err(DomainError::invalid(message!(
                        "err-requirement-not-capacity",
                        "{code} is a {category} pledge, not capacity a mission can require",
                        code = &c.code,
                        category = c.category
                    )))
                }
            })
            .map_err(|e| check("capability", &self.capability, e))
            .ok();
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let quantity = self
            .quantity
            .ok_or_else(|| {
                DomainError::invalid(message!("err-quantity-required", "a quantity is required"))
            })
            .and_then(Quantity::new)
            .map_err(|e| check("quantity", &number(self.quantity), e))
            .ok();
        let personnel = Personnel::new(self.personnel.unwrap_or(0), 0)
            .map(|p| p.total())
            .map_err(|e| check("personnel", &number(self.personnel), e))
            .ok();
        let needed_by = parse_iso_date(&self.needed_by)
            .map_err(|e| check("needed_by", &self.needed_by, e))
            .ok();
        let priority = self
            .priority
            .parse::<Priority>()
            .map_err(|e| check("priority", &self.priority, e))
            .ok();
        match (
            mission, capability, quantity, personnel, needed_by, priority,
        ) {
            (
                Some(mission),
                Some(capability),
                Some(quantity),
                Some(personnel),
                Some(needed_by),
                Some(priority),
            ) => Ok(NewRequirement {
                mission,
                capability,
                quantity,
                personnel,
                needed_by,
                priority,
            }),
            _ => Err(errors),
        }
    }
}

impl Requirement {
    /// Whether storing `new` would leave this requirement as it is: every value the same.
    pub fn has_values_of(&self, new: &NewRequirement) -> bool {
        self.mission == new.mission
            && self.capability == new.capability
            && self.quantity == new.quantity
            && self.personnel == new.personnel
            && self.needed_by == new.needed_by
            && self.priority == new.priority
    }

    /// The requirement's values, as a change would give them.
    pub fn to_new(&self) -> NewRequirement {
        NewRequirement {
            mission: self.mission.clone(),
            capability: self.capability.clone(),
            quantity: self.quantity,
            personnel: self.personnel,
            needed_by: self.needed_by,
            priority: self.priority,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn critical_sorts_before_high_before_normal() {
        let mut p = vec![Priority::Normal, Priority::Critical, Priority::High];
        p.sort();
        assert_eq!(
            p,
            vec![Priority::Critical, Priority::High, Priority::Normal]
        );
    }

    fn stored() -> Requirement {
        Requirement {
            id: 7,
            mission: MissionAcronym::parse("UNMISS").unwrap(),
            capability: CapabilityCode::parse("INF-BN").unwrap(),
            quantity: Quantity::new(2).unwrap(),
            personnel: 1700,
            needed_by: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            priority: Priority::High,
            version: 3,
        }
    }

    #[test]
    fn a_requirement_has_its_own_values_whatever_its_id_and_version() {
        let r = stored();
        assert!(r.has_values_of(&r.to_new()));
        let renumbered = Requirement {
            id: 8,
            version: 9,
            ..stored()
        };
        assert!(renumbered.has_values_of(&r.to_new()));
    }

    #[test]
    fn any_changed_value_is_a_change() {
        let r = stored();
        let changes: [fn(&mut NewRequirement); 6] = [
            |n| n.mission = MissionAcronym::parse("MINUSCA").unwrap(),
            |n| n.capability = CapabilityCode::parse("HEL-UTIL").unwrap(),
            |n| n.quantity = Quantity::new(3).unwrap(),
            |n| n.personnel = 1,
            |n| n.needed_by = NaiveDate::from_ymd_opt(2028, 1, 1).unwrap(),
            |n| n.priority = Priority::Critical,
        ];
        for change in changes {
            let mut new = r.to_new();
            change(&mut new);
            assert!(!r.has_values_of(&new), "{new:?}");
        }
    }
}
