//! The import's counts on a phone: at 390 px the six counts (rows, to create, to update,
//! unchanged, personnel estimated, milestones) stack, each name beside its figure, with
//! nothing to scroll sideways, the table keeps its table roles for screen readers, and axe
//! finds no serious or critical violation on the preview (the preview's wide table scrolls
//! in a box the keyboard can reach); at 1400 px the counts stay one row under six headings.

use serde_json::Value;

use super::meeting_room::log_in;
use super::page_layout::axe_violations;
use super::{Driver, demo_server, photograph, preview_import, run};

/// Where each count's heading and figure are, and what the table says it is.
const MEASURE: &str = "
  const table = document.querySelector('table.import-counts');
  const box = table.parentElement;
  const at = e => e.getBoundingClientRect();
  const heads = [...table.querySelectorAll('th')];
  const cells = [...table.querySelectorAll('td')];
  return {
    counts: heads.length,
    figures: cells.length,
    scrolls: box.scrollWidth > box.clientWidth
      || document.documentElement.scrollWidth > window.innerWidth,
    one_row: heads.every(h => Math.abs(at(h).top - at(heads[0]).top) < 2),
    beside: heads.every((h, i) => cells[i] && Math.abs(at(h).top - at(cells[i]).top) < 2
      && at(h).right <= at(cells[i]).left + 1),
    roles: [table, ...table.querySelectorAll('thead, tbody, tr, th, td')]
      .map(e => e.getAttribute('role')).join(' '),
  };";

/// A file that creates two pledges, one with its note verbale's date, so that every count is
/// shown (milestones among them).
const COUNTS_FILE: (&str, &str) = (
    "counts.csv",
    "pledge_ref,member_state,capability,quantity,mission,nv_received_on\n\
     PHONE-1,Ghana,MP-COY,1,UNMISS,2025-01-10\n\
     PHONE-2,Ghana,SO,4,,\n",
);

#[tokio::test]
async fn the_import_counts_stack_on_a_phone_and_stay_a_table() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (dir, server, token) = demo_server();

    let phone = driver.phone(390, 844).await;
    log_in(&phone, &server, &token).await;
    preview_import(
        &phone,
        &server,
        dir.path(),
        COUNTS_FILE,
        "Every row is good",
    )
    .await;
    let shown = run(&phone, MEASURE, vec![]).await;
    assert_eq!(
        (&shown["counts"], &shown["figures"]),
        (&Value::from(6), &Value::from(6)),
        "{shown}"
    );
    assert_eq!(shown["scrolls"], false, "at 390 px: {shown}");
    assert_eq!(
        shown["beside"], true,
        "at 390 px each name beside its figure: {shown}"
    );
    assert_eq!(
        shown["one_row"], false,
        "at 390 px the names stack: {shown}"
    );
    assert_eq!(
        shown["roles"],
        "table rowgroup row columnheader columnheader columnheader columnheader columnheader \
         columnheader rowgroup row cell cell cell cell cell cell",
        "a table for screen readers however it is laid out"
    );
    let found = axe_violations(&phone).await;
    assert!(
        found.is_empty(),
        "the previewed import at 390 px: {found:#?}"
    );
    photograph(&phone, "import-counts-390.png").await;

    let desk = driver.browser().await;
    desk.set_window_size(1400, 1000)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    log_in(&desk, &server, &token).await;
    preview_import(&desk, &server, dir.path(), COUNTS_FILE, "Every row is good").await;
    let shown = run(&desk, MEASURE, vec![]).await;
    assert_eq!(
        shown["one_row"], true,
        "at 1400 px the headings are one row: {shown}"
    );
    assert_eq!(shown["scrolls"], false, "at 1400 px: {shown}");
    photograph(&desk, "import-counts-1400.png").await;

    let _ = phone.close().await;
    let _ = desk.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}
