//! The command line as Unix tools behave: a reader that stops early (`| head -1`) ends the
//! command quietly with status 0, and logs written to a file carry no colour codes.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cli::pledgeboard;
use crate::server::binary;

#[test]
fn export_into_a_pipe_closed_after_one_line_exits_zero_and_says_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("many.db").display());
    // Far more than a pipe's buffer (64 KiB), so the export is still writing when it closes.
    let file = dir.path().join("many.csv");
    pledgeboard(
        &db,
        &[
            "demo",
            "generate",
            "--pledges",
            "5000",
            "--out",
            &file.display().to_string(),
        ],
    );
    pledgeboard(&db, &["import", "pledges", &file.display().to_string()]);

    let mut child = Command::new(binary())
        .args(["export", "pledges", "--db", &db])
        .env_remove("PLEDGEBOARD_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(first.starts_with("pledge_ref,"), "{first}");
    // The reader is gone now (as `head -1` exits).
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap_or_else(|| panic!("no stderr"))
        .read_to_string(&mut stderr)
        .unwrap_or_else(|e| panic!("{e}"));
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "exit status {status}; stderr {stderr}");
    assert_eq!(stderr, "", "nothing on stderr");
}

#[test]
fn logs_written_to_a_file_have_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log = dir.path().join("serve.log");
    let mut child = Command::new(binary())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args([
            "--db",
            &format!("sqlite://{}", dir.path().join("a.db").display()),
        ])
        .env_remove("PLEDGEBOARD_DB")
        .env_remove("NO_COLOR")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap_or_else(|e| panic!("{e}")))
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let deadline = Instant::now() + Duration::from_secs(30);
    let text = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("serving") || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        text.contains("serving"),
        "the server logged its start: {text}"
    );
    assert!(!text.contains('\u{1b}'), "no ANSI escape codes in {text:?}");
}

#[test]
fn a_workbook_export_imports_back_as_a_no_op() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("book.db").display());
    let file = dir.path().join("some.csv");
    let file = file.display().to_string();
    pledgeboard(
        &db,
        &["demo", "generate", "--pledges", "300", "--out", &file],
    );
    pledgeboard(&db, &["import", "pledges", &file]);

    let book = dir.path().join("pledges.xlsx").display().to_string();
    pledgeboard(
        &db,
        &["export", "pledges", "--format", "xlsx", "--out", &book],
    );
    let bytes = std::fs::read(&book).unwrap_or_else(|e| panic!("{e}"));
    assert!(bytes.starts_with(b"PK"), "a zip file");
    let said = pledgeboard(&db, &["import", "pledges", &book, "--dry-run"]);
    assert!(
        said.contains("300 rows: 0 would be created, 0 would be updated, 300 unchanged"),
        "{said}"
    );
}
