//! The follow-through page follows changes: with it open in one browser, a milestone recorded
//! from a pledge's page in another moves its figures without a reload.

use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::meeting_room::log_in;
use super::{Driver, api, demo_server, photograph, wait_for_text};
use crate::server::Server;

/// A BER-2025 pledge at L1, pledged, with no milestone yet: its id.
async fn bare_pledge(server: &Server, token: &str) -> i64 {
    let list = api(
        server,
        token,
        "/api/v1/pledges?conference=BER-2025&limit=500",
    )
    .await;
    for p in list["items"].as_array().cloned().unwrap_or_default() {
        let id = p["id"].as_i64().unwrap_or_default();
        let timeline = api(server, token, &format!("/api/v1/pledges/{id}/milestones")).await;
        if p["readiness"] == "L1"
            && p["status"] == "pledged"
            && timeline["items"].as_array().is_some_and(Vec::is_empty)
        {
            return id;
        }
    }
    panic!("no BER-2025 pledge without milestones in the demo data")
}

/// The pledges the page shows at `stage`.
async fn shown(browser: &Client, stage: &str) -> String {
    let css = format!("tr[data-stage=\"{stage}\"] td.num");
    browser
        .find(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap_or_default()
}

#[tokio::test]
async fn a_milestone_recorded_on_the_pledge_page_moves_the_open_follow_through_page() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let id = bare_pledge(&server, &token).await;
    let report: Value = api(
        &server,
        &token,
        "/api/v1/reports/follow-through?conference=BER-2025",
    )
    .await;
    let before = report["stages"][1]["pledges"].as_u64().unwrap_or_default();

    let watcher = driver.browser().await;
    log_in(&watcher, &server, &token).await;
    watcher
        .goto(&server.url("/conferences/BER-2025/follow-through"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(shown(&watcher, "nv_received").await, before.to_string());
    // A mark a reload would wipe.
    watcher
        .execute("window.__notReloaded = true; return true;", vec![])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Let the page's event stream connect before the change.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let planner = driver.browser().await;
    log_in(&planner, &server, &token).await;
    planner
        .goto(&server.url(&format!("/pledges/{id}")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    planner
        .find(Locator::Id("f-milestone_date"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .send_keys("2025-06-02")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    planner
        .find(Locator::Css("#milestone-form button[type=submit]"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&planner, "#milestone-recorded", "Milestone recorded").await;

    let after = (before + 1).to_string();
    wait_for_text(&watcher, "tr[data-stage=\"nv_received\"]", &after).await;
    assert_eq!(shown(&watcher, "nv_received").await, after);
    let kept = watcher
        .execute("return window.__notReloaded === true;", vec![])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept, Value::Bool(true), "the page was reloaded");
    photograph(&watcher, "follow_through.png").await;
    planner.close().await.ok();
    watcher.close().await.ok();
}
