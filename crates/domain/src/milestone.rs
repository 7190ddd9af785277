//! Milestones: the dated facts that follow a pledge after its announcement (DESIGN.md, "After
//! the announcement") — their kinds in sequence, what each implies for the pledge, and a
//! milestone as typed ([`MilestoneDraft`]), checked ([`NewMilestone`]) and stored
//! ([`Milestone`]). The rules for recording one on a pledge are in `milestone_rules`.

use crate::message;
use crate::message::Message;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::capability::word_enum;
use crate::pledge_draft::parse_iso_date;
use crate::{Catalog, DomainError, FieldError, MissionAcronym, PledgeStatus, Readiness};

word_enum!(
    /// A milestone's kind, in the order a pledge goes through them (declaration order).
    MilestoneKind, "milestone kind", {
        NvReceived => "nv_received",
        Acknowledged => "acknowledged",
        Accepted => "accepted",
        AavCompleted => "aav_completed",
        SurAligned => "sur_aligned",
        RdlConfirmed => "rdl_confirmed",
        Selected => "selected",
        Deployed => "deployed",
    }
);

impl MilestoneKind {
    /// The kind in a planner's words ("Assessment and Advisory Visit completed").
    pub fn label(self) -> &'static str {
        match self {
            Self::NvReceived => "Note verbale received",
            Self::Acknowledged => "Acknowledged by the UN",
            Self::Accepted => "Accepted by the UN",
            Self::AavCompleted => "Assessment and Advisory Visit completed",
            Self::SurAligned => "Aligned with the Statement of Unit Requirements",
            Self::RdlConfirmed => "Rapid Deployment Level confirmed",
            Self::Selected => "Selected for a mission",
            Self::Deployed => "Deployed",
        }
    }

    /// The label as a message, keyed `milestone-<kind>` like the pages' timeline.
    pub fn label_message(self) -> Message {
        let key = match self {
            Self::NvReceived => "milestone-nv_received",
            Self::Acknowledged => "milestone-acknowledged",
            Self::Accepted => "milestone-accepted",
            Self::AavCompleted => "milestone-aav_completed",
            Self::SurAligned => "milestone-sur_aligned",
            Self::RdlConfirmed => "milestone-rdl_confirmed",
            Self::Selected => "milestone-selected",
            Self::Deployed => "milestone-deployed",
        };
        Message::keyed(key, self.label().to_owned(), Vec::new())
    }

    /// The PCRS level a pledge has at least once this milestone is reached: an AAV gives
    /// `L2`, SUR alignment `L3`, the RDL confirmation `RDL`.
    pub fn implied_readiness(self) -> Option<Readiness> {
        match self {
            Self::AavCompleted => Some(Readiness::L2),
            Self::SurAligned => Some(Readiness::L3),
            Self::RdlConfirmed => Some(Readiness::Rdl),
            _ => None,
        }
    }

    /// The status a pledge has once this milestone is reached: `deployed` for a deployment.
    pub fn implied_status(self) -> Option<PledgeStatus> {
        (self == Self::Deployed).then_some(PledgeStatus::Deployed)
    }

    /// Whether the milestone names a mission: only a selection does, and it must.
    pub fn names_mission(self) -> bool {
        self == Self::Selected
    }

    /// The kind's place in the sequence, first 0.
    pub fn step(self) -> usize {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }
}

/// The longest note: a paragraph or two. A longer text belongs in the document the source
/// reference names, not in a line of the timeline.
pub const MAX_NOTE_CHARS: usize = 2_000;
/// The longest source reference: a note verbale number or document symbol
/// ("NV/PAK/2025/0042", "S/2025/123") with room to spare; anything longer is a note.
pub const MAX_SOURCE_REF_CHARS: usize = 120;

/// A milestone as typed, in a request body or a form: every field text, checked by
/// [`MilestoneDraft::validate`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MilestoneDraft {
    pub kind: String,
    pub date: String,
    pub mission: Option<String>,
    pub note: Option<String>,
    pub source_ref: Option<String>,
}

/// A milestone whose every field is valid on its own; whether it fits the pledge is
/// `milestone_rules::plan_milestone`'s question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMilestone {
    pub kind: MilestoneKind,
    pub date: NaiveDate,
    /// The mission a `selected` milestone names; `None` for every other kind.
    pub mission: Option<MissionAcronym>,
    pub note: Option<String>,
    pub source_ref: Option<String>,
}

/// A recorded milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub id: i64,
    pub pledge_id: i64,
    pub kind: MilestoneKind,
    pub date: NaiveDate,
    pub mission: Option<MissionAcronym>,
    pub note: Option<String>,
    pub source_ref: Option<String>,
    /// The name of the token that recorded it.
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// The pledge version its recording made.
    pub pledge_version: i32,
    /// What the recording did to the pledge, in words, as the pledge's history gives it.
    pub reason: String,
}

