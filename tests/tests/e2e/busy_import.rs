//! While an import holds SQLite's writer — in the server itself, or in a CLI process beside
//! it — other writes are answered 503 with `Retry-After`, promptly: never a 500, never a wait
//! of the old 10 s busy timeout. Once the import ends, writes go through again.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode, header};
use serde_json::{Value, json};

use crate::login::session_cookie;
use crate::server::{Server, binary};

/// Rows in the imported file: enough that the import holds the writer well past SQLite's 2 s
/// busy timeout in a debug build (40,000 rows took under 2 s on a quicker machine, so a write
/// from another process waited and went through), so that writes are sure to meet it.
const ROWS: &str = "200000";
/// A write refused because of an in-process import is answered at once; one that meets an
/// import in another process waits SQLite's busy timeout (2 s) first. Generous, on a shared
/// machine, and still far from the 10 s the old busy timeout took.
const PROMPT: Duration = Duration::from_secs(5);

/// What a browser sends a form as (tokens and these values need no escaping).
const FORM: &str = "application/x-www-form-urlencoded";

fn generate(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("pledges.csv");
    let status = Command::new(binary())
        .args([
            "demo",
            "generate",
            "--pledges",
            ROWS,
            "--seed",
            "7",
            "--out",
        ])
        .arg(&file)
        .env_remove("PLEDGEBOARD_DB")
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "demo generate failed");
    file
}

struct Writer {
    client: Client,
    token: String,
    server: String,
    written: usize,
}

impl Writer {
    /// Records a pledge: its status, `Retry-After` and problem type, and how long it took.
    async fn record(&mut self) -> (StatusCode, Option<String>, Value, Duration) {
        self.written += 1;
        let body = json!({"pledge_ref": format!("BUSY-{}", self.written), "member_state": "GHA",
            "capability": "INF-COY", "quantity": 1});
        let request = self
            .client
            .post(format!("{}/api/v1/pledges", self.server))
            .bearer_auth(&self.token)
            .json(&body);
        answer(request).await
    }
}

async fn answer(request: reqwest::RequestBuilder) -> (StatusCode, Option<String>, Value, Duration) {
    let started = Instant::now();
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("after {:?}: {e:?}", started.elapsed()));
    let status = response.status();
    let retry = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, retry, body, started.elapsed())
}

/// Writes until one is refused as busy while `running` says the import goes on; every answer
/// is a success or a prompt 503 with `Retry-After`. Returns whether one was refused.
async fn write_until_refused(writer: &mut Writer, running: &mut impl FnMut() -> bool) -> bool {
    while running() {
        let (status, retry, body, took) = writer.record().await;
        match status {
            StatusCode::CREATED => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(took < PROMPT, "refused after {took:?}");
                assert!(retry.is_some_and(|s| s.parse::<u32>().is_ok_and(|s| s > 0)));
                assert_eq!(body["type"], "urn:pledgeboard:problem:busy", "{body}");
                return true;
            }
            other => panic!("a write during an import got {other}: {body}"),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

fn still_running(child: &mut Child) -> bool {
    matches!(child.try_wait(), Ok(None))
}

#[tokio::test]
async fn writes_meeting_a_cli_import_in_another_process_are_told_to_retry_promptly() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("busy.db").display());
    let file = generate(dir.path());
    let server = Server::start(dir.path(), &["--demo", "--db", &db]);
    let token = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no token"));
    let mut writer = Writer {
        // A fresh connection for each write: under a loaded test run one kept-alive connection
        // was found closed by the server as the next write went out (IncompleteMessage).
        client: Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap_or_else(|e| panic!("{e}")),
        token,
        server: server.base_url.clone(),
        written: 0,
    };
    assert_eq!(writer.record().await.0, StatusCode::CREATED);

    let mut import = Command::new(binary())
        .args(["import", "pledges"])
        .arg(&file)
        .args(["--db", &db])
        .env_remove("PLEDGEBOARD_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let refused = write_until_refused(&mut writer, &mut || still_running(&mut import)).await;
    let out = import.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(refused, "no write met the import while it ran");
    assert_eq!(writer.record().await.0, StatusCode::CREATED, "after it");
}

#[tokio::test]
async fn every_kind_of_write_meeting_an_import_in_the_server_is_told_to_retry_at_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("busy.db").display());
    let file = std::fs::read(generate(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    let server = Server::start(dir.path(), &["--demo", "--db", &db]);
    let token = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no token"));
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut writer = Writer {
        client: client.clone(),
        token: token.clone(),
        server: server.base_url.clone(),
        written: 0,
    };
    let (status, _, created, _) = writer.record().await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let pledge = server.url(&format!("/api/v1/pledges/{}", created["id"]));
    // Signed in before the import: a page write needs a session.
    let cookie = session_cookie(&client, &server, &token).await;

    let import = tokio::spawn(
        client
            .post(server.url("/api/v1/imports/pledges"))
            .bearer_auth(&token)
            .header(header::CONTENT_TYPE, "text/csv")
            .body(file)
            .send(),
    );
    let refused = write_until_refused(&mut writer, &mut || !import.is_finished()).await;
    assert!(refused, "no write met the import while it ran");
    let api = |method: reqwest::Method, url: String, body: Value| {
        client.request(method, url).bearer_auth(&token).json(&body)
    };
    let writes = [
        (
            "PATCH a pledge",
            api(
                reqwest::Method::PATCH,
                pledge.clone(),
                json!({"quantity": 2}),
            ),
        ),
        (
            "withdraw a pledge",
            api(
                reqwest::Method::POST,
                format!("{pledge}/withdraw"),
                json!({}),
            ),
        ),
        (
            "add a requirement",
            api(
                reqwest::Method::POST,
                server.url("/api/v1/requirements"),
                json!({"mission": "UNMISS", "capability": "SF-COY", "quantity": 2,
                    "personnel": 200, "needed_by": "2027-06-30", "priority": "critical"}),
            ),
        ),
        (
            "add a mission",
            api(
                reqwest::Method::POST,
                server.url("/api/v1/missions"),
                json!({"acronym": "UNTEST", "name": "Test mission", "location": "Nowhere"}),
            ),
        ),
        (
            "record a pledge on its page",
            client
                .post(server.url("/pledges/new"))
                .header(header::ORIGIN, &server.base_url)
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, FORM)
                .body("pledge_ref=BUSY-PAGE&member_state=GHA&capability=INF-COY&quantity=1"),
        ),
    ];
    for (what, request) in writes {
        let (status, retry, body, took) = answer(request).await;
        assert!(!import.is_finished(), "the import ended before: {what}");
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{what}: {body}");
        assert!(retry.is_some(), "{what}: no Retry-After");
        assert!(took < Duration::from_secs(1), "{what} took {took:?}");
    }

    let imported = import
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.status(), StatusCode::OK);
    assert_eq!(writer.record().await.0, StatusCode::CREATED, "after it");
}
