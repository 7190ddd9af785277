//! `pledgeboard export pledges [--out FILE]`

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use pledgeboard_domain::pledge_csv::{COLUMNS, pledge_record};
use pledgeboard_store::{PledgeFilter, StoreError};

use crate::commands::open_store;
use crate::config::{Config, Dataset};

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
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(sink));
    writer.write_record(COLUMNS)?;
    let io = |e: csv::Error| StoreError::Other(format!("cannot write the export: {e}"));
    let count = store
        .for_each_pledge_page(&PledgeFilter::default(), |page| {
            page.iter()
                .try_for_each(|p| writer.write_record(pledge_record(p)).map_err(io))
        })
        .await?;
    writer.flush()?;
    if let Some(path) = out {
        eprintln!("exported {count} pledges to {}", path.display());
    }
    Ok(())
}
