//! Hostile files, each sent to the real `serve` binary as a dry run through the API and as an
//! upload on the `/import` page: every one is answered 4xx within a few seconds, with words
//! that say what is wrong and a short answer, `/healthz` keeps answering while they are read
//! and after, and the server's peak memory stays under 256 MiB. `pledgeboard import` refuses
//! the same files as quickly, in the same words.

use std::time::{Duration, Instant};

use pledgeboard_domain::testing::{
    SHARED_STRINGS, SHEET, SHEET_END, Workbook, pledge_header_row, sheet_start,
};
use pledgeboard_store::testing::{backends, fresh_url};
use reqwest::{Client, StatusCode};

use crate::login::session_cookie;
use crate::server::Server;

/// "Within a few seconds", for the debug build the tests run.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);
/// The most `/healthz` may take while uploads are read.
const HEALTH_WITHIN: Duration = Duration::from_secs(1);
/// The server's peak resident memory allowed (VmHWM).
const PEAK_MEMORY_KIB: u64 = 256 * 1024;
/// An error answer quotes values cut: it stays small whatever the file held (a file of many
/// bad rows lists its first 1,000 errors).
const ANSWER_BYTES: usize = 64 * 1024;
const MANY_ERRORS_ANSWER_BYTES: usize = 1 << 20;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const MIB: u64 = 1 << 20;

/// One hostile file: what it is, its bytes, its media type, and words its answer must hold.
struct Hostile {
    name: &'static str,
    bytes: Vec<u8>,
    content_type: &'static str,
    says: &'static str,
    answer_at_most: usize,
}

/// A pledge sheet with its header and one cell far away; the dimension says so, as Excel's does.
fn far_cell(reference: &str) -> Vec<u8> {
    let row: String = reference.chars().filter(char::is_ascii_digit).collect();
    let xml = format!(
        r#"{}{}<row r="{row}"><c r="{reference}"><v>1</v></c></row>{SHEET_END}"#,
        sheet_start(Some(&format!("A1:{reference}"))),
        pledge_header_row(),
    );
    Workbook::with_sheet_xml(&xml).to_bytes()
}

