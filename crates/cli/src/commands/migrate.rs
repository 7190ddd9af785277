//! `pledgeboard migrate`

use std::io::Write;

use crate::commands::open_store;
use crate::config::Config;
use crate::output;

/// Brings the schema up to date and puts missing reference data in place.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    open_store(config).await?;
    writeln!(
        output::stdout(),
        "database at {} is up to date",
        config.db_url
    )?;
    Ok(())
}
