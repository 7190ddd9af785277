//! A board opened on instance B updates, without reload, for a pledge saved through instance
//! A on the same PostgreSQL database.

use super::meeting_room::log_in;
use super::{Driver, wait_for_text};
use crate::several_instances::{record_pledge, shared_database, two_instances};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_board_on_one_instance_shows_a_pledge_saved_through_the_other() {
    let Some(db) = shared_database("a board across instances").await else {
        return;
    };
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, a, b, token) = two_instances(&db);
    let browser = driver.browser().await;
    log_in(&browser, &b, &token).await;
    // Let the board's event stream connect before the change.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    record_pledge(&reqwest::Client::new(), &a, &token, "SAVED-ON-A").await;
    wait_for_text(&browser, "#board table.latest", "SAVED-ON-A").await;
    browser.close().await.ok();
}