impl Milestone {
    /// What its recording raised, in words ("readiness raised from L1 to L2"), when it raised
    /// anything: the part of [`Milestone::reason`] after its first ": ", which
    /// `milestone_rules` writes only before the raises (labels, dates and missions hold none).
    pub fn raised(&self) -> Option<&str> {
        self.reason.split_once(": ").map(|(_, raised)| raised)
    }
}

/// An optional text, trimmed; empty is none; longer than `max` characters is an error on
/// `field` (`note` or `source_ref`).
fn bounded(
    field: &str,
    text: Option<&str>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    let chars = text.chars().count();
    if chars > max {
        errors.push(FieldError::new(
            field,
            text,
            match field {
                "note" => message!(
                    "err-milestone-note-too-long",
                    "the note is {chars} characters long; at most {max} are kept",
                    chars = chars,
                    max = max
                ),
                _ => message!(
                    "err-milestone-source-too-long",
                    "the source reference is {chars} characters long; at most {max} are kept",
                    chars = chars,
                    max = max
                ),
            },
        ));
        return None;
    }
    Some(text.to_owned())
}

impl MilestoneDraft {
    /// Checks every field at once: a known kind, a `YYYY-MM-DD` date, a known mission for a
    /// selection (and none for another kind), a note and source reference within their bounds.
    pub fn validate(&self, catalog: &Catalog) -> Result<NewMilestone, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = match self.kind.trim() {
            "" => {
                errors.push(FieldError::new(
                    "kind",
                    "",
                    message!(
                        "err-milestone-kind-required",
                        "choose which milestone was reached"
                    ),
                ));
                None
            }
            text => MilestoneKind::from_str(text)
                .map_err(|e| errors.push(FieldError::new("kind", text, e)))
                .ok(),
        };
        let date = match self.date.trim() {
            "" => {
                errors.push(FieldError::new(
                    "date",
                    "",
                    message!(
                        "err-milestone-date-required",
                        "give the date the milestone was reached, as YYYY-MM-DD"
                    ),
                ));
                None
            }
            text => parse_iso_date(text)
                .map_err(|e| errors.push(FieldError::new("date", text, e)))
                .ok(),
        };
        let mission_text = self.mission.as_deref().map(str::trim).unwrap_or_default();
        let mission = match (kind, mission_text) {
            (Some(k), "") if k.names_mission() => {
                errors.push(FieldError::new(
                    "mission",
                    "",
                    message!(
                        "err-milestone-mission-required",
                        "a selection names the mission the pledge was selected for"
                    ),
                ));
                None
            }
            (Some(k), text) if k.names_mission() => catalog
                .mission(text)
                .map(|m| m.acronym.clone())
                .map_err(|e| errors.push(FieldError::new("mission", text, e)))
                .ok(),
            (Some(k), text) if !text.is_empty() => {
                errors.push(FieldError::new(
                    "mission",
                    text,
                    message!(
                        "err-milestone-mission-only-selection",
                        "only a selection names a mission; leave it empty for '{label}'",
                        label = k.label()
                    )
                    .quoting("label", k.label_message()),
                ));
                None
            }
            _ => None,
        };
        let note = bounded("note", self.note.as_deref(), MAX_NOTE_CHARS, &mut errors);
        let source_ref = bounded(
            "source_ref",
            self.source_ref.as_deref(),
            MAX_SOURCE_REF_CHARS,
            &mut errors,
        );
        match (kind, date) {
            (Some(kind), Some(date)) if errors.is_empty() => Ok(NewMilestone {
                kind,
                date,
                mission,
                note,
                source_ref,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let missions =
            crate::reference_csv::parse_missions(include_str!("../../../fixtures/missions.csv"))
                .unwrap();
        Catalog::new(
            crate::MemberStates::load(),
            vec![],
            missions,
            vec![],
            vec![],
        )
    }

    fn draft(kind: &str, date: &str) -> MilestoneDraft {
        MilestoneDraft {
            kind: kind.into(),
            date: date.into(),
            ..MilestoneDraft::default()
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn kinds_run_in_the_order_of_the_pledge_mechanism() {
        let words: Vec<&str> = MilestoneKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            words,
            [
                "nv_received",
                "acknowledged",
                "accepted",
                "aav_completed",
                "sur_aligned",
                "rdl_confirmed",
                "selected",
                "deployed"
            ]
        );
        assert!(MilestoneKind::Accepted < MilestoneKind::AavCompleted);
        assert_eq!(MilestoneKind::Deployed.step(), 7);
    }

    #[test]
    fn aav_sur_and_rdl_imply_a_level_and_deployment_a_status() {
        assert_eq!(
            MilestoneKind::AavCompleted.implied_readiness(),
            Some(Readiness::L2)
        );
        assert_eq!(
            MilestoneKind::SurAligned.implied_readiness(),
            Some(Readiness::L3)
        );
        assert_eq!(
            MilestoneKind::RdlConfirmed.implied_readiness(),
            Some(Readiness::Rdl)
        );
        assert_eq!(MilestoneKind::Accepted.implied_readiness(), None);
        assert_eq!(
            MilestoneKind::Deployed.implied_status(),
            Some(PledgeStatus::Deployed)
        );
        assert_eq!(MilestoneKind::Selected.implied_status(), None);
    }

    #[test]
    fn a_valid_draft_is_trimmed_and_its_empty_texts_are_none() {
        let mut d = draft(" AAV_completed ", "2025-06-01");
        d.note = Some("  ".into());
        d.source_ref = Some(" NV/PAK/2025/0042 ".into());
        let m = d.validate(&catalog()).unwrap();
        assert_eq!(m.kind, MilestoneKind::AavCompleted);
        assert_eq!(m.date, NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
        assert_eq!(m.note, None);
        assert_eq!(m.source_ref.as_deref(), Some("NV/PAK/2025/0042"));
    }

    #[test]
    fn an_unknown_kind_and_a_bad_date_are_reported_together() {
        let errors = draft("visited", "01/06/2025")
            .validate(&catalog())
            .unwrap_err();
        assert_eq!(fields(&errors), ["kind", "date"]);
        assert!(
            errors[0].message.contains("is not one of nv_received"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_selection_needs_a_known_mission() {
        let missing = draft("selected", "2025-06-01")
            .validate(&catalog())
            .unwrap_err();
        assert_eq!(
            missing[0].message,
            "a selection names the mission the pledge was selected for"
        );
        let mut unknown = draft("selected", "2025-06-01");
        unknown.mission = Some("MINUSKA".into());
        let errors = unknown.validate(&catalog()).unwrap_err();
        assert_eq!(fields(&errors), ["mission"]);
        assert!(
            errors[0].message.starts_with("unknown mission 'MINUSKA'"),
            "{}",
            errors[0].message
        );
        let mut known = draft("selected", "2025-06-01");
        known.mission = Some("minusca".into());
        assert_eq!(
            known
                .validate(&catalog())
                .unwrap()
                .mission
                .map(String::from),
            Some("MINUSCA".into())
        );
    }

    #[test]
    fn only_a_selection_names_a_mission() {
        let mut d = draft("accepted", "2025-06-01");
        d.mission = Some("MINUSCA".into());
        let errors = d.validate(&catalog()).unwrap_err();
        assert_eq!(
            errors[0].message,
            "only a selection names a mission; leave it empty for 'Accepted by the UN'"
        );
    }

    proptest::proptest! {
        /// A selection naming anything but a known mission is refused on `mission`, and any
        /// other kind naming a mission at all is refused too.
        #[test]
        fn only_a_selection_names_a_mission_and_only_a_known_one(
            kind in proptest::sample::select(MilestoneKind::ALL.to_vec()),
            mission in "[A-Za-z]{1,12}",
        ) {
            let catalog = catalog();
            let known = catalog.mission(&mission).is_ok();
            let mut d = draft(kind.as_str(), "2025-06-01");
            d.mission = Some(mission);
            let result = d.validate(&catalog);
            if kind.names_mission() && known {
                proptest::prop_assert!(result.is_ok());
            } else {
                let errors = result.unwrap_err();
                proptest::prop_assert_eq!(fields(&errors), ["mission"]);
            }
        }
    }

    #[test]
    fn a_note_or_source_over_its_bound_is_refused() {
        let mut d = draft("accepted", "2025-06-01");
        d.note = Some("n".repeat(MAX_NOTE_CHARS + 1));
        d.source_ref = Some("s".repeat(MAX_SOURCE_REF_CHARS + 1));
        let errors = d.validate(&catalog()).unwrap_err();
        assert_eq!(fields(&errors), ["note", "source_ref"]);
        assert!(
            errors[1]
                .message
                .starts_with("the source reference is 121 characters long; at most 120"),
            "{}",
            errors[1].message
        );
        d.note = Some("é".repeat(MAX_NOTE_CHARS));
        d.source_ref = Some("s".repeat(MAX_SOURCE_REF_CHARS));
        assert!(d.validate(&catalog()).is_ok(), "bounds count characters");
    }
}
