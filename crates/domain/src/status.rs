//! Pledge status and the transitions the workflow allows.

use crate::message;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// Where a pledge stands: `pledged` → `verified` → `deployed`, or `withdrawn` from any of them;
/// an admin may reinstate a withdrawn pledge to the status it had ([`PledgeStatus::reinstated`]).
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

    /// The statuses an ordinary change may move this one to (staying put is always allowed
    /// and changes nothing); leaving `withdrawn` is a reinstatement, not a change.
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
            [] => {
                "none — a withdrawn pledge stays withdrawn unless an admin reinstates it".to_owned()
            }
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

/// The status an admin's reinstatement gives a withdrawn pledge: the last status it had before
/// it was withdrawn, read from its versions' statuses oldest first. A pledge recorded as
/// withdrawn (an import may do that) had no other status and returns to `pledged`, where the
/// workflow starts. A pledge that is not withdrawn cannot be reinstated.
pub fn status_before_withdrawal(
    history: impl IntoIterator<Item = PledgeStatus>,
) -> Result<PledgeStatus, DomainError> {
    let history: Vec<PledgeStatus> = history.into_iter().collect();
    match history.last() {
        Some(PledgeStatus::Withdrawn) => Ok(history
            .iter()
            .rev()
            .copied()
            .find(|s| s.is_active())
            .unwrap_or(PledgeStatus::Pledged)),
        Some(other) => Err(DomainError::invalid(message!(
            "err-reinstate-not-withdrawn",
            "only a withdrawn pledge can be reinstated; this one is {status}",
            status = other
        ))),
        None => Err(DomainError::invalid(message!(
            "err-reinstate-no-history",
            "this pledge has no history to reinstate"
        ))),
    }
}

impl PledgeStatus {
    /// Checks a reinstatement from `self` to `to`: only a withdrawn pledge may be reinstated,
    /// and only to an active status.
    pub fn reinstated(self, to: PledgeStatus) -> Result<PledgeStatus, DomainError> {
        match (self, to) {
            (Self::Withdrawn, to) if to.is_active() => Ok(to),
            (Self::Withdrawn, _) => Err(DomainError::invalid(message!(
                "err-reinstate-to-active",
                "a reinstated pledge returns to pledged, verified or deployed"
            ))),
            (other, _) => Err(DomainError::invalid(message!(
                "err-reinstate-not-withdrawn",
                "only a withdrawn pledge can be reinstated; this one is {status}",
                status = other
            ))),
        }
    }
}

/// What a version of a pledge did to its standing, as its history says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionEvent {
    /// The first version.
    Recorded,
    /// An active pledge became withdrawn.
    Withdrawn,
    /// A withdrawn pledge became active again.
    Reinstated,
    /// A milestone was recorded (the version says why, and what it raised).
    Milestone,
    /// Any other change.
    Changed,
}

impl VersionEvent {
    /// The event of a version with status `now`, after a version with status `previous`
    /// (none for the first version).
    pub fn of(previous: Option<PledgeStatus>, now: PledgeStatus) -> Self {
        match previous {
            None => Self::Recorded,
            Some(PledgeStatus::Withdrawn) if now.is_active() => Self::Reinstated,
            Some(was) if was.is_active() && !now.is_active() => Self::Withdrawn,
            Some(_) => Self::Changed,
        }
    }

    /// The event of a version that a milestone's recording made, when `by_milestone`; else
    /// [`VersionEvent::of`]'s (a withdrawn pledge takes no milestone, so none is hidden).
    pub fn of_version(
        previous: Option<PledgeStatus>,
        now: PledgeStatus,
        by_milestone: bool,
    ) -> Self {
        if by_milestone {
            Self::Milestone
        } else {
            Self::of(previous, now)
        }
    }

    /// The word used in JSON and on pages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recorded => "recorded",
            Self::Withdrawn => "withdrawn",
            Self::Reinstated => "reinstated",
            Self::Milestone => "milestone",
            Self::Changed => "changed",
        }
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
                DomainError::invalid(message!(
                    "err-status-unknown",
                    "status '{s}' is not one of pledged, verified, deployed, withdrawn",
                    s = s
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
    fn a_reinstated_pledge_returns_to_its_last_status_before_withdrawal() {
        assert_eq!(
            status_before_withdrawal([Pledged, Verified, Deployed, Withdrawn]),
            Ok(Deployed)
        );
        assert_eq!(
            status_before_withdrawal([Pledged, Verified, Withdrawn, Withdrawn]),
            Ok(Verified),
            "an edit while withdrawn does not hide the status it had"
        );
        assert_eq!(
            status_before_withdrawal([Pledged, Withdrawn, Pledged, Verified, Withdrawn]),
            Ok(Verified),
            "withdrawn, reinstated, verified and withdrawn again"
        );
        assert_eq!(status_before_withdrawal([Withdrawn]), Ok(Pledged));
    }

    #[test]
    fn only_a_withdrawn_pledge_can_be_reinstated() {
        let err = status_before_withdrawal([Pledged, Verified]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "only a withdrawn pledge can be reinstated; this one is verified"
        );
        assert!(Verified.reinstated(Deployed).is_err());
        assert!(Withdrawn.reinstated(Withdrawn).is_err());
        assert_eq!(Withdrawn.reinstated(Verified), Ok(Verified));
    }

    #[test]
    fn a_version_says_whether_it_recorded_withdrew_or_reinstated_the_pledge() {
        assert_eq!(VersionEvent::of(None, Pledged), VersionEvent::Recorded);
        assert_eq!(
            VersionEvent::of(Some(Verified), Withdrawn),
            VersionEvent::Withdrawn
        );
        assert_eq!(
            VersionEvent::of(Some(Withdrawn), Verified),
            VersionEvent::Reinstated
        );
        assert_eq!(
            VersionEvent::of(Some(Withdrawn), Withdrawn),
            VersionEvent::Changed
        );
        assert_eq!(
            VersionEvent::of(Some(Pledged), Verified),
            VersionEvent::Changed
        );
        assert_eq!(
            VersionEvent::of_version(Some(Verified), Deployed, true),
            VersionEvent::Milestone
        );
        assert_eq!(
            VersionEvent::of_version(Some(Verified), Withdrawn, false),
            VersionEvent::Withdrawn
        );
    }

    #[test]
    fn staying_put_is_allowed() {
        for s in PledgeStatus::ALL {
            assert_eq!(s.transition_to(s), Ok(s));
        }
    }
}
