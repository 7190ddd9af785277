//! `pledgeboard outcome --conference CODE [--as-of DATE] [--format text|json|csv]`: the same
//! figures as `GET /api/v1/reports/outcome`, from the same report; its JSON is written through
//! the API's response type and its CSV from the domain's rows, so they cannot drift apart.

use anyhow::anyhow;
use pledgeboard_domain::outcome::{
    OUTCOME_CSV_COLUMNS, OutcomeReport, outcome_csv_rows, outcome_figures,
};
use pledgeboard_http::{OutcomeResponse, parse_as_of};

use crate::commands::open_store;
use crate::config::{Config, Format};

/// Prints the outcome of `conference`, now or as its pledges stood at `as_of`.
pub async fn run(
    config: &Config,
    conference: &str,
    as_of: Option<&str>,
    format: Format,
) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let catalog = store.catalog().await?;
    let code = catalog
        .conference(conference)
        .map_err(|e| anyhow!("{e}"))?
        .code
        .clone();
    let as_of = as_of
        .map(parse_as_of)
        .transpose()
        .map_err(|e| anyhow!("{e}"))?;
    let report = store.outcome_report(&catalog, &code, as_of).await?;
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&OutcomeResponse::from(&report))?
        ),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
            writer.write_record(OUTCOME_CSV_COLUMNS)?;
            for row in outcome_csv_rows(&report) {
                writer.write_record(row)?;
            }
            writer.flush()?;
        }
        Format::Text => print_text(&report),
    }
    Ok(())
}

fn print_text(report: &OutcomeReport) {
    match report.as_of {
        Some(at) => println!(
            "Outcome of {} as it stood at {} (figures indicative, as pledged)",
            report.conference,
            at.format("%Y-%m-%d %H:%M:%S UTC")
        ),
        None => println!(
            "Outcome of {} (figures indicative, as pledged)",
            report.conference
        ),
    }
    for figure in outcome_figures(report) {
        println!("{:<28} {:>9}", figure.name, figure.value);
    }
    println!();
    println!("Counting rules:");
    for (figure, rule) in pledgeboard_domain::outcome::RULES {
        println!("- {figure}: {rule}");
    }
}