/// A sheet of ordinary rows (no references: each row follows the last), repeated until it
/// inflates to `bytes`.
fn inflating_sheet(bytes: u64) -> Workbook {
    let text = |t: &str| format!(r#"<c t="inlineStr"><is><t>{t}</t></is></c>"#);
    let row = format!(
        "<row>{}{}{}<c><v>1</v></c></row>",
        text("PAK-1"),
        text("PAK"),
        text("INF-BN")
    );
    let piece = row.repeat((MIB as usize) / row.len());
    let times = bytes / piece.len() as u64 + 1;
    Workbook::with_sheet(vec![
        ((sheet_start(None) + &pledge_header_row()).into_bytes(), 1),
        (piece.into_bytes(), times),
        (SHEET_END.as_bytes().to_vec(), 1),
    ])
}

/// A workbook whose one shared string is `bytes` long.
fn huge_shared_string(bytes: u64) -> Vec<u8> {
    let sheet = format!(
        r#"{}{}<row r="2"><c r="A2" t="s"><v>0</v></c></row>{SHEET_END}"#,
        sheet_start(Some("A1:R2")),
        pledge_header_row()
    );
    let start = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#;
    Workbook::with_sheet_xml(&sheet)
        .part(
            SHARED_STRINGS,
            vec![
                (start.as_bytes().to_vec(), 1),
                (vec![b'x'; MIB as usize], bytes / MIB),
                (b"</t></si></sst>".to_vec(), 1),
            ],
        )
        .to_bytes()
}

/// A sheet of `rows` pledges with unique references whose caveats and notes are each the
/// longest cell allowed (8 KiB, one shared string): every reading limit passes, and each row
/// holds 16 KiB, so a batch of 50,000 rows would hold 800 MB.
fn long_rows(rows: u32) -> Vec<u8> {
    let long = "a".repeat(8 * 1024);
    let sst = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="1"><si><t>{long}</t></si></sst>"#
    );
    let header = [
        "pledge_ref",
        "member_state",
        "capability",
        "quantity",
        "caveats",
        "notes",
    ];
    let mut xml = sheet_start(None)
        + &format!(
            "<row>{}</row>",
            header
                .map(|h| format!(r#"<c t="inlineStr"><is><t>{h}</t></is></c>"#))
                .concat()
        );
    for i in 0..rows {
        xml.push_str(&format!(
            r#"<row><c t="inlineStr"><is><t>LONG-{i}</t></is></c><c t="inlineStr"><is><t>PAK</t></is></c><c t="inlineStr"><is><t>INF-BN</t></is></c><c><v>1</v></c><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>"#
        ));
    }
    xml.push_str(SHEET_END);
    Workbook::with_sheet_xml(&xml)
        .part(SHARED_STRINGS, vec![(sst.into_bytes(), 1)])
        .to_bytes()
}

fn hostile_files() -> Vec<Hostile> {
    let columns: Vec<String> = (0..1_000_000).map(|i| format!("c{i}")).collect();
    let mut big_cell =
        b"pledge_ref,member_state,capability,quantity,notes\nPAK-1,PAK,INF-BN,1,".to_vec();
    big_cell.resize(big_cell.len() + 50 * MIB as usize, b'x');
    big_cell.push(b'\n');
    vec![
        Hostile {
            name: "a far cell (XFD1048576)",
            bytes: far_cell("XFD1048576"),
            content_type: XLSX,
            says: "the sheet uses cells up to XFD1048576",
            answer_at_most: ANSWER_BYTES,
        },
        Hostile {
            name: "a mid cell (XFD2000)",
            bytes: far_cell("XFD2000"),
            content_type: XLSX,
            says: "the sheet uses cells up to XFD2000",
            answer_at_most: ANSWER_BYTES,
        },
        Hostile {
            name: "a sheet inflating to 2 GiB",
            bytes: inflating_sheet(2 << 30).to_bytes(),
            content_type: XLSX,
            says: "sheet1.xml unpacks to more than 1,073,741,824 bytes",
            answer_at_most: ANSWER_BYTES,
        },
        Hostile {
            name: "a sheet inflating to 2 GiB whose headers declare 1 KB",
            bytes: inflating_sheet(2 << 30).declaring(SHEET, 1000).to_bytes(),
            content_type: XLSX,
            says: "sheet1.xml cannot be unpacked",
            answer_at_most: ANSWER_BYTES,
        },
        Hostile {
            name: "a 1 GiB shared string",
            bytes: huge_shared_string(1 << 30),
            content_type: XLSX,
            says: "sharedStrings.xml unpacks to more than 67,108,864 bytes",
            answer_at_most: ANSWER_BYTES,
        },
        Hostile {
            name: "4,000 rows of 16 KiB each",
            bytes: long_rows(4_000),
            content_type: XLSX,
            says: "must be at most 2000 characters",
            answer_at_most: MANY_ERRORS_ANSWER_BYTES,
        },
        Hostile {
            name: "a 1,000,000-column header",
            bytes: format!("{}\nPAK-1\n", columns.join(",")).into_bytes(),
            content_type: "text/csv",
            says: "the header row is longer than 8,192 bytes",
            answer_at_most: ANSWER_BYTES,
        },
        Hostile {
            name: "a 50 MB cell",
            bytes: big_cell,
            content_type: "text/csv",
            says: "is longer than 65,536 bytes",
            answer_at_most: ANSWER_BYTES,
        },
    ]
}

/// The server's peak resident memory so far, in KiB.
fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_else(|e| panic!("/proc/{pid}/status: {e}"));
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no VmHWM in {status}"))
}

/// A multipart form with the file and `action=preview`, as the import page sends it.
fn page_form(file: &Hostile) -> (String, Vec<u8>) {
    let boundary = "pledgeboard-hostile-upload-boundary";
    let extension = if file.content_type == XLSX {
        "xlsx"
    } else {
        "csv"
    };
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\npreview\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hostile.{extension}\"\r\n\
         Content-Type: {}\r\n\r\n",
        file.content_type
    )
    .into_bytes();
    body.extend_from_slice(&file.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Checks one answer: 4xx, in time, short, saying what is wrong.
async fn check_answer(route: &str, file: &Hostile, started: Instant, response: reqwest::Response) {
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let took = started.elapsed();
    assert!(
        status.is_client_error(),
        "{route}, {}: {status} {body:.300}",
        file.name
    );
    assert!(
        took < ANSWER_WITHIN,
        "{route}, {}: answered in {took:?}",
        file.name
    );
    assert!(
        body.len() < file.answer_at_most,
        "{route}, {}: a {}-byte answer",
        file.name,
        body.len()
    );
    assert!(
        body.contains(file.says),
        "{route}, {}: the answer does not say '{}': {body:.600}",
        file.name,
        file.says
    );
}

/// Polls `/healthz` until told to stop; returns the slowest answer and any failure.
async fn watch_health(
    client: Client,
    url: String,
    stop: tokio::sync::watch::Receiver<bool>,
) -> (Duration, Vec<String>) {
    let mut slowest = Duration::ZERO;
    let mut failures = Vec::new();
    while !*stop.borrow() {
        let started = Instant::now();
        match client
            .get(&url)
            .timeout(Duration::from_secs(10))
            .send()
            .await
        {
            Ok(r) if r.status() == StatusCode::OK => {}
            Ok(r) => failures.push(r.status().to_string()),
            Err(e) => failures.push(e.to_string()),
        }
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (slowest, failures)
}

#[tokio::test]
async fn hostile_uploads_are_refused_quickly_while_the_server_stays_up_and_small() {
    let built = Instant::now();
    let files = hostile_files();
    let built_in = built.elapsed();
    assert!(
        built_in < Duration::from_secs(20),
        "building the files took {built_in:?}"
    );
    for backend in backends() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = match backend {
            "sqlite" => format!("sqlite://{}", dir.path().join("hostile.db").display()),
            other => fresh_url(other)
                .await
                .unwrap_or_else(|e| panic!("{other}: {e}")),
        };
        let server = Server::start(dir.path(), &["--demo", "--db", &db]);
        let token = server
            .demo_admin_token()
            .unwrap_or_else(|| panic!("no admin token"));
        // Redirects not followed: the log-in's answer carries the session cookie.
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let cookie = session_cookie(&client, &server, &token).await;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let health = tokio::spawn(watch_health(
            client.clone(),
            server.url("/healthz"),
            stopped,
        ));

        for file in &files {
            // The API's dry run and the page's preview at the same moment.
            let api = async {
                let started = Instant::now();
                let response = client
                    .post(server.url("/api/v1/imports/pledges?dry_run=true"))
                    .bearer_auth(&token)
                    .header("content-type", file.content_type)
                    .body(file.bytes.clone())
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{backend}, API, {}: {e}", file.name));
                check_answer(&format!("{backend}, API"), file, started, response).await;
            };
            let page = async {
                let (content_type, body) = page_form(file);
                let started = Instant::now();
                let response = client
                    .post(server.url("/import"))
                    .header("cookie", &cookie)
                    .header("origin", &server.base_url)
                    .header("content-type", content_type)
                    .body(body)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{backend}, page, {}: {e}", file.name));
                check_answer(&format!("{backend}, page"), file, started, response).await;
            };
            tokio::join!(api, page);
            eprintln!(
                "{backend}: after {}, peak memory {} MiB",
                file.name,
                peak_memory_kib(server.pid()) / 1024
            );
        }

        let _ = stop.send(true);
        let (slowest, failures) = health.await.unwrap_or_else(|e| panic!("{e}"));
        assert!(
            failures.is_empty(),
            "{backend}: /healthz failed: {failures:?}"
        );
        assert!(
            slowest < HEALTH_WITHIN,
            "{backend}: /healthz took {slowest:?}"
        );
        let after = client
            .get(server.url("/healthz"))
            .send()
            .await
            .map(|r| r.status());
        assert_eq!(
            after.ok(),
            Some(StatusCode::OK),
            "{backend}: /healthz after"
        );
        let peak = peak_memory_kib(server.pid());
        eprintln!(
            "{backend}: peak memory {} MiB, slowest /healthz {slowest:?}, files built in {built_in:?}",
            peak / 1024
        );
        assert!(
            peak < PEAK_MEMORY_KIB,
            "{backend}: the server's peak memory was {} MiB",
            peak / 1024
        );
        assert!(server.stop(), "{backend}: clean shutdown");
    }
}

#[test]
fn the_command_line_refuses_the_same_files_quickly_in_words() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    crate::cli::pledgeboard(&db, &["migrate"]);
    for (i, file) in hostile_files().iter().enumerate() {
        let extension = if file.content_type == XLSX {
            "xlsx"
        } else {
            "csv"
        };
        let path = dir.path().join(format!("hostile-{i}.{extension}"));
        std::fs::write(&path, &file.bytes).unwrap_or_else(|e| panic!("{e}"));
        let started = Instant::now();
        let out = std::process::Command::new(crate::server::binary())
            .args(["import", "pledges"])
            .arg(&path)
            .args(["--dry-run", "--db", &db])
            .env_remove("PLEDGEBOARD_DB")
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let took = started.elapsed();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.status.success(), "{}: {said:.300}", file.name);
        assert!(took < ANSWER_WITHIN, "{}: {took:?}", file.name);
        assert!(
            said.len() < file.answer_at_most,
            "{}: {} bytes said",
            file.name,
            said.len()
        );
        assert!(said.contains(file.says), "{}: {said:.600}", file.name);
    }
}
