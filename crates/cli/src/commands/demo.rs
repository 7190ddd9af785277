//! `pledgeboard demo load`

use std::io::Write;

use pledgeboard_store::Store;

use crate::commands::open_store;
use crate::config::Config;
use crate::output;

/// Loads the demo requirements and pledges.
pub async fn load(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    report(&store).await
}

/// Loads the demo data into an open store and says what was added.
pub async fn report(store: &Store) -> anyhow::Result<()> {
    let loaded = store.load_demo_fixtures().await?;
    writeln!(
        output::stdout(),
        "demo data: {} requirements, {} pledges and {} milestones added (existing ones left as they were)",
        loaded.requirements,
        loaded.pledges,
        loaded.milestones
    )?;
    Ok(())
}

/// The name of the admin token `serve --demo` creates on its first start.
pub const DEMO_ADMIN: &str = "demo admin";

/// Creates the demo admin token on first start and prints it; later starts say how to get one.
pub async fn admin_token(store: &Store) -> anyhow::Result<()> {
    if store.has_live_token_named(DEMO_ADMIN).await? {
        writeln!(
            output::stdout(),
            "demo admin token: created on first start (create another with `pledgeboard token create --role admin`)"
        )?;
        return Ok(());
    }
    let (_, secret) = store
        .create_token(DEMO_ADMIN, pledgeboard_domain::Role::Admin, None)
        .await?;
    writeln!(output::stdout(), "demo admin token (shown once): {secret}")?;
    Ok(())
}
