//! Command-line arguments and the configuration they build: defaults, then `PLEDGEBOARD_*`
//! environment variables, then flags.

use std::net::SocketAddr;

use clap::{Parser, Subcommand};

/// The database when none is given: one SQLite file beside where the command runs.
pub const DEFAULT_DB: &str = "sqlite://pledgeboard.db";
/// Where `serve` listens when no address is given.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// Pledgeboard: peacekeeping pledges against mission requirements.
#[derive(Debug, Parser)]
#[command(name = "pledgeboard", version, about)]
pub struct Cli {
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "PLEDGEBOARD_DB", default_value = DEFAULT_DB)]
    pub db: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the web pages.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, env = "PLEDGEBOARD_BIND", default_value = DEFAULT_BIND)]
        bind: SocketAddr,
        /// Load the demo requirements and pledges (once) before serving.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the schema up to date and put reference data in place.
    Migrate,
    /// Demo data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Import a pledge or requirement file (CSV or .xlsx): all-or-nothing, idempotent.
    Import {
        /// pledges or requirements.
        what: Dataset,
        /// The file.
        file: std::path::PathBuf,
        /// Check every row and say what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export pledges as CSV (the import format).
    Export {
        /// Only `pledges` can be exported.
        what: Dataset,
        /// Where to write (standard output when absent).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Copy the database, while it is in use, into a consistent file (SQLite); on PostgreSQL,
    /// print the `pg_dump` command to use instead.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Per-country summary: the all-states table, or one state's figures.
    Summary {
        /// One member state (alpha-3, alpha-2 or name).
        #[arg(long)]
        member_state: Option<String>,
        /// Only pledges announced at this conference.
        #[arg(long)]
        conference: Option<String>,
        /// text, json or csv.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it alone on one line (it is shown only this once).
    Create {
        /// admin, planner, delegate or viewer.
        #[arg(long)]
        role: String,
        /// The member state a delegate records for (alpha-3, alpha-2 or name).
        #[arg(long)]
        member_state: Option<String>,
        /// Who holds it; every change they make is recorded under this name.
        #[arg(long)]
        name: Option<String>,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id; it stops working at once.
    Revoke {
        /// The id shown by `token list`.
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Load the demo requirements and pledges; loading twice adds nothing.
    Load,
    /// Write a synthetic pledge file for benchmarks.
    Generate {
        /// How many pledges.
        #[arg(long)]
        pledges: u64,
        /// Seed: the same seed gives the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write the CSV.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

/// How `summary` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// What a file holds.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Dataset {
    Pledges,
    Requirements,
}

/// Everything the commands need to know, built once.
#[derive(Debug, Clone)]
pub struct Config {
    pub db_url: String,
    pub bind: SocketAddr,
}

impl Cli {
    /// The configuration these arguments describe.
    pub fn config(&self) -> Config {
        let bind = match &self.command {
            Command::Serve { bind, .. } => *bind,
            _ => DEFAULT_BIND
                .parse()
                .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080))),
        };
        Config {
            db_url: normalise_sqlite_url(&self.db),
            bind,
        }
    }
}

/// `sqlite://file.db` stays as it is; a bare path becomes a SQLite URL.
fn normalise_sqlite_url(db: &str) -> String {
    if db.contains("://") || db.starts_with("sqlite:") {
        db.to_owned()
    } else {
        format!("sqlite://{db}")
    }
}
