//! `pledgeboard import pledges|requirements FILE [--dry-run]`

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};
use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::table_input::{
    Table, count_rows_expected, csv_table, is_xlsx, sniff_reader, xlsx_table,
};
use pledgeboard_domain::table_limits::{MAX_WORKBOOK_INFLATED_BYTES, grouped};
use pledgeboard_store::ImportOptions;

use crate::commands::{open_store, operator};
use crate::config::{Config, Dataset};

/// Opens a file as a table: `.xlsx` in memory, CSV streamed (read once to tell its encoding).
pub fn open_table(path: &Path) -> anyhow::Result<Table> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut magic = [0u8; 4];
    let n = file.read(&mut magic)?;
    if is_xlsx(&magic[..n]) {
        // A workbook's parts are never smaller packed than the cap allows them unpacked, less
        // a little: a larger file is refused before it is read into memory.
        let size = file.metadata()?.len();
        if size > MAX_WORKBOOK_INFLATED_BYTES {
            bail!(
                "{} is {} bytes, more than a pledge workbook can be ({} bytes unpacked) — save \
                 the pledges alone in a new workbook, or as CSV",
                path.display(),
                grouped(size),
                grouped(MAX_WORKBOOK_INFLATED_BYTES)
            );
        }
        let bytes = std::fs::read(path)?;
        return xlsx_table(bytes).map_err(|e| anyhow::anyhow!("{}", e.message));
    }
    let encoding = sniff_reader(File::open(path)?)?;
    let rows_expected = count_rows_expected(File::open(path)?)?;
    let mut table = csv_table(File::open(path)?, encoding)
        .map_err(|e| anyhow::anyhow!("line {}: {}", e.line, e.message))?;
    table.rows_expected = Some(rows_expected);
    Ok(table)
}

/// Prints a report the way a planner reads it.
pub fn print_report(report: &ImportReport) {
    let verb = if report.dry_run { "would be" } else { "were" };
    println!(
        "{} rows: {} {verb} created, {} {verb} updated, {} unchanged",
        report.rows, report.created, report.updated, report.unchanged
    );
    if report.estimated > 0 {
        println!(
            "{} of them give no personnel: estimated as the standard size × quantity",
            report.estimated
        );
    }
    for e in &report.errors {
        let at = if e.column.is_empty() {
            String::new()
        } else {
            format!(", {} '{}'", e.column, e.value)
        };
        println!("line {}{at}: {}", e.line, e.message);
    }
    if report.errors_not_listed > 0 {
        println!("… and {} more errors not listed", report.errors_not_listed);
    }
    println!(
        "{}",
        match (report.applied, report.dry_run, report.has_errors()) {
            (true, _, _) => "applied",
            (false, _, true) => "nothing was applied: fix the rows above and import again",
            (false, true, false) => "dry run: nothing was written",
            (false, false, false) => "nothing was applied",
        }
    );
}

/// Imports the file and prints the report; fails when any row is bad.
pub async fn run(config: &Config, what: Dataset, path: &Path, dry_run: bool) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let catalog = store.catalog().await?;
    let table = open_table(path)?;
    let options = ImportOptions {
        dry_run,
        source: path.display().to_string(),
    };
    let actor = operator();
    let report = match what {
        Dataset::Pledges => {
            store
                .import_pledges(&catalog, table, &actor, &options)
                .await?
        }
        Dataset::Requirements => {
            store
                .import_requirements(&catalog, table, &actor, &options)
                .await?
        }
    };
    print_report(&report);
    if report.has_errors() {
        bail!(
            "{} rows are bad",
            report.errors.len() as u64 + report.errors_not_listed
        );
    }
    Ok(())
}
