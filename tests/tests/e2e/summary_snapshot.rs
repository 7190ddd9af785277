//! `pledgeboard summary --member-state PAK --format json`, whole and byte for byte, on a small
//! board whose figures do not depend on the day the test runs (every renewal is long overdue).
//! The command writes the API's `CountrySummaryResponse`, so this is also the API's shape.

use crate::cli::pledgeboard;

const REQUIREMENTS: &str = "mission,capability,quantity,personnel,needed_by,priority
MINUSCA,HEL-UTIL,5,200,2026-06-30,critical
MINUSCA,SF-COY,2,300,2026-01-31,normal
";

const PLEDGES: &str = "pledge_ref,member_state,capability,quantity,personnel,female_personnel,readiness,available_from,mission,conference,status,monthly_cost_usd,partners,registered_on,renewed_on
PAK-H1,PAK,HEL-UTIL,2,80,8,L2,2026-03-01,MINUSCA,ISB-2025,pledged,1250000.50,JPN:equips,2020-01-15,
PAK-I1,PAK,INF-BN,1,850,120,L1,,,ISB-2025,verified,1250000.50,,2020-02-01,2021-03-01
GHA-S1,GHA,SF-COY,1,150,9,RDL,2025-11-01,MINUSCA,,verified,99999.99,PAK:trains,2020-06-30,
";

#[test]
fn a_country_summary_as_json_is_as_recorded() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("snapshot.db").display());
    pledgeboard(&db, &["migrate"]);
    for (what, text) in [("requirements", REQUIREMENTS), ("pledges", PLEDGES)] {
        let file = dir.path().join(format!("{what}.csv"));
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
        let path = file.display().to_string();
        pledgeboard(&db, &["import", what, &path]);
    }
    let json = pledgeboard(
        &db,
        &["summary", "--member-state", "PAK", "--format", "json"],
    );
    insta::assert_snapshot!("summary_pak_json", json);
}
