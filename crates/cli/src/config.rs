//! Command-line arguments and the configuration they build: defaults, then `PLEDGEBOARD_*`
//! environment variables, then flags.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use pledgeboard_http::{
    DEFAULT_BODY_TIMEOUT, DEFAULT_FAILED_ATTEMPTS_PER_MINUTE, DEFAULT_HEADER_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS, DEFAULT_SEND_TIMEOUT, HttpSettings, PublicOrigin,
};
use pledgeboard_store::{DEFAULT_POOL_CONNECTIONS, DEFAULT_POOL_TIMEOUT, PoolSettings};

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
    /// Database connections each process keeps at most (several instances on one PostgreSQL
    /// server share its max_connections, 100 by default).
    #[arg(long, global = true, env = "PLEDGEBOARD_DB_POOL", value_name = "N", default_value_t = DEFAULT_POOL_CONNECTIONS, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool: u32,
    /// Seconds a request waits for a database connection before it is answered 503 (while
    /// the database is unreachable).
    #[arg(long, global = true, env = "PLEDGEBOARD_DB_TIMEOUT", value_name = "SECS", default_value_t = DEFAULT_POOL_TIMEOUT.as_secs_f64(), value_parser = seconds)]
    pub db_timeout: f64,

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
        #[command(flatten)]
        limits: ServeLimits,
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
    /// Export pledges in the import format, as CSV or as an Excel workbook.
    Export {
        /// Only `pledges` can be exported.
        what: Dataset,
        /// `csv` (default) or `xlsx`; a workbook is written to `--out` or to a redirected
        /// standard output, never to a terminal.
        #[arg(long, value_enum, default_value = "csv")]
        format: FileFormat,
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
    /// A conference's outcome ("Chair's summary"): each figure with its counting rule.
    Outcome {
        /// The conference's code, e.g. ISB-2023.
        #[arg(long)]
        conference: String,
        /// As the pledges stood at this date (its end, UTC) or moment.
        #[arg(long)]
        as_of: Option<String>,
        /// text, json or csv.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Follow-through of one conference: stages its pledges reached, median days between
    /// stages, and the pledges stalled.
    FollowThrough {
        /// The conference (code or name).
        #[arg(long)]
        conference: String,
        /// As the pledges and milestones stood at this date (its end, UTC) or moment.
        #[arg(long)]
        as_of: Option<String>,
        /// Days without a milestone after which a pledge counts as stalled (default 180).
        #[arg(long)]
        stalled_days: Option<String>,
        /// text, json or csv.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Mission figures: requirements met, firm and critically open, personnel covered.
    Coverage {
        /// One mission (acronym or name).
        #[arg(long)]
        mission: Option<String>,
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

/// Timeouts, limits and the public URL of `serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeLimits {
    /// Seconds a client has to send a request's headers, from connecting or from the end of
    /// the previous answer (so also how long an idle kept-alive connection stays open).
    #[arg(long, env = "PLEDGEBOARD_HEADER_TIMEOUT", value_name = "SECS", default_value_t = DEFAULT_HEADER_TIMEOUT.as_secs_f64(), value_parser = seconds)]
    pub header_timeout: f64,
    /// Seconds a request body may take to arrive in full (408 beyond).
    #[arg(long, env = "PLEDGEBOARD_BODY_TIMEOUT", value_name = "SECS", default_value_t = DEFAULT_BODY_TIMEOUT.as_secs_f64(), value_parser = seconds)]
    pub body_timeout: f64,
    /// Seconds an answer may wait for the client to read it; a client that stopped reading
    /// is disconnected.
    #[arg(long, env = "PLEDGEBOARD_SEND_TIMEOUT", value_name = "SECS", default_value_t = DEFAULT_SEND_TIMEOUT.as_secs_f64(), value_parser = seconds)]
    pub send_timeout: f64,
    /// Connections served at once (lowered to what the open-file limit allows); more wait.
    #[arg(long, env = "PLEDGEBOARD_MAX_CONNECTIONS", value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS, value_parser = positive_count)]
    pub max_connections: usize,
    /// The URL browsers use, e.g. https://pledges.example.org behind a TLS proxy: https makes
    /// the session cookie Secure, and forms must come from this origin.
    #[arg(long, env = "PLEDGEBOARD_PUBLIC_URL", value_name = "URL", value_parser = PublicOrigin::parse)]
    pub public_url: Option<PublicOrigin>,
    /// Failed log-ins and unknown bearer tokens allowed per client address in a minute.
    #[arg(long, env = "PLEDGEBOARD_FAILED_LOGINS_PER_MINUTE", value_name = "N", default_value_t = NonZeroU32::new(DEFAULT_FAILED_ATTEMPTS_PER_MINUTE).unwrap_or(NonZeroU32::MIN))]
    pub failed_logins_per_minute: NonZeroU32,
}

/// A positive number of seconds, at most a day.
fn seconds(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= 86_400.0 => Ok(secs),
        _ => Err(format!(
            "'{value}' is not a number of seconds between 0 and 86400"
        )),
    }
}

/// A whole number of at least one.
fn positive_count(value: &str) -> Result<usize, String> {
    match value.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("'{value}' is not a whole number of at least 1")),
    }
}

impl ServeLimits {
    /// The HTTP settings these limits describe (the other settings at their defaults).
    pub fn settings(&self) -> HttpSettings {
        HttpSettings {
            header_timeout: Duration::from_secs_f64(self.header_timeout),
            body_timeout: Duration::from_secs_f64(self.body_timeout),
            send_timeout: Duration::from_secs_f64(self.send_timeout),
            max_connections: self.max_connections,
            public_origin: self.public_url.clone(),
            failed_attempts_per_minute: self.failed_logins_per_minute,
            ..HttpSettings::default()
        }
    }
}

/// How `summary` prints.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FileFormat {
    Csv,
    Xlsx,
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
    /// How the database connections are pooled.
    pub pool: PoolSettings,
    pub bind: SocketAddr,
    /// What `serve` answers with: timeouts, limits, public URL.
    pub http: HttpSettings,
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
        let http = match &self.command {
            Command::Serve { limits, .. } => limits.settings(),
            _ => HttpSettings::default(),
        };
        Config {
            db_url: normalise_sqlite_url(&self.db),
            pool: PoolSettings {
                max_connections: self.db_pool,
                timeout: Duration::from_secs_f64(self.db_timeout),
            },
            bind,
            http,
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
