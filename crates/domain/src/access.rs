//! Who may do what: roles, the actor behind a request, and the permission rules.

use crate::message;
use crate::message::Message;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::capability::word_enum;
use crate::{DomainError, MemberStateCode};

word_enum!(
    /// What a token may do.
    Role, "role", {
        Admin => "admin",
        Planner => "planner",
        Delegate => "delegate",
        Viewer => "viewer",
    }
);

/// The holder of a token, as every change records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub token_id: i64,
    pub name: String,
    pub role: Role,
    /// The state a delegate records for; `None` for every other role.
    pub member_state: Option<MemberStateCode>,
}

/// Why an actor may not do something, in words to show them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Forbidden(pub Message);

impl Actor {
    /// Records pledges at all (for some state): every role but viewer.
    pub fn may_record_pledges(&self) -> Result<(), Forbidden> {
        match self.role {
            Role::Viewer => Err(Forbidden(message!(
                "err-viewer-may-not-record",
                "a viewer may read but not record pledges"
            ))),
            _ => Ok(()),
        }
    }

    /// Records and changes pledges of `state`: admins and planners for any state, a delegate
    /// for its own only.
    pub fn may_write_pledge_of(&self, state: &MemberStateCode) -> Result<(), Forbidden> {
        match (self.role, &self.member_state) {
            (Role::Admin | Role::Planner, _) => Ok(()),
            (Role::Delegate, Some(own)) if own == state => Ok(()),
            (Role::Delegate, Some(own)) => Err(Forbidden(message!(
                "err-delegate-own-state",
                "a delegate of {own} may record only {own}'s pledges, not {state}'s",
                own = own,
                state = state
            ))),
            (Role::Delegate, None) => Err(Forbidden(message!(
                "err-delegate-no-state",
                "this delegate token names no member state"
            ))),
            (Role::Viewer, _) => Err(Forbidden(message!(
                "err-viewer-may-not-record",
                "a viewer may read but not record pledges"
            ))),
        }
    }

    /// Records a milestone on a pledge of `state`: whoever may change that pledge (a milestone
    /// is a change of it), so a delegate for its own state only and a viewer never.
    pub fn may_record_milestone_of(&self, state: &MemberStateCode) -> Result<(), Forbidden> {
        match self.role {
            Role::Viewer => Err(Forbidden(message!(
                "err-viewer-no-milestones",
                "a viewer may read milestones but not record them"
            ))),
            _ => self.may_write_pledge_of(state),
        }
    }

    /// Writes requirements, missions, conferences and tokens, and deletes milestones (a
    /// correction): admins only.
    pub fn may_administer(&self) -> Result<(), Forbidden> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Forbidden(message!(
                "err-admin-only",
                "only an admin may do this; this token is a {role}",
                role = self.role
            )))
        }
    }
}

/// Checks that a token's member state suits its role: required for delegates, refused for others.
pub fn check_token_scope(
    role: Role,
    member_state: Option<&MemberStateCode>,
) -> Result<(), DomainError> {
    match (role, member_state) {
        (Role::Delegate, None) => Err(DomainError::invalid(message!(
            "err-delegate-needs-state",
            "a delegate token must name its member state"
        ))),
        (Role::Delegate, Some(_)) | (_, None) => Ok(()),
        (other, Some(_)) => Err(DomainError::invalid(message!(
            "err-state-only-for-delegates",
            "only delegate tokens are bound to a member state, not {role} tokens",
            role = other
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, state: Option<&str>) -> Actor {
        Actor {
            token_id: 1,
            name: "t".into(),
            role,
            member_state: state.map(|s| MemberStateCode::parse(s).unwrap()),
        }
    }

    #[test]
    fn planners_record_for_any_state() {
        let pak = MemberStateCode::parse("PAK").unwrap();
        assert!(actor(Role::Planner, None).may_write_pledge_of(&pak).is_ok());
        assert!(actor(Role::Admin, None).may_write_pledge_of(&pak).is_ok());
    }

    #[test]
    fn a_delegate_records_only_its_own_state() {
        let pak = MemberStateCode::parse("PAK").unwrap();
        let jpn = MemberStateCode::parse("JPN").unwrap();
        let delegate = actor(Role::Delegate, Some("PAK"));
        assert!(delegate.may_write_pledge_of(&pak).is_ok());
        assert_eq!(
            delegate.may_write_pledge_of(&jpn).unwrap_err().to_string(),
            "a delegate of PAK may record only PAK's pledges, not JPN's"
        );
    }

    #[test]
    fn viewers_only_read() {
        let pak = MemberStateCode::parse("PAK").unwrap();
        assert!(actor(Role::Viewer, None).may_write_pledge_of(&pak).is_err());
        assert!(actor(Role::Viewer, None).may_administer().is_err());
    }

    #[test]
    fn milestones_are_recorded_by_whoever_may_change_the_pledge() {
        let pak = MemberStateCode::parse("PAK").unwrap();
        let jpn = MemberStateCode::parse("JPN").unwrap();
        assert!(
            actor(Role::Planner, None)
                .may_record_milestone_of(&jpn)
                .is_ok()
        );
        let delegate = actor(Role::Delegate, Some("PAK"));
        assert!(delegate.may_record_milestone_of(&pak).is_ok());
        assert_eq!(
            delegate
                .may_record_milestone_of(&jpn)
                .unwrap_err()
                .to_string(),
            "a delegate of PAK may record only PAK's pledges, not JPN's"
        );
        assert_eq!(
            actor(Role::Viewer, None)
                .may_record_milestone_of(&pak)
                .unwrap_err()
                .to_string(),
            "a viewer may read milestones but not record them"
        );
    }

    #[test]
    fn only_admins_administer() {
        assert!(actor(Role::Admin, None).may_administer().is_ok());
        assert!(actor(Role::Planner, None).may_administer().is_err());
    }

    #[test]
    fn delegate_tokens_need_a_state_and_others_refuse_one() {
        let pak = MemberStateCode::parse("PAK").unwrap();
        assert!(check_token_scope(Role::Delegate, None).is_err());
        assert!(check_token_scope(Role::Delegate, Some(&pak)).is_ok());
        assert!(check_token_scope(Role::Planner, Some(&pak)).is_err());
        assert!(check_token_scope(Role::Viewer, None).is_ok());
    }
}
