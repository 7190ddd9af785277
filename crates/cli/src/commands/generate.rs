//! `pledgeboard demo generate --pledges N [--seed S] --out FILE`: synthetic pledges for
//! benchmarks, realistic in shape (every state, capacity-heavy, some joint, some withdrawn).

use std::path::Path;

use anyhow::Context;
use pledgeboard_domain::milestone_columns::MILESTONE_COLUMNS;
use pledgeboard_domain::pledge_csv::COLUMNS;
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::reference_csv::{parse_capabilities, parse_missions};
use pledgeboard_domain::{Category, MemberStates};
use pledgeboard_store::fixtures::{CAPABILITIES_CSV, MISSIONS_CSV};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CONFERENCES: [&str; 5] = ["ISB-2023", "ACC-2023", "ISB-2025", "BER-2025", ""];
const READINESS: [(&str, u32); 4] = [("L1", 45), ("L2", 30), ("L3", 18), ("RDL", 7)];
const STATUS: [(&str, u32); 4] = [
    ("pledged", 72),
    ("verified", 16),
    ("deployed", 8),
    ("withdrawn", 4),
];
const ROLES: [&str; 4] = ["trains", "equips", "funds", "deploys"];

fn weighted<'a>(rng: &mut ChaCha8Rng, choices: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (value, weight) in choices {
        if pick < *weight {
            return value;
        }
        pick -= weight;
    }
    choices[0].0
}

/// Writes `count` pledges to `out`; the same seed always gives the same file.
pub fn run(count: u64, seed: u64, out: &Path) -> anyhow::Result<()> {
    let states: Vec<String> = MemberStates::load()
        .all()
        .iter()
        .map(|s| s.code.to_string())
        .collect();
    let capabilities = parse_capabilities(CAPABILITIES_CSV)
        .map_err(|e| anyhow::anyhow!("capabilities fixture: {e:?}"))?;
    let missions: Vec<String> = parse_missions(MISSIONS_CSV)
        .map_err(|e| anyhow::anyhow!("missions fixture: {e:?}"))?
        .into_iter()
        .map(|m| m.acronym.to_string())
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut writer =
        csv::Writer::from_path(out).with_context(|| format!("cannot write {}", out.display()))?;
    // Without the milestone columns: generated pledges have none, and a file with those
    // columns would have its milestones read too.
    writer.write_record(&COLUMNS[..COLUMNS.len() - MILESTONE_COLUMNS.len()])?;
    for i in 0..count {
        let state = &states[rng.random_range(0..states.len())];
        let capability = &capabilities[rng.random_range(0..capabilities.len())];
        let capacity = capability.category.is_capacity();
        let quantity: u32 = match capability.category {
            Category::Equipment => rng.random_range(2..60),
            Category::Individuals => rng.random_range(2..40),
            _ if capacity => rng.random_range(1..4),
            _ => 1,
        };
        let personnel = quantity * capability.standard_personnel;
        let women = if personnel > 0 {
            rng.random_range(0..=personnel * 3 / 10)
        } else {
            0
        };
        let mission = if capacity && rng.random_bool(0.7) {
            missions[rng.random_range(0..missions.len())].clone()
        } else {
            String::new()
        };
        let year = rng.random_range(2023..=2026);
        let registered = format!(
            "{year}-{:02}-{:02}",
            rng.random_range(1..=12),
            rng.random_range(1..=28)
        );
        let available = if rng.random_bool(0.85) {
            format!(
                "{}-{:02}-01",
                rng.random_range(2024..=2027),
                rng.random_range(1..=12)
            )
        } else {
            String::new()
        };
        let partners = if rng.random_bool(0.05) {
            let partner = &states[rng.random_range(0..states.len())];
            if partner == state {
                String::new()
            } else {
                PledgeDraft::partner_entry(partner, ROLES[rng.random_range(0..ROLES.len())])
            }
        } else {
            String::new()
        };
        let cost = if personnel > 0 {
            format!(
                "{}.{:02}",
                u64::from(personnel) * 1428,
                rng.random_range(0..100)
            )
        } else {
            String::new()
        };
        writer.write_record([
            format!("GEN-{i:08}"),
            state.clone(),
            capability.code.to_string(),
            quantity.to_string(),
            personnel.to_string(),
            women.to_string(),
            weighted(&mut rng, &READINESS).to_owned(),
            available,
            rng.random_range(6..=36u32).to_string(),
            mission,
            CONFERENCES[rng.random_range(0..CONFERENCES.len())].to_owned(),
            weighted(&mut rng, &STATUS).to_owned(),
            String::new(),
            cost,
            partners,
            registered,
            String::new(),
            String::new(),
            // Every generated pledge states its personnel.
            "false".to_owned(),
            // and re-announces none.
            String::new(),
        ])?;
    }
    writer.flush()?;
    eprintln!("wrote {count} pledges to {} (seed {seed})", out.display());
    Ok(())
}
