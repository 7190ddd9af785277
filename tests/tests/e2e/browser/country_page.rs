//! Pakistan's country page for the Islamabad meeting of 2023, read in a real browser: its
//! pledge rows are those `GET /api/v1/pledges?member_state=PAK&conference=ISB-2023&lineage=current`
//! answers (the page lists the current pledges), reference by reference and figure by figure.
//! With `PLEDGEBOARD_LISTS_SHOTS` naming a directory, it also photographs the list pages at
//! 1400 and 390 px wide and prints the country page to PDF there, for a person to look at.

use std::path::Path;

use fantoccini::wd::PrintConfiguration;
use fantoccini::{Client, Locator};
use serde_json::Value;

use super::meeting_room::log_in;
use super::{Driver, api, demo_server, say};
use crate::server::Server;

const COUNTRY_PAGE: &str = "/countries/PAK?conference=ISB-2023";

/// One pledge row as the page shows it, digits ungrouped.
#[derive(Debug, PartialEq, Eq)]
struct Row {
    href: String,
    cells: Vec<String>,
}

async fn page_rows(browser: &Client) -> Vec<Row> {
    let rows = browser
        .find_all(Locator::Css("#country-pledges tbody tr"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for row in rows {
        let link = row
            .find(Locator::Css("td a"))
            .await
            .unwrap_or_else(|e| panic!("a pledge row without a link: {e}"));
        let href = link
            .attr("href")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_default();
        let mut cells = Vec::new();
        for cell in row
            .find_all(Locator::Css("td"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        {
            cells.push(cell.text().await.unwrap_or_default().replace(',', ""));
        }
        out.push(Row { href, cells });
    }
    out
}

/// The rows the API's pledges make, in the page's columns (the capability as its code, which
/// the page shows in brackets after the name).
fn api_rows(pledges: &[Value]) -> Vec<Row> {
    pledges
        .iter()
        .map(|p| {
            let text = |k: &str| p[k].as_str().unwrap_or("—").to_owned();
            Row {
                href: format!("/pledges/{}", p["id"]),
                cells: vec![
                    text("pledge_ref"),
                    format!("({})", text("capability")),
                    p["quantity"].to_string(),
                    p["personnel"].to_string(),
                    p["female_personnel"].to_string(),
                    text("readiness"),
                    text("status"),
                    text("mission"),
                    text("conference"),
                ],
            }
        })
        .collect()
}

/// Shows the capability cell as its bracketed code, so that both sides compare alike.
fn code_only(mut rows: Vec<Row>) -> Vec<Row> {
    for row in &mut rows {
        if let Some(cell) = row.cells.get_mut(1)
            && let Some(start) = cell.rfind('(')
        {
            let name = cell[..start].trim().to_owned();
            assert!(!name.is_empty(), "the capability is named, not only coded");
            *cell = cell[start..].to_owned();
        }
    }
    rows
}

async fn look_at_the_pages(browser: &Client, server: &Server, dir: &Path) {
    for (name, path) in [
        ("country", COUNTRY_PAGE),
        ("countries", "/countries?sort=personnel&order=desc"),
        ("pledges", "/pledges?readiness_min=L2"),
        ("renewals", "/renewals?member_state=PAK"),
    ] {
        for width in [1400, 390] {
            browser
                .set_window_size(width, 1000)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            browser
                .goto(&server.url(path))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let png = browser.screenshot().await.unwrap_or_else(|e| panic!("{e}"));
            let file = dir.join(format!("{name}-{width}.png"));
            std::fs::write(&file, png).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        }
    }
    browser
        .goto(&server.url(COUNTRY_PAGE))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let pdf = browser
        .print(PrintConfiguration::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("country.pdf"), pdf).unwrap_or_else(|e| panic!("{e}"));
    say(&format!(
        "browser: list pages photographed in {}",
        dir.display()
    ));
}

#[tokio::test]
async fn pakistans_page_for_isb_2023_lists_the_pledges_the_api_lists() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let browser = driver.browser().await;
    log_in(&browser, &server, &token).await;
    browser
        .goto(&server.url(COUNTRY_PAGE))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let shown = code_only(page_rows(&browser).await);

    let answer = api(
        &server,
        &token,
        "/api/v1/pledges?member_state=PAK&conference=ISB-2023&lineage=current&limit=1000",
    )
    .await;
    let pledges = answer["items"].as_array().cloned().unwrap_or_default();
    assert!(pledges.len() > 5, "the demo has PAK pledges at ISB-2023");
    assert_eq!(shown, api_rows(&pledges));

    let firm = browser
        .find(Locator::Id("firm-line"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    let active = pledges
        .iter()
        .filter(|p| p["status"] != "withdrawn")
        .count();
    assert!(firm.contains(&format!("of {active} pledges")), "{firm}");
    let stamp = browser
        .find(Locator::Id("country-stamp"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(
        stamp.starts_with("Printed ") && stamp.contains("ISB-2023"),
        "{stamp}"
    );

    if let Some(dir) = super::screenshot_dir() {
        look_at_the_pages(&browser, &server, &dir).await;
    }
    let _ = browser.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}
