//! `pledgeboard migrate`

use crate::commands::open_store;
use crate::config::Config;

/// Brings the schema up to date and puts missing reference data in place.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    open_store(config).await?;
    println!("database at {} is up to date", config.db_url);
    Ok(())
}
