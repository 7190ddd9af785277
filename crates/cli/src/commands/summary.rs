//! `pledgeboard summary [--member-state ISO3] [--conference CODE] [--format text|json|csv]`:
//! the same figures as `GET /api/v1/reports/countries[/{iso3}]`, from the same report; its JSON
//! is written through the API's response types, so the two cannot drift apart.

use anyhow::anyhow;
use chrono::Utc;
use pledgeboard_domain::country_report::{
    COUNTRY_CSV_COLUMNS, CountriesReport, CountrySummary, country_csv_row, country_totals_csv_row,
};
use pledgeboard_http::{CountriesReportResponse, CountrySummaryResponse};
use pledgeboard_store::CountryFilter;

use crate::commands::open_store;
use crate::config::{Config, Format};

/// Prints the all-states table, or one state's summary.
pub async fn run(
    config: &Config,
    member_state: Option<&str>,
    conference: Option<&str>,
    format: Format,
) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let catalog = store.catalog().await?;
    let conference = conference
        .map(|c| catalog.conference(c).map(|x| x.code.clone()))
        .transpose()
        .map_err(|e| anyhow!("{e}"))?;
    let filter = CountryFilter {
        conference,
        as_of: None,
    };
    let today = Utc::now().date_naive();
    match member_state {
        None => {
            let report = store.countries_report(&catalog, &filter, today).await?;
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&CountriesReportResponse::from(&report))?
                ),
                Format::Csv => print_csv(
                    report
                        .rows
                        .iter()
                        .map(country_csv_row)
                        .chain([country_totals_csv_row(&report.totals)]),
                )?,
                Format::Text => print_table(&report),
            }
        }
        Some(state) => {
            let code = catalog
                .member_state(state)
                .map_err(|e| anyhow!("{e}"))?
                .code
                .clone();
            let summary = store
                .country_summary(&catalog, &code, &filter, today)
                .await?;
            match format {
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&CountrySummaryResponse::from(&summary))?
                ),
                Format::Csv => print_csv([country_csv_row(&summary.row)])?,
                Format::Text => print_country(&summary),
            }
        }
    }
    Ok(())
}

fn print_csv(
    rows: impl IntoIterator<Item = [String; COUNTRY_CSV_COLUMNS.len()]>,
) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
    writer.write_record(COUNTRY_CSV_COLUMNS)?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(())
}

fn print_table(report: &CountriesReport) {
    println!(
        "{:<5} {:<32} {:>7} {:>9} {:>9} {:>7} {:>7} {:>16} {:>8} {:>8}",
        "state",
        "name",
        "pledges",
        "quantity",
        "personnel",
        "women",
        "women%",
        "monthly USD",
        "partner",
        "renewals"
    );
    for r in &report.rows {
        let name: String = r.name.chars().take(32).collect();
        println!(
            "{:<5} {:<32} {:>7} {:>9} {:>9} {:>7} {:>7} {:>16} {:>8} {:>8}",
            r.member_state,
            name,
            r.pledges,
            r.quantity,
            r.personnel,
            r.female_personnel,
            r.female_share_pct,
            r.monthly_cost_usd,
            r.partnerships,
            r.renewals_due
        );
    }
    let t = &report.totals;
    println!(
        "{:<5} {:<32} {:>7} {:>9} {:>9} {:>7} {:>7} {:>16} {:>8} {:>8}",
        "TOTAL",
        format!("{} member states", t.member_states),
        t.pledges,
        t.quantity,
        t.personnel,
        t.female_personnel,
        t.female_share_pct,
        t.monthly_cost_usd,
        "",
        t.renewals_due
    );
    println!("{}", report.note);
}

fn print_country(s: &CountrySummary) {
    let r = &s.row;
    println!("{} ({})", r.name, r.member_state);
    println!("active pledges     {}", r.pledges);
    println!("quantity           {}", r.quantity);
    println!(
        "personnel          {} ({} women, {} %)",
        r.personnel, r.female_personnel, r.female_share_pct
    );
    println!("  of which estimated {}", r.personnel_estimated);
    println!("monthly cost (USD) {}", r.monthly_cost_usd);
    println!("partnerships       {}", r.partnerships);
    println!("renewals due       {}", r.renewals_due);
    for (category, n) in &r.by_category {
        println!("  category {category:<16} {n}");
    }
    for (level, t) in &r.by_readiness {
        println!(
            "  readiness {level:<4} {} pledges, {} personnel",
            t.pledges, t.personnel
        );
    }
    for (mission, q) in &r.by_mission {
        println!("  earmarked for {mission:<8} {q}");
    }
    for g in &s.gender {
        let target = g.target_pct.map_or_else(
            || "no target".to_owned(),
            |t| format!("target {t} % by {}", g.target_year.unwrap_or_default()),
        );
        println!(
            "  women in {:<18} {} % ({target})",
            g.category, g.female_share_pct
        );
    }
    for gap in &s.gaps_filled {
        println!(
            "  helps fill {} {}: contributes {} of {} required (gap {})",
            gap.mission, gap.capability, gap.contributed, gap.required, gap.gap
        );
    }
    println!("{}", s.note);
}
