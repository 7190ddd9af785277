//! `pledgeboard backup --to FILE`

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use pledgeboard_store::{Backend, Store};

use crate::config::Config;
use crate::output;

/// Backs up a SQLite database while it is in use; on PostgreSQL prints the `pg_dump` command
/// that does it and writes nothing.
pub async fn run(config: &Config, to: &Path) -> anyhow::Result<()> {
    // Connect only: a backup reads the database as it is, it never migrates it.
    let store = Store::connect_with(&config.db_url, config.pool)
        .await
        .with_context(|| format!("cannot open the database at {}", config.db_url))?;
    if store.backend() == Backend::Postgres {
        eprintln!(
            "Pledgeboard does not copy a PostgreSQL database itself: pg_dump makes a consistent \
             backup while Pledgeboard serves. Run:"
        );
        writeln!(output::stdout(), "{}", pg_dump_command(&config.db_url, to))?;
        bail!("no backup was written");
    }
    let bytes = store
        .backup_sqlite_to(to)
        .await
        .context("the backup failed")?;
    writeln!(
        output::stdout(),
        "backed up {} to {} ({bytes} bytes); to restore, serve from it: pledgeboard serve --db sqlite://{}",
        config.db_url,
        to.display(),
        to.display()
    )?;
    Ok(())
}

/// The `pg_dump` command line that backs up the database at `url` into `to`.
fn pg_dump_command(url: &str, to: &Path) -> String {
    format!(
        "pg_dump --format=custom --file={} --dbname={}",
        shell_quote(&to.display().to_string()),
        shell_quote(url)
    )
}

/// `text` quoted for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pg_dump_command_quotes_what_a_shell_would_split() {
        assert_eq!(
            pg_dump_command("postgres://u@h/db", Path::new("/tmp/it's.dump")),
            r"pg_dump --format=custom --file='/tmp/it'\''s.dump' --dbname='postgres://u@h/db'"
        );
    }
}
