//! The stages of the follow-through report (DESIGN.md, "After the announcement"): the steps a
//! pledge announced at a conference goes through, and how a pledge's milestones, readiness and
//! status tell which it has reached and when.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::capability::word_enum;
use crate::{DomainError, MilestoneKind, PledgeStatus, Readiness};

word_enum!(
    /// A stage of the follow-through, in the order a pledge goes through them.
    Stage, "stage", {
        Announced => "announced",
        NvReceived => "nv_received",
        Accepted => "accepted",
        L2 => "l2",
        L3OrRdl => "l3_or_rdl",
        Selected => "selected",
        Deployed => "deployed",
    }
);

impl Stage {
    /// The stage in a planner's words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Announced => "Announced",
            Self::NvReceived => "Note verbale received",
            Self::Accepted => "Accepted by the UN",
            Self::L2 => "At L2 (assessed)",
            Self::L3OrRdl => "At L3 or the Rapid Deployment Level",
            Self::Selected => "Selected for a mission",
            Self::Deployed => "Deployed",
        }
    }

    /// The stage a milestone of `kind` shows a pledge has reached.
    pub fn of_milestone(kind: MilestoneKind) -> Self {
        match kind {
            MilestoneKind::NvReceived | MilestoneKind::Acknowledged => Self::NvReceived,
            MilestoneKind::Accepted => Self::Accepted,
            MilestoneKind::AavCompleted => Self::L2,
            MilestoneKind::SurAligned | MilestoneKind::RdlConfirmed => Self::L3OrRdl,
            MilestoneKind::Selected => Self::Selected,
            MilestoneKind::Deployed => Self::Deployed,
        }
    }

    /// The milestones that date the stage: the earliest of them is the day it was reached.
    /// An acknowledgement shows that the note verbale arrived, but not when.
    pub fn dated_by(self) -> &'static [MilestoneKind] {
        match self {
            Self::Announced => &[],
            Self::NvReceived => &[MilestoneKind::NvReceived],
            Self::Accepted => &[MilestoneKind::Accepted],
            Self::L2 => &[MilestoneKind::AavCompleted],
            Self::L3OrRdl => &[MilestoneKind::SurAligned, MilestoneKind::RdlConfirmed],
            Self::Selected => &[MilestoneKind::Selected],
            Self::Deployed => &[MilestoneKind::Deployed],
        }
    }

    /// The stage a readiness level shows without any milestone: L2 is L2, L3 and RDL are
    /// "L3 or RDL", L1 shows only the announcement.
    pub fn of_readiness(level: Readiness) -> Self {
        match level {
            Readiness::L1 => Self::Announced,
            Readiness::L2 => Self::L2,
            Readiness::L3 | Readiness::Rdl => Self::L3OrRdl,
        }
    }

    /// The stage a status shows without any milestone: a deployed pledge is deployed.
    pub fn of_status(status: PledgeStatus) -> Self {
        match status {
            PledgeStatus::Deployed => Self::Deployed,
            _ => Self::Announced,
        }
    }
}

/// The furthest stage a pledge shows: its milestones, its readiness and its status each show
/// one, and reaching a stage means having reached every earlier one.
pub fn furthest_stage(
    milestones: &[(MilestoneKind, NaiveDate)],
    readiness: Readiness,
    status: PledgeStatus,
) -> Stage {
    milestones
        .iter()
        .map(|(kind, _)| Stage::of_milestone(*kind))
        .chain([Stage::of_readiness(readiness), Stage::of_status(status)])
        .max()
        .unwrap_or(Stage::Announced)
}

/// The day a pledge reached `stage`, from the milestones that date it; `announced_on` for the
/// announcement; `None` when no milestone dates it (reached through a later step, the
/// readiness or the status).
pub fn stage_date(
    stage: Stage,
    milestones: &[(MilestoneKind, NaiveDate)],
    announced_on: NaiveDate,
) -> Option<NaiveDate> {
    if stage == Stage::Announced {
        return Some(announced_on);
    }
    milestones
        .iter()
        .filter(|(kind, _)| stage.dated_by().contains(kind))
        .map(|(_, date)| *date)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, d).unwrap()
    }

    #[test]
    fn a_pledge_without_milestones_at_l1_has_only_been_announced() {
        assert_eq!(
            furthest_stage(&[], Readiness::L1, PledgeStatus::Pledged),
            Stage::Announced
        );
    }

    #[test]
    fn readiness_recorded_without_milestones_counts_as_its_stage() {
        assert_eq!(
            furthest_stage(&[], Readiness::L2, PledgeStatus::Pledged),
            Stage::L2
        );
        assert_eq!(
            furthest_stage(&[], Readiness::Rdl, PledgeStatus::Verified),
            Stage::L3OrRdl
        );
        assert_eq!(
            furthest_stage(&[], Readiness::L1, PledgeStatus::Deployed),
            Stage::Deployed
        );
    }

    #[test]
    fn the_furthest_milestone_wins_over_a_lower_readiness() {
        let m = [
            (MilestoneKind::NvReceived, day(1)),
            (MilestoneKind::Selected, day(3)),
        ];
        assert_eq!(
            furthest_stage(&m, Readiness::L2, PledgeStatus::Pledged),
            Stage::Selected
        );
        let ack = [(MilestoneKind::Acknowledged, day(2))];
        assert_eq!(
            furthest_stage(&ack, Readiness::L1, PledgeStatus::Pledged),
            Stage::NvReceived
        );
    }

    #[test]
    fn a_stage_is_dated_by_its_own_milestones_only() {
        let m = [
            (MilestoneKind::Acknowledged, day(2)),
            (MilestoneKind::RdlConfirmed, day(9)),
            (MilestoneKind::SurAligned, day(5)),
        ];
        assert_eq!(stage_date(Stage::NvReceived, &m, day(1)), None);
        assert_eq!(stage_date(Stage::L3OrRdl, &m, day(1)), Some(day(5)));
        assert_eq!(stage_date(Stage::Announced, &m, day(1)), Some(day(1)));
    }
}
