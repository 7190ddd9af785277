//! `pledgeboard follow-through --conference CODE [--as-of DATE] [--stalled-days N]
//! [--format text|json|csv]`: the same figures as `GET /api/v1/reports/follow-through`, from
//! the same report; its JSON is written through the API's response type and its CSV through
//! the same rows, so they cannot drift apart.

use std::io::Write;

use anyhow::anyhow;
use chrono::Utc;
use pledgeboard_domain::follow_through::{
    DEFAULT_STALLED_DAYS, FOLLOW_THROUGH_CSV_COLUMNS, FollowThroughReport, follow_through_csv_rows,
    parse_stalled_days,
};
use pledgeboard_http::{FollowThroughResponse, parse_as_of};

use crate::commands::open_store;
use crate::config::{Config, Format};
use crate::output;

/// Prints the follow-through of one conference.
pub async fn run(
    config: &Config,
    conference: &str,
    as_of: Option<&str>,
    stalled_days: Option<&str>,
    format: Format,
) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let catalog = store.catalog().await?;
    let conference = catalog
        .conference(conference)
        .map_err(|e| anyhow!("{e}"))?
        .clone();
    let as_of = as_of
        .map(parse_as_of)
        .transpose()
        .map_err(|e| anyhow!("{e}"))?;
    let stalled_days = stalled_days
        .map(parse_stalled_days)
        .transpose()
        .map_err(|e| anyhow!("{e}"))?
        .unwrap_or(DEFAULT_STALLED_DAYS);
    let report = store
        .follow_through_report(&conference, as_of, stalled_days, Utc::now().date_naive())
        .await?;
    let mut out = output::stdout();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&FollowThroughResponse::from(&report))?
        )?,
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(FOLLOW_THROUGH_CSV_COLUMNS)?;
            for row in follow_through_csv_rows(&report) {
                writer.write_record(row)?;
            }
            writer.flush()?;
        }
        Format::Text => print_text(&mut out, &report)?,
    }
    Ok(())
}

fn print_text(out: &mut impl Write, r: &FollowThroughReport) -> anyhow::Result<()> {
    let q = &r.request;
    writeln!(
        out,
        "Follow-through of {} ({}), announced {}; measured on {}{}",
        q.conference_name,
        q.conference,
        q.announced_on,
        q.measured_on,
        q.as_of
            .map(|t| format!(", as it stood at {}", t.to_rfc3339()))
            .unwrap_or_default()
    )?;
    writeln!(out, "{:<40} {:>7} {:>7}", "stage", "pledges", "share%")?;
    for s in &r.stages {
        writeln!(
            out,
            "{:<40} {:>7} {:>7}",
            s.stage.label(),
            s.pledges,
            s.share_pct
        )?;
    }
    writeln!(
        out,
        "{:<40} {:>7} {:>7}",
        "Withdrawn (apart)", r.withdrawn, r.withdrawn_share_pct
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<60} {:>7} {:>7}",
        "between stages", "pledges", "median"
    )?;
    for i in &r.intervals {
        let between = format!("{} -> {}", i.from.label(), i.to.label());
        let median = i.median_days.map(|d| d.to_string()).unwrap_or("-".into());
        writeln!(out, "{between:<60} {:>7} {median:>7}", i.pledges)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Stalled (no milestone for more than {} days): {}",
        q.stalled_days,
        r.stalled.len()
    )?;
    let per_state: Vec<String> = r
        .stalled_by_state
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    writeln!(out, "  per state: {}", per_state.join(", "))?;
    let per_category: Vec<String> = r
        .stalled_by_category
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    writeln!(out, "  per category: {}", per_category.join(", "))?;
    for s in &r.stalled {
        writeln!(
            out,
            "  {}:{} {} — last: {} on {} ({} days)",
            s.member_state,
            s.pledge_ref,
            s.capability,
            s.last_milestone.map_or("Announced", |k| k.label()),
            s.last_on,
            s.days
        )?;
    }
    writeln!(out)?;
    writeln!(out, "How each figure is counted:")?;
    for (figure, rule) in &r.rules {
        writeln!(out, "  {figure}: {rule}")?;
    }
    Ok(())
}
