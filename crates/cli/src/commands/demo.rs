//! `pledgeboard demo load`

use pledgeboard_store::Store;

use crate::commands::open_store;
use crate::config::Config;

/// Loads the demo requirements and pledges.
pub async fn load(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    report(&store).await
}

/// Loads the demo data into an open store and says what was added.
pub async fn report(store: &Store) -> anyhow::Result<()> {
    let loaded = store.load_demo_fixtures().await?;
    println!(
        "demo data: {} requirements and {} pledges added (existing ones left as they were)",
        loaded.requirements, loaded.pledges
    );
    Ok(())
}
