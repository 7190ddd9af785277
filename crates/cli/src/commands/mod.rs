//! One module per subcommand.

pub mod demo;
pub mod migrate;
pub mod serve;
pub mod token;

use anyhow::Context;
use pledgeboard_store::Store;

use crate::config::Config;

/// Connects, migrates and puts reference data in place: what every command starts with.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let store = Store::connect(&config.db_url)
        .await
        .with_context(|| format!("cannot open the database at {}", config.db_url))?;
    store
        .migrate()
        .await
        .context("cannot bring the schema up to date")?;
    store
        .load_reference_fixtures()
        .await
        .context("cannot put the reference data in place")?;
    Ok(store)
}
