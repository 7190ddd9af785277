//! `pledgeboard export pledges [--out FILE]`

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use pledgeboard_domain::pledge_csv::{COLUMNS, pledge_record};
use pledgeboard_store::PledgeFilter;

use crate::commands::open_store;
use crate::config::{Config, Dataset};
use crate::output;

/// Writes every pledge as CSV in the import format.
pub async fn run(config: &Config, what: Dataset, out: Option<&Path>) -> anyhow::Result<()> {
    if !matches!(what, Dataset::Pledges) {
        bail!("only pledges can be exported; requirements are maintained by admins");
    }
    let store = open_store(config).await?;
    let sink: Box<dyn Write> = match out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(output::stdout()),
    };
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(sink));
    writer.write_record(COLUMNS)?;
    let mut pages = store.pledge_pages(&PledgeFilter::default());
    let mut count = 0;
    while let Some(page) = pages.next_page().await? {
        count += page.len();
        for p in &page {
            writer.write_record(pledge_record(p))?;
        }
    }
    writer.flush()?;
    if let Some(path) = out {
        eprintln!("exported {count} pledges to {}", path.display());
    }
    Ok(())
}
