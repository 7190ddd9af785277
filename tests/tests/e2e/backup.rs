//! `pledgeboard backup` while the server takes twenty pledges a second: the copy holds every
//! pledge acknowledged before the backup began, and it serves as a database of its own.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::json;

use crate::cli::pledgeboard;
use crate::server::Server;

/// One write every 50 ms: twenty a second.
const WRITE_EVERY: Duration = Duration::from_millis(50);

#[tokio::test]
async fn a_backup_under_twenty_writes_a_second_has_every_write_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("live.db").display());
    let server = Server::start(dir.path(), &["--demo", "--db", &db]);
    let token = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no admin token"));

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (url, token) = (server.url("/api/v1/pledges"), token.clone());
        let (acknowledged, failures, stop) = (acknowledged.clone(), failures.clone(), stop.clone());
        tokio::spawn(async move {
            let client = Client::new();
            let mut tick = tokio::time::interval(WRITE_EVERY);
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                tick.tick().await;
                n += 1;
                let reference = format!("BACKUP-{n:05}");
                let answer = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"pledge_ref": reference, "member_state": "GHA",
                                  "capability": "MP-COY", "quantity": 1}))
                    .send()
                    .await;
                match answer {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        acknowledged
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(reference);
                    }
                    Ok(r) => failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(format!("{reference}: {}", r.status())),
                    Err(e) => failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(format!("{reference}: {e}")),
                }
            }
        })
    };

    tokio::time::sleep(Duration::from_secs(2)).await;
    let before: Vec<String> = acknowledged
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let copy = dir.path().join("copy.db");
    let (db2, copy2) = (db.clone(), copy.display().to_string());
    let said = tokio::task::spawn_blocking(move || pledgeboard(&db2, &["backup", "--to", &copy2]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(said.contains("backed up"), "{said}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.await.unwrap_or_else(|e| panic!("{e}"));

    let failures = failures.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(
        failures.is_empty(),
        "writes failed during the backup: {failures:?}"
    );
    let total = acknowledged.lock().unwrap_or_else(|e| e.into_inner()).len();
    assert!(
        before.len() >= 20,
        "the writer ran before the backup: {}",
        before.len()
    );
    assert!(
        total > before.len(),
        "writes went on while the backup was taken"
    );

    // Restoring is serving from the copy: its export must hold every write acknowledged first.
    let restored = format!("sqlite://{}", copy.display());
    let export =
        tokio::task::spawn_blocking(move || pledgeboard(&restored, &["export", "pledges"]))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    let mut rows = csv::Reader::from_reader(export.as_bytes());
    let position = rows
        .headers()
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .position(|h| h == "pledge_ref")
        .unwrap_or_else(|| panic!("no pledge_ref column"));
    let exported: BTreeSet<String> = rows
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}"))[position].to_owned())
        .collect();
    let missing: Vec<&String> = before.iter().filter(|r| !exported.contains(*r)).collect();
    assert!(
        missing.is_empty(),
        "the backup lost acknowledged writes: {missing:?}"
    );
    assert!(server.stop(), "clean shutdown");

    let again = Server::start(
        dir.path(),
        &["--db", &format!("sqlite://{}", copy.display())],
    );
    let health = Client::new()
        .get(again.url("/readyz"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        health.status(),
        StatusCode::OK,
        "a server starts on the backup"
    );
}

#[test]
fn a_backup_never_overwrites_a_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("a.db").display());
    pledgeboard(&db, &["migrate"]);
    let target = dir.path().join("taken.db");
    std::fs::write(&target, b"precious").unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(crate::server::binary())
        .args(["backup", "--to", &target.display().to_string(), "--db", &db])
        .env_remove("PLEDGEBOARD_DB")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(std::fs::read(&target).unwrap_or_default(), b"precious");
}

#[test]
fn on_postgres_backup_prints_the_pg_dump_command_and_writes_nothing() {
    let Some(server) = pledgeboard_store::testing::postgres_or_not_run("backup on PostgreSQL")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = dir.path().join("pg.dump");
    let out = std::process::Command::new(crate::server::binary())
        .args([
            "backup",
            "--to",
            &target.display().to_string(),
            "--db",
            &server,
        ])
        .env_remove("PLEDGEBOARD_DB")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !out.status.success(),
        "no backup was written, and the exit status says so"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("pg_dump --format=custom"), "{stdout}");
    assert!(stdout.contains(&server), "{stdout}");
    assert!(!target.exists());
}
