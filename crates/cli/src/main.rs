//! The `pledgeboard` binary: parses the command line and configuration once, then dispatches.

mod commands;
mod config;
mod output;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use crate::config::{Cli, Command, DemoCommand, TokenCommand};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        // Whoever read our output stopped reading (`| head`): it has what it wanted.
        Err(_) if output::stdout_closed() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e:?}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
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
        Command::Export { what, format, out } => {
            commands::export::run(&config, what, format, out.as_deref()).await
        }
        Command::Backup { to } => commands::backup::run(&config, &to).await,
        Command::Coverage { mission, format } => {
            commands::coverage::run(&config, mission.as_deref(), format).await
        }
        Command::Outcome {
            conference,
            as_of,
            format,
        } => commands::outcome::run(&config, &conference, as_of.as_deref(), format).await,
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
        Command::FollowThrough {
            conference,
            as_of,
            stalled_days,
            format,
        } => {
            commands::follow_through::run(
                &config,
                &conference,
                as_of.as_deref(),
                stalled_days.as_deref(),
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

/// Logs go to stderr (stdout carries what commands print); `RUST_LOG` sets the level. Colours
/// only on a terminal (and not under `NO_COLOR`): a log file gets plain text.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let colours = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colours)
        .init();
}
