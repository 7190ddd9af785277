//! The fixture files, embedded in the binary so it runs anywhere, and the two ways they are
//! loaded: reference data at `migrate`/`serve`, demo data only on `demo load`/`serve --demo`.

use pledgeboard_domain::MemberStates;
use pledgeboard_domain::pledge_csv::{LineError, parse_pledges};
use pledgeboard_domain::reference_csv::{
    parse_capabilities, parse_conferences, parse_gender_targets, parse_missions,
    parse_pledge_milestones, parse_requirements,
};

use crate::{Store, StoreError};

/// `fixtures/capabilities.csv`.
pub const CAPABILITIES_CSV: &str = include_str!("../../../../fixtures/capabilities.csv");
/// `fixtures/missions.csv`.
pub const MISSIONS_CSV: &str = include_str!("../../../../fixtures/missions.csv");
/// `fixtures/conferences.csv`.
pub const CONFERENCES_CSV: &str = include_str!("../../../../fixtures/conferences.csv");
/// `fixtures/gender_targets.csv`.
pub const GENDER_TARGETS_CSV: &str = include_str!("../../../../fixtures/gender_targets.csv");
/// `fixtures/requirements.csv` (demo).
pub const REQUIREMENTS_CSV: &str = include_str!("../../../../fixtures/requirements.csv");
/// `fixtures/demo_pledges.csv` (demo).
pub const DEMO_PLEDGES_CSV: &str = include_str!("../../../../fixtures/demo_pledges.csv");
/// `fixtures/demo_reannounced.csv` (demo): ISB-2023 pledges re-announced at ACC-2023 and
/// BER-2025, loaded after the demo pledges they supersede.
pub const DEMO_REANNOUNCED_CSV: &str = include_str!("../../../../fixtures/demo_reannounced.csv");
/// `fixtures/demo_milestones.csv` (demo): milestones on some of the demo pledges.
pub const DEMO_MILESTONES_CSV: &str = include_str!("../../../../fixtures/demo_milestones.csv");

/// Who the demo data is recorded as written by.
pub const DEMO_AUTHOR: &str = "demo data";

/// What loading the demo data added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLoaded {
    pub requirements: u64,
    pub pledges: u64,
    pub milestones: u64,
}

fn fixture_error(file: &str, errors: Vec<LineError>) -> StoreError {
    let first = errors
        .first()
        .map(|e| format!("line {} {}: {}", e.line, e.column, e.message))
        .unwrap_or_default();
    StoreError::Corrupt(format!(
        "fixture {file} has {} bad rows; first: {first}",
        errors.len()
    ))
}

impl Store {
    /// Puts any missing reference data (member states, capabilities, missions, conferences,
    /// gender targets) in place; safe to run on every start.
    pub async fn load_reference_fixtures(&self) -> Result<u64, StoreError> {
        let member_states = MemberStates::load();
        let capabilities = parse_capabilities(CAPABILITIES_CSV)
            .map_err(|e| fixture_error("capabilities.csv", e))?;
        let missions =
            parse_missions(MISSIONS_CSV).map_err(|e| fixture_error("missions.csv", e))?;
        let conferences = parse_conferences(CONFERENCES_CSV, &member_states)
            .map_err(|e| fixture_error("conferences.csv", e))?;
        let targets = parse_gender_targets(GENDER_TARGETS_CSV)
            .map_err(|e| fixture_error("gender_targets.csv", e))?;
        self.put_reference_in_place(
            &member_states,
            &capabilities,
            &missions,
            &conferences,
            &targets,
        )
        .await
    }

    /// Loads the demo requirements, pledges and milestones; what is already there is not added
    /// again.
    pub async fn load_demo_fixtures(&self) -> Result<DemoLoaded, StoreError> {
        let catalog = self.catalog().await?;
        let requirements = parse_requirements(REQUIREMENTS_CSV, &catalog)
            .map_err(|e| fixture_error("requirements.csv", e))?;
        let mut pledges = parse_pledges(DEMO_PLEDGES_CSV, &catalog)
            .map_err(|e| fixture_error("demo_pledges.csv", e))?;
        pledges.extend(
            parse_pledges(DEMO_REANNOUNCED_CSV, &catalog)
                .map_err(|e| fixture_error("demo_reannounced.csv", e))?,
        );
        let requirements = self
            .insert_missing_requirements(&requirements, DEMO_AUTHOR)
            .await?;
        let milestones = parse_pledge_milestones(DEMO_MILESTONES_CSV, &catalog)
            .map_err(|e| fixture_error("demo_milestones.csv", e))?;
        let pledges = self
            .insert_missing_pledges(&catalog, &pledges, DEMO_AUTHOR)
            .await?;
        let milestones = self
            .insert_missing_milestones(&catalog, &milestones, DEMO_AUTHOR)
            .await?;
        Ok(DemoLoaded {
            requirements,
            pledges,
            milestones,
        })
    }
}
