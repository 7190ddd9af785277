//! `fanout`: the live board's benchmark (issue 15). Opens N boards that behave as
//! `board.js` does, records W pledges a second for D seconds, and prints how long each write
//! took to show on every board (p50, p99, max), the boards still stale after a grace period,
//! board fetches a second, and the server's CPU seconds per second. `bench/fanout.sh`
//! prepares the data and the server and runs it.

mod board;
mod figures;
mod sse;
mod writes;

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use reqwest::Client;
use reqwest::header::{CONTENT_TYPE, ORIGIN, SET_COOKIE};

use crate::figures::{cpu_seconds, ms, percentile, visibility};
use crate::writes::Versions;

#[derive(Parser)]
struct Args {
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    base: String,
    /// A viewer token: every board logs in with it (a session each).
    #[arg(long)]
    board_token: String,
    /// A planner token for the writes.
    #[arg(long)]
    write_token: String,
    /// Boards open.
    #[arg(long, default_value_t = 500)]
    boards: usize,
    /// Pledges written a second.
    #[arg(long, default_value_t = 5)]
    writes_per_second: u32,
    /// Seconds of writing.
    #[arg(long, default_value_t = 10)]
    seconds: u32,
    /// Seconds after the last write before the boards are checked.
    #[arg(long, default_value_t = 3)]
    grace: u64,
    /// The server's process id, for its CPU time.
    #[arg(long)]
    server_pid: u32,
    /// Clock ticks a second in /proc (`getconf CLK_TCK`).
    #[arg(long, default_value_t = 100.0)]
    clock_ticks: f64,
}

/// Logs in with `token` as the login form does; the session cookie (`name=value`).
async fn log_in(client: &Client, base: &str, token: &str) -> Result<String> {
    let response = client
        .post(format!("{base}/login"))
        .header(ORIGIN, base)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        // A token is `pb_` and hex digits: nothing to escape.
        .body(format!("token={token}"))
        .send()
        .await?;
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    match cookie {
        Some(c) => Ok(c),
        None => bail!("logging in answered {} without a cookie", response.status()),
    }
}

/// Opens `count` boards, a few at a time.
async fn open_boards(
    client: &Client,
    args: &Args,
    started: Instant,
    stop: &tokio::sync::watch::Receiver<()>,
) -> Result<Vec<tokio::task::JoinHandle<board::BoardRecord>>> {
    let mut boards = Vec::with_capacity(args.boards);
    for batch in (0..args.boards).collect::<Vec<_>>().chunks(50) {
        let mut opening = Vec::new();
        for _ in batch {
            let (client, base, token, stop) = (
                client.clone(),
                args.base.clone(),
                args.board_token.clone(),
                stop.clone(),
            );
            opening.push(tokio::spawn(async move {
                let cookie = log_in(&client, &base, &token).await?;
                board::open(client, &base, cookie, started, stop).await
            }));
        }
        for task in opening {
            boards.push(task.await??);
        }
    }
    Ok(boards)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    rlimit::increase_nofile_limit(u64::MAX).context("raising the open-file limit")?;
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(usize::MAX)
        .build()?;
    let started = Instant::now();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
    let boards = open_boards(&client, &args, started, &stop_rx).await?;
    let versions = Versions::default();
    let follower = tokio::spawn(writes::follow_versions(
        client.clone(),
        args.base.clone(),
        args.write_token.clone(),
        versions.clone(),
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    eprintln!("{} boards open; writing", boards.len());

    let cpu_before = cpu_seconds(args.server_pid, args.clock_ticks)?;
    let writing = Instant::now();
    let writing_from = started.elapsed();
    let written = writes::record(
        &client,
        &args.base,
        &args.write_token,
        args.writes_per_second,
        args.seconds,
        started,
    )
    .await?;
    let wall = writing.elapsed().as_secs_f64();
    let writing_to = started.elapsed();
    let cpu = (cpu_seconds(args.server_pid, args.clock_ticks)? - cpu_before) / wall;

    tokio::time::sleep(Duration::from_secs(args.grace)).await;
    drop(stop_tx);
    let mut records = Vec::with_capacity(boards.len());
    for b in boards {
        records.push(b.await?);
    }
    follower.abort();

    let last_version = written
        .iter()
        .filter_map(|w| versions.of(w.pledge_id))
        .max()
        .unwrap_or(0);
    let stale = records
        .iter()
        .filter(|r| r.last_version() < last_version)
        .count();
    let times = visibility(&written, &versions, &records);
    let unseen = times.iter().filter(|t| t.is_none()).count();
    let mut seen: Vec<Duration> = times.into_iter().flatten().collect();
    seen.sort();
    let fetches: usize = records.iter().map(|r| r.fetched.len()).sum();
    let fetches_writing = records
        .iter()
        .flat_map(|r| &r.fetched)
        .filter(|&&t| t >= writing_from && t < writing_to)
        .count();
    let fetch_rate = fetches_writing as f64 / wall;
    let (p50, p99) = (ms(percentile(&seen, 50.0)), ms(percentile(&seen, 99.0)));
    let max = ms(seen.last().copied().unwrap_or_default());
    let not_modified: u64 = records.iter().map(|r| r.not_modified).sum();
    let failed: u64 = records.iter().map(|r| r.failed).sum();

    println!(
        "{} boards, {} writes/s for {} s: {} written (last data version {last_version})",
        records.len(),
        args.writes_per_second,
        args.seconds,
        written.len()
    );
    println!(
        "  on every board after the write's answer: p50 {p50:.0} ms, p99 {p99:.0} ms, max {max:.0} ms ({unseen} writes never on every board)"
    );
    println!(
        "  boards stale {} s after the last write: {stale}",
        args.grace
    );
    println!(
        "  board fetches: {fetches} in all, {fetch_rate:.0}/s while writing; {not_modified} answered 304, {failed} failed"
    );
    println!("  server CPU while writing: {cpu:.2} s/s");
    println!(
        "RESULT p50_ms={p50:.0} p99_ms={p99:.0} max_ms={max:.0} stale={stale} unseen={unseen} fetches_per_s={fetch_rate:.0} server_cpu={cpu:.2}"
    );
    Ok(())
}
