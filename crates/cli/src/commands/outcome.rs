//! `pledgeboard outcome --conference CODE [--format text|json|csv]`: the same figures as
//! `GET /api/v1/reports/outcome`, from the same report; its JSON is written through the API's
//! response type and its CSV from the domain's rows, so they cannot drift apart.

use anyhow::anyhow;
use pledgeboard_domain::outcome::{
    OUTCOME_CSV_COLUMNS, OutcomeReport, outcome_csv_rows, outcome_figures,
};
use pledgeboard_http::OutcomeResponse;

use crate::commands::open_store;
use crate::config::{Config, Format};

/// Prints the outcome of `conference`.
pub async fn run(config: &Config, conference: &str, format: Format) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let catalog = store.catalog().await?;
    let code = catalog
        .conference(conference)
        .map_err(|e| anyhow!("{e}"))?
        .code
        .clone();
    let report = store.outcome_report(&catalog, &code).await?;
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
    println!(
        "Outcome of {} (figures indicative, as pledged)",
        report.conference
    );
    for figure in outcome_figures(report) {
        println!("{:<28} {:>9}", figure.name, figure.value);
    }
    println!();
    println!("Counting rules:");
    for (figure, rule) in pledgeboard_domain::outcome::RULES {
        println!("- {figure}: {rule}");
    }
}
