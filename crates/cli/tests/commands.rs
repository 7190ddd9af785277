//! The `pledgeboard` command run as a process on a throw-away SQLite file.

use std::process::{Command, Output};

fn pledgeboard(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pledgeboard"))
        .args(args)
        .current_dir(dir)
        .env_remove("PLEDGEBOARD_DB")
        .output()
        .unwrap_or_else(|e| panic!("cannot run pledgeboard: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn migrate_creates_the_default_database_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = pledgeboard(dir.path(), &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("pledgeboard.db").exists());
    assert!(stdout(&out).contains("up to date"));
}

#[test]
fn demo_load_twice_adds_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let first = pledgeboard(dir.path(), &["demo", "load", "--db", "sqlite://demo.db"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(!stdout(&first).contains(" 0 pledges"), "{}", stdout(&first));
    let second = pledgeboard(dir.path(), &["demo", "load", "--db", "sqlite://demo.db"]);
    assert_eq!(
        stdout(&second).trim(),
        "demo data: 0 requirements, 0 pledges and 0 milestones added (existing ones left as they were)"
    );
}

#[test]
fn an_unreachable_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = pledgeboard(
        dir.path(),
        &["migrate", "--db", "sqlite:///no/such/dir/x.db"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open the database"));
}
