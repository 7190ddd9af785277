//! The rows to fix on a phone: at 390 px each bad row of a previewed file is a card, its line,
//! column and value side by side and named, and its problem across the card's whole width
//! (not squeezed into a fourth column a word or two wide), with nothing to scroll sideways;
//! the table keeps its table roles for screen readers and axe finds no serious or critical
//! violation. The rows the file would create are cards too, the capability across the card
//! and the caption within the page. At 1400 px each row stays one line under its headings.

use serde_json::Value;

use super::meeting_room::log_in;
use super::page_layout::axe_violations;
use super::{Driver, demo_server, photograph, preview_import, run};

/// Where each bad row's cells are, and what the table says it is.
const MEASURE: &str = r#"
const table = document.querySelector('table.import-errors');
const preview = document.querySelector('table.import-preview');
const box = table.parentElement;
const at = e => e.getBoundingClientRect();
const rows = [...table.querySelectorAll('tbody tr')];
const cells = r => [...r.querySelectorAll('td')];
return {
  rows: rows.length,
  scrolls: box.scrollWidth > box.clientWidth
    || document.documentElement.scrollWidth > window.innerWidth,
  one_line: rows.every(r => cells(r).every(c => Math.abs(at(c).top - at(cells(r)[0]).top) < 2)),
  problem_below: rows.every(r => at(r.querySelector('td.problem')).top >= at(cells(r)[2]).bottom - 1),
  problem_width: Math.min(...rows.map(r => at(r.querySelector('td.problem')).width / at(r).width)),
  named: getComputedStyle(cells(rows[0])[1], '::before').content,
  roles: [table, ...table.querySelectorAll('thead, tbody, tr, th, td')].slice(0, 12)
    .map(e => e.getAttribute('role')).join(' '),
  preview_rows: preview.querySelectorAll('tbody tr').length,
  preview_scrolls: preview.parentElement.scrollWidth > preview.parentElement.clientWidth,
  preview_one_line: [...preview.querySelectorAll('tbody tr')].every(r => cells(r).every(c => Math.abs(at(c).top - at(cells(r)[0]).top) < 2)),
  capability_width: at(preview.querySelector('td.capability')).width / at(preview.querySelector('tbody tr')).width,
  caption_fits: at(preview.querySelector('caption')).right <= at(preview.parentElement).right + 1,
};"#;

/// A file with three bad rows and one good one.
const BAD_FILE: (&str, &str) = (
    "bad.csv",
    "pledge_ref,member_state,capability,quantity,readiness\n\
     BAD-1,Pakistn,INF-BN,1,L1\n\
     BAD-2,PAK,INF-BN,0,L1\n\
     BAD-3,PAK,INF-BN,1,L9\n\
     GOOD-4,PAK,INF-BN,1,L2\n",
);

#[tokio::test]
async fn the_rows_to_fix_and_to_create_are_cards_on_a_phone() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (dir, server, token) = demo_server();

    let phone = driver.phone(390, 844).await;
    log_in(&phone, &server, &token).await;
    preview_import(&phone, &server, dir.path(), BAD_FILE, "3 problems").await;
    let shown = run(&phone, MEASURE, vec![]).await;
    assert_eq!(shown["rows"], 3, "{shown}");
    assert_eq!(shown["scrolls"], false, "at 390 px: {shown}");
    assert_eq!(
        shown["one_line"], false,
        "at 390 px the cells stack: {shown}"
    );
    assert_eq!(
        shown["problem_below"], true,
        "each problem under its line, column and value: {shown}"
    );
    assert!(
        shown["problem_width"].as_f64().unwrap_or(0.0) > 0.8,
        "each problem across the card: {shown}"
    );
    assert_eq!(
        shown["named"], r#""Column" / """#,
        "each figure named on sight, silent for screen readers: {shown}"
    );
    assert_eq!(
        shown["roles"],
        "table rowgroup row columnheader columnheader columnheader columnheader rowgroup row \
         cell cell cell",
        "a table for screen readers however it is laid out"
    );
    assert_eq!(
        (
            &shown["preview_rows"],
            &shown["preview_scrolls"],
            &shown["caption_fits"]
        ),
        (&Value::from(1), &Value::Bool(false), &Value::Bool(true)),
        "the row it would create, within the page: {shown}"
    );
    assert_eq!(
        shown["preview_one_line"], false,
        "a card at 390 px: {shown}"
    );
    assert!(
        shown["capability_width"].as_f64().unwrap_or(0.0) > 0.8,
        "the capability across the card: {shown}"
    );
    let found = axe_violations(&phone).await;
    assert!(found.is_empty(), "the rows to fix at 390 px: {found:#?}");
    photograph(&phone, "import-errors-390.png").await;

    let desk = driver.browser().await;
    desk.set_window_size(1400, 1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    log_in(&desk, &server, &token).await;
    preview_import(&desk, &server, dir.path(), BAD_FILE, "3 problems").await;
    let shown = run(&desk, MEASURE, vec![]).await;
    assert_eq!(
        (
            &shown["one_line"],
            &shown["scrolls"],
            &shown["preview_one_line"]
        ),
        (&Value::Bool(true), &Value::Bool(false), &Value::Bool(true)),
        "at 1400 px one line per row: {shown}"
    );
    photograph(&desk, "import-errors-1400.png").await;

    let _ = phone.close().await;
    let _ = desk.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}
