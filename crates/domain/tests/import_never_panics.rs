//! Whatever bytes arrive as a "spreadsheet", reading and checking them never panics.
#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly when its setup fails"
)]

use pledgeboard_domain::import::plan_row;
use pledgeboard_domain::pledge_csv::PledgeHeader;
use pledgeboard_domain::reference_csv::{
    parse_capabilities, parse_conferences, parse_gender_targets, parse_missions,
};
use pledgeboard_domain::table_input::table_from_bytes;
use pledgeboard_domain::{Actor, Catalog, MemberStates, Role};
use proptest::prelude::*;
use std::sync::LazyLock;

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    let states = MemberStates::load();
    let conferences =
        parse_conferences(include_str!("../../../fixtures/conferences.csv"), &states).unwrap();
    Catalog::new(
        states,
        parse_capabilities(include_str!("../../../fixtures/capabilities.csv")).unwrap(),
        parse_missions(include_str!("../../../fixtures/missions.csv")).unwrap(),
        conferences,
        parse_gender_targets(include_str!("../../../fixtures/gender_targets.csv")).unwrap(),
    )
});

fn check_everything(bytes: Vec<u8>) {
    let actor = Actor {
        token_id: 1,
        name: "fuzz".into(),
        role: Role::Planner,
        member_state: None,
    };
    let Ok(table) = table_from_bytes(bytes) else {
        return;
    };
    let Ok(header) = PledgeHeader::parse(table.header.iter().map(String::as_str)) else {
        return;
    };
    for (_, record) in table.rows.flatten() {
        let _ = header.key(&record, &CATALOG);
        let _ = plan_row(&header, &record, None, &CATALOG, &actor);
    }
}

const HEADER: &str = "pledge_ref,member_state,capability,quantity,personnel,female_personnel,readiness,available_from,duration_months,mission,conference,status,caveats,monthly_cost_usd,partners,registered_on,renewed_on,notes\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        check_everything(bytes);
    }

    #[test]
    fn arbitrary_rows_under_a_valid_header_never_panic(body in prop::collection::vec(any::<u8>(), 0..4096)) {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend(body);
        check_everything(bytes);
    }

    #[test]
    fn arbitrary_text_cells_never_panic(cells in prop::collection::vec("[^\n]{0,30}", 18)) {
        let row: Vec<String> = cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
        check_everything(format!("{HEADER}{}\n", row.join(",")).into_bytes());
    }
}
