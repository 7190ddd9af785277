//! Pledgeboard's domain: the vocabulary of DESIGN.md as types that can only be built valid,
//! and the rules over them (status transitions, PCRS renewals, coverage figures).
//!
//! Nothing here does I/O: no database, no HTTP, no async. Every other crate depends on this one.

pub mod access;
pub mod allocation;
pub mod as_of;
pub mod capability;
pub mod catalog;
pub mod cell_kind;
pub mod conference;
pub mod country_pledges;
pub mod country_report;
pub mod country_summary;
pub mod coverage;
pub mod coverage_report;
mod csv_input;
pub mod edit_merge;
pub mod error;
pub mod follow_through;
pub mod follow_through_stage;
pub mod gender;
pub mod import;
pub mod import_preview;
pub mod lineage;
pub mod member_state;
pub mod message;
pub mod milestone;
pub mod milestone_columns;
pub mod milestone_rules;
pub mod mission;
pub mod mission_figures;
pub mod money;
pub mod outcome;
pub mod personnel_estimate;
pub mod pledge;
pub mod pledge_change;
pub mod pledge_csv;
pub mod pledge_draft;
pub mod pledge_numbering;
pub mod quoted_value;
pub mod readiness;
pub mod reference_csv;
pub mod renewal;
pub mod requirement;
pub mod requirement_csv;
pub mod requirement_import;
pub mod status;
pub mod table_input;
pub mod table_limits;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod usd_total;
pub mod whole_number;
mod xlsx_input;
mod xlsx_parts;

pub use access::{Actor, Forbidden, Role};
pub use capability::{Capability, CapabilityCode, Category, UnitOfMeasure};
pub use catalog::Catalog;
pub use conference::{Conference, ConferenceCode};
pub use error::{DomainError, FieldError};
pub use gender::{GenderCategory, GenderTarget};
pub use member_state::{MemberState, MemberStateCode, MemberStates};
pub use message::Message;
pub use milestone::{Milestone, MilestoneDraft, MilestoneKind, NewMilestone};
pub use mission::{Mission, MissionAcronym};
pub use money::Usd;
pub use pledge::{
    EquipmentLine, Lease, NewPledge, Partner, PartnerRole, Personnel, Pledge, PledgeRef, Quantity,
};
pub use readiness::Readiness;
pub use requirement::{NewRequirement, Priority, Requirement};
pub use status::PledgeStatus;
pub use usd_total::UsdTotal;
