//! Pledge status and the transitions the workflow allows.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Where a pledge stands: `pledged` → `verified` → `deployed`, or `withdrawn` from any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PledgeStatus {
    Pledged,
    Verified,
    Deployed,
    Withdrawn,
}

impl PledgeStatus {
    /// Every status, in workflow order.
    pub const ALL: [PledgeStatus; 4] = [
        Self::Pledged,
        Self::Verified,
        Self::Deployed,
        Self::Withdrawn,
    ];

    /// The word used in CSV, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pledged => "pledged",
            Self::Verified => "verified",
            Self::Deployed => "deployed",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Active means counted: any status but `withdrawn`.
    pub fn is_active(self) -> bool {
        self != Self::Withdrawn
    }

    /// The statuses this one may move to (staying put is always allowed and changes nothing).
    pub fn allowed_next(self) -> &'static [PledgeStatus] {
        match self {
            Self::Pledged => &[Self::Verified, Self::Withdrawn],
            Self::Verified => &[Self::Deployed, Self::Withdrawn],
            Self::Deployed => &[Self::Withdrawn],
            Self::Withdrawn => &[],
        }
    }

    /// Checks a move from `self` to `next`, explaining the allowed moves when it is refused.
    pub fn transition_to(self, next: PledgeStatus) -> Result<PledgeStatus, DomainError> {
        if next == self || self.allowed_next().contains(&next) {
            return Ok(next);
        }
        let allowed = match self.allowed_next() {
            [] => "none — a withdrawn pledge stays withdrawn".to_owned(),
            moves => moves
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        Err(DomainError::ForbiddenTransition {
            from: self.to_string(),
            to: next.to_string(),
            allowed,
        })
    }
}

impl fmt::Display for PledgeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PledgeStatus {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                DomainError::invalid(format!(
                    "status '{s}' is not one of pledged, verified, deployed, withdrawn"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::PledgeStatus::*;
    use super::*;

    #[test]
    fn the_workflow_moves_forward_one_step() {
        assert_eq!(Pledged.transition_to(Verified), Ok(Verified));
        assert_eq!(Verified.transition_to(Deployed), Ok(Deployed));
    }

    #[test]
    fn any_active_status_may_be_withdrawn() {
        for s in [Pledged, Verified, Deployed] {
            assert_eq!(s.transition_to(Withdrawn), Ok(Withdrawn));
        }
    }

    #[test]
    fn nothing_leaves_withdrawn() {
        for s in [Pledged, Verified, Deployed] {
            let err = Withdrawn.transition_to(s).unwrap_err();
            assert!(err.to_string().contains("stays withdrawn"), "{err}");
        }
    }

    #[test]
    fn a_forbidden_move_names_the_allowed_ones() {
        let err = Deployed.transition_to(Pledged).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a deployed pledge cannot become pledged; allowed: withdrawn"
        );
    }

    #[test]
    fn staying_put_is_allowed() {
        for s in PledgeStatus::ALL {
            assert_eq!(s.transition_to(s), Ok(s));
        }
    }
}
