//! The `pledgeboard` binary: parses the command line and configuration once, then dispatches.

mod commands;
mod config;

use clap::Parser;

use crate::config::{Cli, Command, DemoCommand, TokenCommand};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing();
    let config = cli.config();
    match cli.command {
        Command::Serve { demo, .. } => commands::serve::run(&config, demo).await,
        Command::Migrate => commands::migrate::run(&config).await,
        Command::Demo {
            command: DemoCommand::Load,
        } => commands::demo::load(&config).await,
        Command::Demo {
            command: DemoCommand::Generate { pledges, seed, out },
        } => commands::generate::run(pledges, seed, &out),
        Command::Import {
            what,
            file,
            dry_run,
        } => commands::import::run(&config, what, &file, dry_run).await,
        Command::Export { what, out } => commands::export::run(&config, what, out.as_deref()).await,
        Command::Summary {
            member_state,
            conference,
            format,
        } => {
            commands::summary::run(
                &config,
                member_state.as_deref(),
                conference.as_deref(),
                format,
            )
            .await
        }
        Command::Token { command } => match command {
            TokenCommand::Create {
                role,
                member_state,
                name,
            } => {
                commands::token::create(&config, &role, member_state.as_deref(), name.as_deref())
                    .await
            }
            TokenCommand::List => commands::token::list(&config).await,
            TokenCommand::Revoke { id } => commands::token::revoke(&config, id).await,
        },
    }
}

/// Logs go to stderr (stdout carries what commands print); `RUST_LOG` sets the level.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
