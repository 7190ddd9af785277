//! `pledgeboard export pledges [--format csv|xlsx] [--out FILE]`

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, bail};
use pledgeboard_domain::pledge_csv::{COLUMNS, pledge_record};
use pledgeboard_http::pledge_workbook::{
    MAX_SHEET_PLEDGES, PLEDGE_WORKBOOK_TITLE, too_many_for_a_sheet, write_pledge_workbook,
};
use pledgeboard_store::{PledgeFilter, Store};

use crate::commands::open_store;
use crate::config::{Config, Dataset, FileFormat};
use crate::output;

/// Writes every pledge in the import format, as CSV or as a workbook.
pub async fn run(
    config: &Config,
    what: Dataset,
    format: FileFormat,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    if !matches!(what, Dataset::Pledges) {
        bail!("only pledges can be exported; requirements are maintained by admins");
    }
    if format == FileFormat::Xlsx && out.is_none() && std::io::stdout().is_terminal() {
        bail!("a workbook is not for the terminal: give --out FILE, or redirect the output");
    }
    let store = open_store(config).await?;
    let count = match format {
        FileFormat::Csv => write_csv(&store, out).await?,
        FileFormat::Xlsx => write_xlsx(&store, out).await?,
    };
    if let Some(path) = out {
        eprintln!("exported {count} pledges to {}", path.display());
    }
    Ok(())
}

fn create(path: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))
}

async fn write_csv(store: &Store, out: Option<&Path>) -> anyhow::Result<usize> {
    let sink: Box<dyn Write> = match out {
        Some(path) => Box::new(create(path)?),
        None => Box::new(output::stdout()),
    };
    let mut writer = csv::Writer::from_writer(std::io::BufWriter::new(sink));
    writer.write_record(COLUMNS)?;
    let mut pages = store.pledge_pages(&PledgeFilter::default());
    let mut count = 0;
    while let Some(page) = pages.next_page_with_milestones().await? {
        count += page.len();
        for (p, milestones) in &page {
            writer.write_record(pledge_record(p, milestones))?;
        }
    }
    writer.flush()?;
    Ok(count)
}

async fn write_xlsx(store: &Store, out: Option<&Path>) -> anyhow::Result<usize> {
    let filter = PledgeFilter::default();
    let matching = store.pledge_totals(&filter).await?.pledges;
    if matching > MAX_SHEET_PLEDGES {
        bail!(too_many_for_a_sheet(matching));
    }
    let sink: Box<dyn Write + Send> = match out {
        Some(path) => Box::new(std::io::BufWriter::new(create(path)?)),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let mut pages = store.pledge_pages(&filter);
    let runtime = tokio::runtime::Handle::current();
    let written = tokio::task::spawn_blocking(move || {
        let about = pledgeboard_http::pledge_workbook::About {
            title: pledgeboard_http::i18n::Lang::En.t(PLEDGE_WORKBOOK_TITLE),
            query: None,
            rules: Vec::new(),
        };
        let mut sink = sink;
        let count = write_pledge_workbook(&mut sink, &about, || {
            runtime.block_on(pages.next_page_with_milestones())
        })?;
        sink.flush()?;
        anyhow::Ok(count)
    })
    .await
    .context("the workbook writer stopped")??;
    Ok(usize::try_from(written).unwrap_or(usize::MAX))
}
