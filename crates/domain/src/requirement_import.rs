//! Planning a requirements import: each row read, checked, and matched by (mission,
//! capability) against the stored requirements, so that the store only has to write the plan.

use crate::message;
use std::collections::{HashMap, HashSet};

use crate::import::ImportReport;
use crate::pledge_csv::LineError;
use crate::requirement_csv::RequirementHeader;
use crate::table_input::Row;
use crate::{Catalog, NewRequirement, Requirement};

/// What importing one row does to the stored requirements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequirementChange {
    /// A new requirement.
    Create(NewRequirement),
    /// Replaces version `version` of the requirement `id` with new values.
    Update {
        id: i64,
        version: i32,
        new: NewRequirement,
    },
}

/// Reads and checks every row against the `stored` requirements, counting in `report` what
/// each would do (created, updated, unchanged, or an error); returns the changes to write.
pub fn plan_requirement_import(
    header: &RequirementHeader,
    rows: impl IntoIterator<Item = Row>,
    catalog: &Catalog,
    stored: Vec<Requirement>,
    mut report: ImportReport,
) -> (ImportReport, Vec<RequirementChange>) {
    let stored: HashMap<(String, String), Requirement> = stored
        .into_iter()
        .map(|r| ((r.mission.to_string(), r.capability.to_string()), r))
        .collect();
    let mut seen = HashSet::new();
    let mut plan = Vec::new();
    for row in rows {
        report.rows += 1;
        let (line, record) = match row {
            Ok(r) => r,
            Err(e) => {
                report.add_errors([e]);
                continue;
            }
        };
        let new = match header.draft(&record).and_then(|d| d.validate(catalog)) {
            Ok(n) => n,
            Err(errors) => {
                report.add_errors(errors.into_iter().map(|e| LineError::at(line, e)));
                continue;
            }
        };
        let key = (new.mission.to_string(), new.capability.to_string());
        if !seen.insert(key.clone()) {
            report.add_errors([LineError::new(
                line,
                "capability",
                &key.1,
                message!(
                    "err-requirement-twice",
                    "{mission} needs {capability} twice in this file",
                    mission = &key.0,
                    capability = &key.1
                ),
            )]);
            continue;
        }
        match stored.get(&key) {
            None => {
                report.created += 1;
                plan.push(RequirementChange::Create(new));
            }
            Some(r) if r.has_values_of(&new) => report.unchanged += 1,
            Some(r) => {
                report.updated += 1;
                plan.push(RequirementChange::Update {
                    id: r.id,
                    version: r.version,
                    new,
                });
            }
        }
    }
    (report, plan)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::reference_csv::{parse_capabilities, parse_missions};
    use crate::table_input::table_from_bytes;
    use crate::{CapabilityCode, MemberStates, MissionAcronym, Priority, Quantity};

    fn catalog() -> Catalog {
        Catalog::new(
            MemberStates::load(),
            parse_capabilities(include_str!("../../../fixtures/capabilities.csv")).unwrap(),
            parse_missions(include_str!("../../../fixtures/missions.csv")).unwrap(),
            vec![],
            vec![],
        )
    }

    fn stored(id: i64, capability: &str, quantity: i64) -> Requirement {
        Requirement {
            id,
            mission: MissionAcronym::parse("UNMISS").unwrap(),
            capability: CapabilityCode::parse(capability).unwrap(),
            quantity: Quantity::new(quantity).unwrap(),
            personnel: 0,
            needed_by: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            priority: Priority::High,
            version: 2,
        }
    }

    fn plan(file: &str, existing: Vec<Requirement>) -> (ImportReport, Vec<RequirementChange>) {
        let table = table_from_bytes(file.as_bytes().to_vec()).unwrap();
        let header = RequirementHeader::parse(table.header.iter().map(String::as_str)).unwrap();
        plan_requirement_import(
            &header,
            table.rows,
            &catalog(),
            existing,
            ImportReport::default(),
        )
    }

    #[test]
    fn rows_are_created_updated_or_left_alone_by_their_mission_and_capability() {
        let file = "mission,capability,quantity,personnel,needed_by,priority\n\
                    UNMISS,INF-BN,2,0,2027-01-01,high\n\
                    UNMISS,HEL-UTIL,3,0,2027-01-01,high\n\
                    UNMISS,QRF-COY,1,0,2027-01-01,high\n";
        let (report, changes) = plan(file, vec![stored(1, "INF-BN", 2), stored(2, "HEL-UTIL", 1)]);
        assert_eq!(
            (
                report.rows,
                report.created,
                report.updated,
                report.unchanged
            ),
            (3, 1, 1, 1)
        );
        assert!(!report.has_errors());
        assert_eq!(changes.len(), 2);
        assert!(matches!(
            &changes[0],
            RequirementChange::Update { id: 2, version: 2, new } if new.quantity.get() == 3
        ));
        assert!(matches!(&changes[1], RequirementChange::Create(new)
            if new.capability.as_str() == "QRF-COY"));
    }

    #[test]
    fn the_same_requirement_twice_in_a_file_is_an_error_on_its_second_line() {
        let file = "mission,capability,quantity,personnel,needed_by,priority\n\
                    UNMISS,INF-BN,2,0,2027-01-01,high\n\
                    UNMISS,INF-BN,3,0,2027-01-01,high\n";
        let (report, changes) = plan(file, vec![]);
        assert!(report.has_errors());
        assert_eq!(report.errors[0].line, 3);
        assert_eq!(changes.len(), 1);
    }
}
