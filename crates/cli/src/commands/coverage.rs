//! `pledgeboard coverage [--mission ACRONYM] [--format text|json|csv]`: the mission figures of
//! `GET /api/v1/reports/coverage`, from the same report; JSON through the API's response type
//! and CSV through the domain's rows, so the three cannot drift apart.

use anyhow::anyhow;
use pledgeboard_domain::coverage_report::{
    COVERAGE_CSV_COLUMNS, CoverageReport, coverage_csv_rows,
};
use pledgeboard_domain::mission_figures::MissionFigures;
use pledgeboard_http::CoverageReportResponse;

use crate::commands::open_store;
use crate::config::{Config, Format};

/// Prints every mission's figures (or one mission's) and the figures over all of them.
pub async fn run(config: &Config, mission: Option<&str>, format: Format) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let catalog = store.catalog().await?;
    let mission = mission
        .map(|m| catalog.mission(m).map(|x| x.acronym.clone()))
        .transpose()
        .map_err(|e| anyhow!("{e}"))?;
    let report = store.coverage_report(mission.as_ref(), None).await?;
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&CoverageReportResponse::from(&report))?
        ),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
            writer.write_record(COVERAGE_CSV_COLUMNS)?;
            for row in coverage_csv_rows(&report) {
                writer.write_record(row)?;
            }
            writer.flush()?;
        }
        Format::Text => print_text(&report),
    }
    Ok(())
}

/// One line of figures: requirements met, firm and critical open, then personnel covered.
fn figures_line(name: &str, f: &MissionFigures) -> String {
    format!(
        "{name:<10} {:>4} of {:<4} {:>5} {:>9} {:>10} of {:<10} {:>6} %",
        f.requirements_met,
        f.requirements,
        f.requirements_firm,
        f.critical_open,
        f.covered_personnel,
        f.required_personnel,
        f.personnel_coverage_pct,
    )
}

fn print_text(report: &CoverageReport) {
    println!(
        "{:<10} {:>12} {:>5} {:>9} {:>24} {:>8}",
        "mission", "req. met", "firm", "critical", "personnel covered", "coverage"
    );
    for m in &report.missions {
        println!("{}", figures_line(&m.mission, &m.totals));
    }
    println!("{}", figures_line("ALL", &report.totals));
    println!(
        "Quantities of different capabilities are never added; personnel counts each \
         requirement up to what it needs."
    );
    println!("{}", report.note);
}
