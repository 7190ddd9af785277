//! The outcome page as a delegate or an organiser reads it on closing day: ISB-2023's figures
//! on the page are the API's, each linked to the pledge list of what it counts, and following
//! one such link lists as many pledges as the figure says.

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::meeting_room::log_in;
use super::{Driver, api, demo_server, photograph};

/// The page's value of figure `name` and where it links.
async fn figure(browser: &Client, name: &str) -> (String, String) {
    let css = format!("tr[data-figure=\"{name}\"] td.num a");
    let link = browser
        .find(Locator::Css(&css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    let text = link.text().await.unwrap_or_default();
    let href = link.attr("href").await.ok().flatten().unwrap_or_default();
    (text, href)
}

#[tokio::test]
async fn the_outcome_page_shows_the_apis_figures_each_linked_to_what_it_counts() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let report: Value = api(
        &server,
        &token,
        "/api/v1/reports/outcome?conference=ISB-2023",
    )
    .await;
    let browser = driver.browser().await;
    log_in(&browser, &server, &token).await;
    browser
        .goto(&server.url("/conferences/ISB-2023/outcome?lang=en"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    photograph(&browser, "outcome-en.png").await;

    let figures = [
        "pledges",
        "withdrawn",
        "states",
        "formed_units",
        "personnel",
        "women",
        "joint_pledges",
        "joint_states",
        "earmarked",
        "unearmarked",
        "superseded_since",
    ];
    for name in figures {
        let (shown, _) = figure(&browser, name).await;
        let expected = report[name].as_u64().unwrap_or_else(|| panic!("{name}"));
        assert_eq!(
            shown.replace(',', ""),
            expected.to_string(),
            "{name}: the page shows {shown}"
        );
    }
    let (share, _) = figure(&browser, "women_share_pct").await;
    assert!(
        share.starts_with(report["women_share_pct"].as_str().unwrap_or("?")),
        "women's share {share} against {}",
        report["women_share_pct"]
    );
    for category in report["categories"].as_array().cloned().unwrap_or_default() {
        let key = category["category"].as_str().unwrap_or_default();
        let (states, _) = figure(&browser, &format!("category.{key}.states")).await;
        assert_eq!(states, category["states"].to_string(), "{key} states");
    }

    // The pledges figure leads to the pledge list of exactly those pledges.
    let (pledges, href) = figure(&browser, "pledges").await;
    assert!(
        href.starts_with("/pledges?") && href.contains("conference=ISB-2023"),
        "{href}"
    );
    browser
        .goto(&server.url(&href))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    photograph(&browser, "outcome-pledges-en.png").await;
    let listed = api(
        &server,
        &token,
        &format!(
            "{}&limit=1000",
            href.replacen("/pledges", "/api/v1/pledges", 1)
        ),
    )
    .await;
    let items = listed["items"].as_array().map_or(0, Vec::len);
    assert_eq!(
        items.to_string(),
        pledges.replace(',', ""),
        "the list the figure links to holds what the figure counts"
    );
}
