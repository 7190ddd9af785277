//! The live board never drops a change: a board whose fetch is still on its way when a newer
//! change's event arrives fetches once more afterwards, and ends on the latest data version,
//! with never more than one fetch in flight.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use super::meeting_room::log_in;
use super::{Driver, PATIENCE, demo_server, say, wait_for_text};
use crate::server::Server;

/// How long the browser holds each board answer before handing it to `board.js`.
const HELD_MS: u64 = 1500;

/// Holds every answer to a `fetch` for [`HELD_MS`], and counts fetches and the most in flight.
const HOLD_FETCHES: &str = "
  var original = window.fetch.bind(window);
  window.__fetches = 0; window.__inFlight = 0; window.__mostInFlight = 0;
  window.fetch = function (url, options) {
    window.__fetches += 1; window.__inFlight += 1;
    window.__mostInFlight = Math.max(window.__mostInFlight, window.__inFlight);
    return original(url, options)
      .then(function (r) { return new Promise(function (done) { setTimeout(function () { done(r); }, HELD_MS); }); })
      .finally(function () { window.__inFlight -= 1; });
  };
  return true;";

async fn script(browser: &Client, js: &str) -> Value {
    browser
        .execute(js, vec![])
        .await
        .unwrap_or_else(|e| panic!("{js}: {e}"))
}

async fn record(server: &Server, token: &str, reference: &str) {
    let answer = reqwest::Client::new()
        .post(server.url("/api/v1/pledges"))
        .bearer_auth(token)
        .json(
            &json!({"pledge_ref": reference, "member_state": "GHA", "capability": "INF-COY",
            "quantity": 1, "readiness": "L1", "mission": "UNMISS"}),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status().as_u16(), 201, "{:?}", answer.text().await);
}

/// The data version now, from a report's ETag (`W/"<version>-…"`).
async fn data_version(server: &Server, token: &str) -> i64 {
    let answer = reqwest::Client::new()
        .get(server.url("/api/v1/reports/coverage"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let etag = answer
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    etag.trim_start_matches("W/\"")
        .split('-')
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no version in ETag '{etag}'"))
}

async fn shown_version(browser: &Client) -> i64 {
    let board = browser
        .find(Locator::Id("board"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    board
        .attr("data-version")
        .await
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1)
}

#[tokio::test]
async fn an_event_during_a_fetch_leads_to_one_more_fetch_and_the_board_ends_on_the_latest_version()
{
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let browser = driver.browser().await;
    log_in(&browser, &server, &token).await;
    let start = shown_version(&browser).await;
    assert_eq!(
        start,
        data_version(&server, &token).await,
        "the page carries its version"
    );
    script(
        &browser,
        &HOLD_FETCHES.replace("HELD_MS", &HELD_MS.to_string()),
    )
    .await;
    // Let the event stream connect before the first change.
    tokio::time::sleep(Duration::from_millis(500)).await;

    record(&server, &token, "LIVE-1").await;
    let waited = Instant::now();
    while script(&browser, "return window.__inFlight;").await != json!(1) {
        assert!(
            waited.elapsed() < PATIENCE,
            "the first change was never fetched"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The board's fetch is on its way (its answer held): the second change lands now.
    record(&server, &token, "LIVE-2").await;
    let latest = data_version(&server, &token).await;
    assert_eq!(latest, start + 2);

    let waited = Instant::now();
    while shown_version(&browser).await != latest {
        assert!(
            waited.elapsed() < PATIENCE,
            "the board stayed at {} (latest {latest})",
            shown_version(&browser).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_for_text(&browser, "#board table.latest", "LIVE-2").await;
    wait_for_text(&browser, "#board table.latest", "LIVE-1").await;
    let fetches = script(&browser, "return window.__fetches;").await;
    let most = script(&browser, "return window.__mostInFlight;").await;
    say(&format!(
        "live board: {fetches} fetches, at most {most} in flight"
    ));
    assert_eq!(
        fetches,
        json!(2),
        "one for the first event, one more for the second"
    );
    assert_eq!(most, json!(1), "one fetch in flight at a time");
    browser.close().await.ok();
}
