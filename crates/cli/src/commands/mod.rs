//! One module per subcommand.

pub mod backup;
pub mod coverage;
pub mod demo;
pub mod export;
pub mod follow_through;
pub mod generate;
pub mod import;
pub mod migrate;
pub mod outcome;
pub mod serve;
pub mod summary;
pub mod token;

use anyhow::Context;
use pledgeboard_store::Store;

use crate::config::Config;

/// Connects, migrates and puts reference data in place (one instance at a time on a shared
/// PostgreSQL database): what every command starts with.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let store = Store::connect_with(&config.db_url, config.pool)
        .await
        .with_context(|| format!("cannot open the database at {}", config.db_url))?;
    store
        .prepare()
        .await
        .context("cannot bring the schema up to date and put the reference data in place")?;
    Ok(store)
}

/// The actor the command line acts as: the operator at the machine, with every right.
pub fn operator() -> pledgeboard_domain::Actor {
    let user = std::env::var("USER").unwrap_or_else(|_| "operator".to_owned());
    pledgeboard_domain::Actor {
        token_id: 0,
        name: format!("command line ({user})"),
        role: pledgeboard_domain::Role::Admin,
        member_state: None,
    }
}
