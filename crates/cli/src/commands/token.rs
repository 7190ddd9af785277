//! `pledgeboard token create|list|revoke`

use std::io::Write;

use anyhow::{Context, anyhow};
use pledgeboard_domain::{MemberStates, Role};

use crate::commands::open_store;
use crate::config::Config;
use crate::output;

/// Creates a token and prints the secret alone on one line.
pub async fn create(
    config: &Config,
    role: &str,
    member_state: Option<&str>,
    name: Option<&str>,
) -> anyhow::Result<()> {
    let role: Role = role.parse().map_err(|e| anyhow!("{e}"))?;
    let member_state = match member_state {
        Some(s) => Some(
            MemberStates::load()
                .find(s)
                .map_err(|e| anyhow!("{e}"))?
                .code
                .clone(),
        ),
        None => None,
    };
    let name = match (name, &member_state) {
        (Some(n), _) => n.to_owned(),
        (None, Some(state)) => format!("{role} {state}"),
        (None, None) => format!("{role}"),
    };
    let store = open_store(config).await?;
    let (_, secret) = store
        .create_token(&name, role, member_state)
        .await
        .context("cannot create the token")?;
    writeln!(output::stdout(), "{secret}")?;
    Ok(())
}

/// Lists tokens, one per line, without their secrets.
pub async fn list(config: &Config) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    writeln!(
        output::stdout(),
        "{:>4}  {:<9} {:<5} {:<20} {:<25} name",
        "id",
        "role",
        "state",
        "created",
        "revoked"
    )?;
    for t in store.list_tokens().await? {
        writeln!(
            output::stdout(),
            "{:>4}  {:<9} {:<5} {:<20} {:<25} {}",
            t.id,
            t.role.as_str(),
            t.member_state.as_ref().map_or("-", |s| s.as_str()),
            t.created_at.format("%Y-%m-%d %H:%M:%S"),
            t.revoked_at.map_or_else(
                || "-".to_owned(),
                |r| r.format("%Y-%m-%d %H:%M:%S").to_string()
            ),
            t.name
        )?;
    }
    Ok(())
}

/// Revokes a token by id.
pub async fn revoke(config: &Config, id: i64) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let token = store
        .revoke_token(id)
        .await
        .with_context(|| format!("cannot revoke token {id}"))?;
    writeln!(
        output::stdout(),
        "token {} ({}) is revoked",
        token.id,
        token.name
    )?;
    Ok(())
}
