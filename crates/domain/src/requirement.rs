//! Mission requirements: what a mission needs of one capability, and by when.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::capability::word_enum;
use crate::{CapabilityCode, DomainError, MissionAcronym, Quantity};
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
}
