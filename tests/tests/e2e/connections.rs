//! Slow and idle clients against the real server: the header timeout (which also closes idle
//! kept-alive connections), the body timeout, and the connection cap.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::cli::create_token;
use crate::server::Server;

/// What a raw client saw: when the server closed the connection, and what it sent before.
struct Seen {
    closed_after: Option<Duration>,
    received: String,
}

/// Connects to the server.
async fn connect(server: &Server) -> TcpStream {
    TcpStream::connect(server.address())
        .await
        .unwrap_or_else(|e| panic!("cannot connect: {e}"))
}

/// Sends `bytes` one a second, listening in between, until the server closes the connection
/// or answers, or `limit` passes.
async fn trickle(stream: &mut TcpStream, bytes: &[u8], limit: Duration) -> Seen {
    let start = Instant::now();
    let mut received = Vec::new();
    let mut pending = bytes.iter();
    while start.elapsed() < limit {
        if let Some(byte) = pending.next()
            && stream.write_all(&[*byte]).await.is_err()
        {
            return Seen {
                closed_after: Some(start.elapsed()),
                received: String::from_utf8_lossy(&received).into_owned(),
            };
        }
        let mut buffer = [0u8; 4096];
        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return Seen {
                    closed_after: Some(start.elapsed()),
                    received: String::from_utf8_lossy(&received).into_owned(),
                };
            }
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => {}
        }
    }
    Seen {
        closed_after: None,
        received: String::from_utf8_lossy(&received).into_owned(),
    }
}

/// Reads until the server closes the connection or `limit` passes; how long that took.
async fn wait_for_close(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buffer = [0u8; 4096];
    while let Ok(read) = tokio::time::timeout(
        limit.saturating_sub(start.elapsed()),
        stream.read(&mut buffer),
    )
    .await
    {
        match read {
            Ok(0) | Err(_) => return Some(start.elapsed()),
            Ok(_) => {}
        }
    }
    None
}

/// Sends one request on an open connection and reads the answer's first bytes.
async fn ask(stream: &mut TcpStream, path: &str, limit: Duration) -> Option<String> {
    let request = format!("GET {path} HTTP/1.1\r\nHost: pledgeboard.test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    read_answer(stream, limit).await
}

async fn read_answer(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut buffer = [0u8; 4096];
    match tokio::time::timeout(limit, stream.read(&mut buffer)).await {
        Ok(Ok(n)) if n > 0 => Some(String::from_utf8_lossy(&buffer[..n]).into_owned()),
        _ => None,
    }
}

#[tokio::test]
async fn a_client_sending_its_headers_a_byte_a_second_is_disconnected_at_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("slow.db").display());
    let server = Server::start(dir.path(), &["--db", &db, "--header-timeout", "2"]);
    let mut stream = connect(&server).await;
    let seen = trickle(
        &mut stream,
        b"GET /healthz HTTP/1.1\r\nHost: pledgeboard.test\r\nUser-Agent: slow\r\n\r\n",
        Duration::from_secs(20),
    )
    .await;
    let closed = seen
        .closed_after
        .unwrap_or_else(|| panic!("still open after 20 s; received {:?}", seen.received));
    assert!(
        closed >= Duration::from_millis(1500) && closed <= Duration::from_secs(4),
        "closed after {closed:?}, with a 2 s header timeout"
    );
    assert!(!seen.received.contains("200 OK"), "{}", seen.received);
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_at_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("idle.db").display());
    let server = Server::start(dir.path(), &["--db", &db, "--header-timeout", "2"]);
    let mut stream = connect(&server).await;
    let answer = ask(&mut stream, "/healthz", Duration::from_secs(5)).await;
    assert!(
        answer
            .as_deref()
            .is_some_and(|a| a.starts_with("HTTP/1.1 200")),
        "{answer:?}"
    );
    let second = ask(&mut stream, "/healthz", Duration::from_secs(5)).await;
    assert!(
        second.is_some(),
        "the connection is kept alive between requests"
    );
    let closed = wait_for_close(&mut stream, Duration::from_secs(20))
        .await
        .unwrap_or_else(|| panic!("an idle kept-alive connection stayed open 20 s"));
    assert!(
        closed >= Duration::from_millis(1500) && closed <= Duration::from_secs(4),
        "closed {closed:?} after the last answer, with a 2 s header timeout"
    );
}

#[tokio::test]
async fn a_body_sent_a_byte_a_second_is_cut_at_the_body_timeout_with_408() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("body.db").display());
    let token = create_token(&db, "planner", None, "slow body");
    let server = Server::start(dir.path(), &["--db", &db, "--body-timeout", "2"]);
    let mut stream = connect(&server).await;
    let head = format!(
        "POST /api/v1/pledges HTTP/1.1\r\nHost: pledgeboard.test\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let seen = trickle(&mut stream, &[b' '; 1000], Duration::from_secs(20)).await;
    assert!(
        seen.received.starts_with("HTTP/1.1 408"),
        "answered {:?} after {:?}",
        seen.received,
        start.elapsed()
    );
    assert!(
        seen.received.contains("did not arrive in time"),
        "{}",
        seen.received
    );
    let answered = start.elapsed();
    assert!(
        answered <= Duration::from_secs(5),
        "answered after {answered:?}, with a 2 s body timeout"
    );
}

