//! From the board to a mission's page in a real browser: the board says how many requirements
//! each mission has met; following MINUSCA leads to its page, where HEL-UTIL's open gap is the
//! coverage report's. At 390 px wide neither page scrolls sideways, and each requirement is a
//! card showing its gap and coverage at first sight.

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::meeting_room::log_in;
use super::page_layout::axe_violations;
use super::{Driver, api, demo_server, photograph, run, wait_for_text};

/// Whether the page is no wider than the window (nothing scrolls sideways).
async fn fits_the_window(browser: &Client) -> bool {
    browser
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        == Value::Bool(true)
}

#[tokio::test]
async fn from_the_board_to_minusca_and_its_helicopter_gap() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let browser = driver.browser().await;
    browser
        .set_window_size(1400, 1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    log_in(&browser, &server, &token).await;

    let report = api(&server, &token, "/api/v1/reports/coverage?mission=MINUSCA").await;
    let minusca = &report["missions"][0];
    let totals = &minusca["totals"];
    let met = format!(
        "requirements met {} of {}",
        totals["requirements_met"], totals["requirements"]
    );
    let board = wait_for_text(&browser, "#board", "requirements met").await;
    assert!(board.contains(&met), "the board says '{met}': {board}");
    photograph(&browser, "board-1400.png").await;

    browser
        .find(Locator::Css("figure.mission a[href='/missions/MINUSCA']"))
        .await
        .unwrap_or_else(|e| panic!("MINUSCA links to its page: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&browser, "h1", "MINUSCA").await;
    let helicopters = minusca["requirements"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["capability"] == "HEL-UTIL")
        .unwrap_or_else(|| panic!("MINUSCA requires HEL-UTIL: {report}"));
    let gap = helicopters["gap"].as_u64().unwrap_or(0);
    assert!(gap > 0, "the demo leaves MINUSCA short of helicopters");
    let row = format!("#requirement-{}", helicopters["requirement_id"]);
    let text = wait_for_text(&browser, &row, "HEL-UTIL").await;
    let shown = browser
        .find(Locator::Css(&format!("{row} td.gap")))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(
        shown,
        gap.to_string(),
        "HEL-UTIL's gap as the report gives it"
    );
    let needed_by = helicopters["needed_by"].as_str().unwrap_or_default();
    let today = browser
        .execute("return new Date().toISOString().slice(0, 10);", vec![])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    if needed_by < today.as_str().unwrap_or_default() {
        assert!(
            text.contains(&format!("past: needed by {needed_by}")),
            "{text}"
        );
    }
    photograph(&browser, "mission-1400.png").await;

    browser
        .set_window_size(390, 844)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        fits_the_window(&browser).await,
        "the mission page at 390 px"
    );
    photograph(&browser, "mission-390.png").await;
    browser
        .goto(&server.url("/"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&browser, "#board", "requirements met").await;
    assert!(fits_the_window(&browser).await, "the board at 390 px");
    photograph(&browser, "board-390.png").await;

    let _ = browser.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}

/// Applies the page's print rules as the screen's, in their place in the cascade (each
/// `@media print` block also matches the screen), and narrows the page to A4's printable
/// width (210 mm less the 15 mm margins of `@page`, 680 CSS pixels); answers whether every
/// table fits its box, nothing cut off at the right.
const PRINTED_WHOLE: &str = r#"
for (const sheet of document.styleSheets) {
  for (const rule of sheet.cssRules) {
    if (rule instanceof CSSMediaRule && rule.media.mediaText === "print") {
      rule.media.appendMedium("screen");
    }
  }
}
document.documentElement.style.width = "680px";
const boxes = [...document.querySelectorAll(".table-scroll")];
const cut = boxes.filter(b => b.scrollWidth > b.clientWidth || getComputedStyle(b).overflowX !== "visible");
return { boxes: boxes.length, cut: cut.map(b => b.firstElementChild.className + " " + b.scrollWidth + ">" + b.clientWidth) };
"#;

#[tokio::test]
async fn minusca_prints_on_a4_with_no_table_cut_off() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let browser = driver.browser().await;
    browser
        .set_window_size(1000, 1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    log_in(&browser, &server, &token).await;
    browser
        .goto(&server.url("/missions/MINUSCA"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&browser, "h1", "MINUSCA").await;
    let printed = browser
        .execute(PRINTED_WHOLE, vec![])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        printed["boxes"].as_u64().unwrap_or(0) >= 2,
        "the requirements and pledges tables: {printed}"
    );
    assert_eq!(
        printed["cut"],
        serde_json::json!([]),
        "on paper no table scrolls or runs past the page"
    );
    let _ = browser.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}

/// Where each requirement's cells are, in the window and against each other; what names each
/// figure on sight; and what the table says it is to a screen reader.
const REQUIREMENT_CARDS: &str = r#"
const table = document.querySelector('table.mission-requirements');
const box = table.parentElement;
const at = e => e.getBoundingClientRect();
const inside = e => at(e).left >= 0 && at(e).right <= window.innerWidth + 0.5 && at(e).width > 0;
const rows = [...table.querySelectorAll('tbody tr')];
const label = e => getComputedStyle(e, '::before').content;
const first = rows[0];
return {
  rows: rows.length,
  scrolls: box.scrollWidth > box.clientWidth
    || document.documentElement.scrollWidth > window.innerWidth,
  heads_seen: at(table.querySelector('thead')).height > 2,
  one_line: rows.every(r => [...r.children].every(c => Math.abs(at(c).top - at(r.children[0]).top) < 2)),
  gap_and_bar_in_window: rows.every(r => inside(r.querySelector('td.gap')) && inside(r.querySelector('td.bar-cell'))),
  gap_under_name: rows.every(r => at(r.querySelector('td.gap')).top >= at(r.querySelector('th')).bottom - 1
    && at(r.querySelector('td.gap')).bottom <= at(r.querySelector('td[data-label]:not(.gap):not(.priority):not(.bar-cell):not(.needed-by)')).top + 1),
  first_gap_on_screen: at(first.querySelector('td.gap')).bottom <= window.innerHeight,
  gap_label: label(first.querySelector('td.gap')),
  required_label: label(first.querySelector('td.num')),
  roles: [table, table.querySelector('thead'), table.querySelector('tbody'), first, ...first.children]
    .map(e => e.getAttribute('role')).join(' '),
};"#;

async fn requirement_cards(browser: &Client, server: &crate::server::Server) -> Value {
    browser
        .goto(&server.url("/missions/MINUSCA"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(browser, "h1", "MINUSCA").await;
    run(browser, REQUIREMENT_CARDS, vec![]).await
}

#[tokio::test]
async fn on_a_phone_each_requirement_is_a_card_showing_its_gap_at_first_sight() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();

    let phone = driver.phone(390, 844).await;
    log_in(&phone, &server, &token).await;
    let shown = requirement_cards(&phone, &server).await;
    assert!(shown["rows"].as_u64().unwrap_or(0) >= 3, "{shown}");
    assert_eq!(shown["scrolls"], false, "nothing scrolls sideways: {shown}");
    assert_eq!(
        shown["one_line"], false,
        "at 390 px the cells stack: {shown}"
    );
    assert_eq!(
        shown["gap_and_bar_in_window"], true,
        "every gap and coverage bar within the phone's width: {shown}"
    );
    assert_eq!(
        shown["gap_under_name"], true,
        "the gap comes right under the capability, before the other figures: {shown}"
    );
    assert_eq!(
        shown["first_gap_on_screen"], true,
        "the first gap on the first screen: {shown}"
    );
    assert_eq!(
        shown["heads_seen"], false,
        "the heading row is hidden: {shown}"
    );
    assert_eq!(
        (&shown["gap_label"], &shown["required_label"]),
        (
            &Value::from(r#""Gap" / """#),
            &Value::from(r#""Required" / """#)
        ),
        "each figure named on sight, the name silent for screen readers: {shown}"
    );
    assert_eq!(
        shown["roles"],
        "table rowgroup rowgroup row rowheader cell cell cell cell cell cell cell cell",
        "a table for screen readers however it is laid out"
    );
    let found = axe_violations(&phone).await;
    assert!(found.is_empty(), "MINUSCA at 390 px: {found:#?}");
    photograph(&phone, "mission-requirements-390.png").await;

    let desk = driver.browser().await;
    desk.set_window_size(1400, 1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    log_in(&desk, &server, &token).await;
    let shown = requirement_cards(&desk, &server).await;
    assert_eq!(
        (&shown["one_line"], &shown["heads_seen"], &shown["scrolls"]),
        (&Value::Bool(true), &Value::Bool(true), &Value::Bool(false)),
        "at 1400 px one row per requirement under the column heads: {shown}"
    );
    photograph(&desk, "mission-requirements-1400.png").await;

    let _ = phone.close().await;
    let _ = desk.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}
