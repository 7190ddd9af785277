//! The meeting room in a real browser: log in; record a pledge with the keyboard only; see it
//! on a second planner's board without a reload; import a file with a bad row, see the
//! message, fix it and apply; check a country page against the API.

use std::time::Instant;

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::Value;

use super::{Driver, api, demo_server, say, wait_for_text};
use crate::server::Server;

/// A typing pace every planner reaches: keys per second.
const KEYS_PER_SECOND: usize = 5;

/// Logs in with `token` and waits for the board.
pub async fn log_in(browser: &Client, server: &Server, token: &str) {
    browser
        .goto(&server.url("/login"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let field = browser
        .find(Locator::Id("token"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    field
        .send_keys(&format!("{token}{}", Key::Enter))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(browser, "h1", "Coverage of mission requirements").await;
}

/// Types into whatever has the focus, as a planner at the keyboard does; counts the keys.
struct Keyboard<'a> {
    browser: &'a Client,
    keys: usize,
}

impl Keyboard<'_> {
    async fn type_in(&mut self, text: &str) {
        let focused = self
            .browser
            .active_element()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        focused
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing '{text}': {e}"));
        self.keys += text.chars().count();
    }

    /// Types `text` into the focused field, then Tab to the next one.
    async fn field(&mut self, text: &str) {
        self.type_in(&format!("{text}{}", Key::Tab)).await;
    }

    async fn focused_id(&self) -> String {
        let focused = self.browser.active_element().await;
        match focused {
            Ok(e) => e.attr("id").await.ok().flatten().unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

async fn record_a_pledge_with_the_keyboard(
    browser: &Client,
    server: &Server,
    token: &str,
) -> String {
    let capabilities = api(server, token, "/api/v1/capabilities").await;
    let qrf_size = capabilities["items"]
        .as_array()
        .and_then(|items| items.iter().find(|c| c["code"] == "QRF-COY"))
        .and_then(|c| c["standard_personnel"].as_u64())
        .unwrap_or_else(|| panic!("QRF-COY has a standard size: {capabilities}"));

    browser
        .goto(&server.url("/pledges/new"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let mut keyboard = Keyboard { browser, keys: 0 };
    assert_eq!(
        keyboard.focused_id().await,
        "f-member_state",
        "typing starts at once"
    );
    keyboard.field("Pakistan").await;
    keyboard.field("QRF-COY").await;
    keyboard.field("2").await;
    let personnel = browser
        .find(Locator::Id("f-personnel"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .prop("value")
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert_eq!(
        personnel,
        (2 * qrf_size).to_string(),
        "personnel pre-filled from the standard size"
    );
    keyboard.field("").await; // personnel as pre-filled
    keyboard.field("30").await; // of whom women
    keyboard.field("L2").await; // readiness: typing picks the option
    keyboard.field("2026-09-01").await;
    keyboard.field("12").await;
    keyboard.field("UNIFIL").await;
    keyboard.field("ISB-2025").await;
    assert_eq!(keyboard.focused_id().await, "f-monthly_cost_usd");
    keyboard.type_in(&Key::Enter).await;
    let saved = wait_for_text(browser, "#saved", "Ready for the next pledge").await;
    let elapsed = started.elapsed();
    assert_eq!(
        keyboard.focused_id().await,
        "f-capability",
        "the form is ready for the next pledge of the same state"
    );
    assert!(
        keyboard.keys / KEYS_PER_SECOND < 20,
        "{} keys take a planner over 20 seconds",
        keyboard.keys
    );
    say(&format!(
        "browser: recorded a pledge in {} keys (about {} s at {KEYS_PER_SECOND} keys/s); the test's own run took {:.1} s",
        keyboard.keys,
        keyboard.keys / KEYS_PER_SECOND,
        elapsed.as_secs_f64()
    ));
    let reference = saved
        .split_whitespace()
        .find(|w| w.starts_with("PAK-"))
        .map(|w| w.trim_end_matches(':').to_owned())
        .unwrap_or_else(|| panic!("the saved line names the pledge: {saved}"));
    let stored = api(server, token, "/api/v1/pledges?member_state=PAK&limit=1000").await;
    let pledge = stored["items"]
        .as_array()
        .and_then(|items| items.iter().find(|p| p["pledge_ref"] == reference.as_str()))
        .cloned()
        .unwrap_or_else(|| panic!("{reference} was stored"));
    assert_eq!(pledge["personnel"], 2 * qrf_size);
    assert_eq!(
        pledge["personnel_estimated"], true,
        "a pre-filled figure left as it was is stored as the estimate it is"
    );
    assert_eq!(pledge["female_personnel"], 30);
    assert_eq!(pledge["readiness"], "L2");
    assert_eq!(pledge["mission"], "UNIFIL");
    assert_eq!(pledge["conference"], "ISB-2025");
    reference
}

async fn import_fix_and_apply(browser: &Client, server: &Server, dir: &std::path::Path) {
    browser
        .goto(&server.url("/import"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let header = "pledge_ref,member_state,capability,quantity,mission\n";
    let bad = dir.join("delegation-bad.csv");
    let good = dir.join("delegation.csv");
    std::fs::write(
        &bad,
        format!("{header}WEB-1,Ghana,MP-COY,1,UNMISS\nWEB-2,Ghanna,MP-COY,1,UNMISS\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &good,
        format!("{header}WEB-1,Ghana,MP-COY,1,UNMISS\nWEB-2,Ghana,MP-COY,1,UNMISS\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let choose = |path: std::path::PathBuf| async move {
        let input = browser
            .find(Locator::Id("import-file"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        input.clear().await.unwrap_or_else(|e| panic!("{e}"));
        input
            .send_keys(&path.display().to_string())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    };
    let press = |id: &'static str| async move {
        browser
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    };
    choose(bad).await;
    press("import-preview").await;
    let shown = wait_for_text(browser, "#import-result", "cannot be imported").await;
    assert!(
        shown.contains("Ghanna") && shown.contains("did you mean Ghana"),
        "{shown}"
    );
    choose(good).await;
    press("import-preview").await;
    wait_for_text(browser, "#import-result", "Every row is good").await;
    press("import-apply").await;
    wait_for_text(
        browser,
        "#import-result",
        "Applied delegation.csv: 2 created",
    )
    .await;
}

async fn country_page_agrees_with_the_api(browser: &Client, server: &Server, token: &str) {
    browser
        .goto(&server.url("/countries/PAK"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let report = api(server, token, "/api/v1/reports/countries/PAK").await;
    for (id, key) in [
        ("total-pledges", "pledges"),
        ("total-quantity", "quantity"),
        ("total-personnel", "personnel"),
    ] {
        let shown = browser
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default()
            .replace(',', "");
        assert_eq!(
            shown,
            report[key].to_string(),
            "{id}: digits grouped on the page"
        );
    }
    let cost = browser
        .find(Locator::Id("total-cost"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default()
        .replace(',', "");
    assert_eq!(Some(cost.as_str()), report["monthly_cost_usd"].as_str());
}

#[tokio::test]
async fn the_meeting_room_in_a_real_browser() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (dir, server, token) = demo_server();

    let planner = driver.browser().await;
    let colleague = driver.browser().await;
    log_in(&planner, &server, &token).await;
    log_in(&colleague, &server, &token).await;
    // Marks the colleague's page: a reload would lose the mark.
    colleague
        .execute("window.pledgeboardMark = 'no reload'; return true;", vec![])
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let reference = record_a_pledge_with_the_keyboard(&planner, &server, &token).await;
    wait_for_text(&colleague, "#board", &reference).await;
    let mark = colleague
        .execute("return window.pledgeboardMark || null;", vec![])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mark, Value::from("no reload"), "the board updated in place");

    import_fix_and_apply(&planner, &server, dir.path()).await;
    country_page_agrees_with_the_api(&planner, &server, &token).await;

    let _ = planner.close().await;
    let _ = colleague.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}
