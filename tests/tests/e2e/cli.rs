//! Running `pledgeboard` commands against a database, for tests that need tokens.

use std::process::Command;

use crate::server::binary;

/// Runs `pledgeboard ARGS… --db DB` and returns its standard output; panics on failure.
pub fn pledgeboard(db: &str, args: &[&str]) -> String {
    let out = Command::new(binary())
        .args(args)
        .args(["--db", db])
        .env_remove("PLEDGEBOARD_DB")
        .output()
        .unwrap_or_else(|e| panic!("cannot run pledgeboard {args:?}: {e}"));
    assert!(
        out.status.success(),
        "pledgeboard {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Creates a token with `token create` and returns the secret it printed.
pub fn create_token(db: &str, role: &str, state: Option<&str>, name: &str) -> String {
    let mut args = vec!["token", "create", "--role", role, "--name", name];
    if let Some(s) = state {
        args.extend(["--member-state", s]);
    }
    let secret = pledgeboard(db, &args).trim().to_owned();
    assert!(
        secret.starts_with("pb_") && !secret.contains(char::is_whitespace),
        "one token alone on one line: {secret:?}"
    );
    secret
}

/// Revokes the token with this name (found with `token list`).
pub fn revoke_token(db: &str, name: &str) {
    let list = pledgeboard(db, &["token", "list"]);
    let id = list
        .lines()
        .find(|l| l.trim_end().ends_with(name))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no token named {name} in {list}"));
    pledgeboard(db, &["token", "revoke", id]);
}