/// The soft open-file limit many systems start processes with.
const COMMON_SOFT_LIMIT: u64 = 1024;

#[tokio::test]
async fn healthz_answers_within_a_second_while_2000_idle_connections_are_open() {
    const IDLE: usize = 2000;
    let limit = rlimit::increase_nofile_limit(u64::MAX).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        limit >= 2 * IDLE as u64 + 200,
        "this test holds {IDLE} sockets: the open-file limit is only {limit}"
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("idle.db").display());
    // Started under a soft limit of 1,024: the server raises it to the hard limit itself.
    let server = Server::start_with_soft_open_file_limit(
        dir.path(),
        &["--db", &db, "--header-timeout", "60"],
        COMMON_SOFT_LIMIT,
    );
    let mut idle = Vec::with_capacity(IDLE);
    for _ in 0..IDLE {
        idle.push(connect(&server).await);
    }
    // Wait until the server itself holds them (not only the kernel's backlog).
    let held = || {
        std::fs::read_dir(format!("/proc/{}/fd", server.pid()))
            .map(Iterator::count)
            .unwrap_or(0)
    };
    let waiting = Instant::now();
    while held() < IDLE && waiting.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(held() >= IDLE, "the server holds {} descriptors", held());

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..3 {
        let start = Instant::now();
        let answer = client
            .get(server.url("/healthz"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("/healthz did not answer within 1 s: {e}"));
        assert_eq!(answer.status(), reqwest::StatusCode::OK);
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
    }
    let readyz = client
        .get(server.url("/readyz"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        readyz.status(),
        reqwest::StatusCode::OK,
        "the database is still reachable"
    );
    drop(idle);
}

#[tokio::test]
async fn past_the_connection_cap_new_connections_wait_while_open_ones_keep_working() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("cap.db").display());
    let server = Server::start(
        dir.path(),
        &[
            "--db",
            &db,
            "--max-connections",
            "3",
            "--header-timeout",
            "4",
        ],
    );
    let mut working = connect(&server).await;
    assert!(
        ask(&mut working, "/healthz", Duration::from_secs(5))
            .await
            .is_some()
    );
    let _idle = [connect(&server).await, connect(&server).await];
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut waiting = connect(&server).await;
    let waited = Instant::now();
    let early = ask(&mut waiting, "/healthz", Duration::from_secs(1)).await;
    assert!(
        early.is_none(),
        "a fourth connection was served past a cap of 3: {early:?}"
    );

    let answer = ask(&mut working, "/healthz", Duration::from_secs(1)).await;
    assert!(
        answer
            .as_deref()
            .is_some_and(|a| a.starts_with("HTTP/1.1 200")),
        "an open connection keeps working at the cap: {answer:?}"
    );

    // The idle ones are closed at the header timeout, and the waiting one is served.
    let late = read_answer(&mut waiting, Duration::from_secs(10)).await;
    assert!(
        late.as_deref()
            .is_some_and(|a| a.starts_with("HTTP/1.1 200")),
        "the waiting connection was never served: {late:?}"
    );
    assert!(
        waited.elapsed() >= Duration::from_secs(2),
        "{:?}",
        waited.elapsed()
    );
}

#[tokio::test]
async fn a_client_that_stops_reading_its_answers_is_disconnected_at_the_send_timeout() {
    const REQUESTS: usize = 200;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("reader.db").display());
    let server = Server::start(
        dir.path(),
        &["--db", &db, "--send-timeout", "2", "--header-timeout", "60"],
    );
    let whole = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .len();
    // Many large answers asked for at once (pipelined), and none read: the server's writes
    // soon wait on full socket buffers.
    let socket = tokio::net::TcpSocket::new_v4().unwrap_or_else(|e| panic!("{e}"));
    socket
        .set_recv_buffer_size(4096)
        .unwrap_or_else(|e| panic!("{e}"));
    let address = server.address().parse().unwrap_or_else(|e| panic!("{e}"));
    let mut stream = socket
        .connect(address)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let request = "GET /api/v1/openapi.json HTTP/1.1\r\nHost: pledgeboard.test\r\n\r\n";
    stream
        .write_all(request.repeat(REQUESTS).as_bytes())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    tokio::time::sleep(Duration::from_secs(6)).await;

    let mut received = 0usize;
    let mut buffer = vec![0u8; 64 * 1024];
    let reading = Instant::now();
    let closed = loop {
        match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => received += n,
            Err(_) => break false,
        }
        if reading.elapsed() > Duration::from_secs(30) {
            break false;
        }
    };
    assert!(
        closed,
        "the connection was still open; {received} bytes came"
    );
    assert!(
        received < whole * REQUESTS / 2,
        "{received} bytes of {} came: the server waited for the reader",
        whole * REQUESTS
    );
}
