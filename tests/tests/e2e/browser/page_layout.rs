//! Every page as a planner on a phone or with a screen reader meets it: at 390×844 nothing
//! scrolls sideways, at 1024 px the navigation is one line, a skip link leads to the content,
//! the focus ring stands out from its background, and axe-core (vendored in
//! `tests/vendor/axe-core/`) finds no serious or critical WCAG 2.2 AA violation. With
//! `PLEDGEBOARD_SCREENSHOTS=DIR` it also photographs the board, a mission page and a country
//! page for README.md.

use fantoccini::{Client, Locator};
use serde_json::json;

use super::meeting_room::log_in;
use super::{Driver, api, demo_server, photograph, run};
use crate::server::Server;

/// axe-core 4.11.0, as published on npm (MPL-2.0; its licence beside it).
const AXE: &str = include_str!("../../../vendor/axe-core/axe.min.js");

/// The WCAG levels axe checks: 2.0, 2.1 and 2.2, A and AA.
const WCAG_TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

/// A phone held upright.
const PHONE: (u32, u32) = (390, 844);

async fn resize(browser: &Client, (width, height): (u32, u32)) {
    browser
        .set_window_size(width, height)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The serious and critical violations axe finds on the page shown, one line each.
pub(super) async fn axe_violations(browser: &Client) -> Vec<String> {
    run(
        browser,
        &format!("{AXE}\nwindow.axe = axe; return true;"),
        vec![],
    )
    .await;
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: arguments[0] } })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                      v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![json!(WCAG_TAGS)],
        )
        .await
        .unwrap_or_else(|e| panic!("axe: {e}"));
    found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// How far the page is wider than a phone's `width`, in CSS pixels (0 when it fits); a page
/// laid out wider than the phone's screen counts in full.
async fn sideways_overflow(browser: &Client, width: u32) -> i64 {
    let wide = run(
        browser,
        "const d = document.documentElement;
         return Math.max(d.scrollWidth, d.clientWidth, window.innerWidth);",
        vec![],
    )
    .await
    .as_i64()
    .unwrap_or(i64::MAX);
    wide - i64::from(width)
}

/// The contrast ratio of the focus ring on the first link of `scope` against what is behind it.
async fn focus_ring_contrast(browser: &Client, scope: &str) -> f64 {
    let script = "
        const link = document.querySelector(arguments[0] + ' a[href]');
        if (!link) { return -1; }
        link.focus({ focusVisible: true });
        const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
        const lum = c => {
          const [r, g, b] = rgb(c).map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        let behind = link.parentElement;
        while (behind && getComputedStyle(behind).backgroundColor.endsWith(', 0)')) {
          behind = behind.parentElement;
        }
        const back = behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)';
        const style = getComputedStyle(link);
        if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) { return 0; }
        const [a, b] = [lum(style.outlineColor), lum(back)].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);";
    run(browser, script, vec![json!(scope)])
        .await
        .as_f64()
        .unwrap_or(0.0)
}

/// The pages a planner can reach, the first pledge's among them, and two error pages.
fn pages(pledge_id: i64) -> Vec<String> {
    [
        "/",
        "/missions/MINUSCA",
        "/pledges",
        "/pledges/new",
        "/import",
        "/countries",
        "/countries/PAK?conference=ISB-2023",
        "/conferences/ISB-2023/outcome",
        "/conferences/ISB-2023/follow-through",
        "/renewals",
        "/requirements",
        "/pledges/999999",
        "/no-such-page",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([format!("/pledges/{pledge_id}")])
    .collect()
}

async fn first_pledge_id(server: &Server, token: &str) -> i64 {
    let list = api(server, token, "/api/v1/pledges?limit=1").await;
    list["items"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no pledge in {list}"))
}

/// The pictures in README.md: the board, a mission page and a country page at 1400 px.
async fn photograph_for_the_readme(browser: &Client, server: &Server) {
    resize(browser, (1400, 1000)).await;
    for (path, name) in [
        ("/", "board.png"),
        ("/missions/MINUSCA", "mission.png"),
        ("/countries/PAK?conference=ISB-2023", "country.png"),
    ] {
        goto(browser, server, path).await;
        photograph(browser, name).await;
    }
}

/// Each page on a phone: nothing sideways, axe clean, a skip link and the navigation.
async fn check_on_a_phone(phone: &Client, server: &Server, paths: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    for path in paths {
        goto(phone, server, path).await;
        let overflow = sideways_overflow(phone, PHONE.0).await;
        if overflow > 0 {
            failures.push(format!("{path}: {overflow} px wider than a phone"));
        }
        for v in axe_violations(phone).await {
            failures.push(format!("{path} at {} px: {v}", PHONE.0));
        }
        if phone
            .find(Locator::Css("a.skip-link[href='#main']"))
            .await
            .is_err()
        {
            failures.push(format!("{path}: no skip link"));
        }
        if phone.find(Locator::Css("nav.site-nav")).await.is_err() {
            failures.push(format!("{path}: no navigation"));
        }
    }
    let folded = run(
        phone,
        "const b = document.querySelector('.menu-toggle');
         const links = document.getElementById('site-links');
         if (!b || getComputedStyle(links).display !== 'none') { return 'not folded'; }
         b.click();
         return getComputedStyle(links).display !== 'none'
           && b.getAttribute('aria-expanded') === 'true' ? 'ok' : 'does not open';",
        vec![],
    )
    .await;
    if folded != json!("ok") {
        failures.push(format!("at 390 px the navigation menu: {folded}"));
    }
    failures
}

/// Each page on a desktop: axe clean; then the focus ring and the one-line navigation.
async fn check_on_a_desktop(desktop: &Client, server: &Server, paths: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    resize(desktop, (1400, 1000)).await;
    for path in paths {
        goto(desktop, server, path).await;
        for v in axe_violations(desktop).await {
            failures.push(format!("{path} at 1400 px: {v}"));
        }
    }
    goto(desktop, server, "/").await;
    for scope in ["main", ".top"] {
        let ratio = focus_ring_contrast(desktop, scope).await;
        if ratio < 3.0 {
            failures.push(format!(
                "focus ring in {scope}: contrast {ratio:.2}:1, below 3:1"
            ));
        }
    }
    resize(desktop, (1024, 768)).await;
    let lines = run(
        desktop,
        "const middle = e => { const r = e.getBoundingClientRect();
                                return Math.round((r.top + r.bottom) / 2 / 8); };
         return new Set([document.querySelector('.brand'),
                         ...document.querySelectorAll('#site-links > li')].map(middle)).size;",
        vec![],
    )
    .await;
    if lines != json!(1) {
        failures.push(format!(
            "at 1024 px the brand and the navigation take {lines} lines, not one"
        ));
    }
    failures
}

async fn goto(browser: &Client, server: &Server, path: &str) {
    browser
        .goto(&server.url(path))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
}

#[tokio::test]
async fn every_page_fits_a_phone_and_passes_axe() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let phone = driver.phone(PHONE.0, PHONE.1).await;
    let desktop = driver.browser().await;

    // The login page, before anyone is signed in: it has no navigation to check.
    let mut failures = Vec::new();
    for browser in [&phone, &desktop] {
        goto(browser, &server, "/login").await;
        for v in axe_violations(browser).await {
            failures.push(format!("/login: {v}"));
        }
    }
    let overflow = sideways_overflow(&phone, PHONE.0).await;
    if overflow > 0 {
        failures.push(format!("/login: {overflow} px wider than a phone"));
    }
    log_in(&phone, &server, &token).await;
    log_in(&desktop, &server, &token).await;

    let paths = pages(first_pledge_id(&server, &token).await);
    failures.extend(check_on_a_phone(&phone, &server, &paths).await);
    failures.extend(check_on_a_desktop(&desktop, &server, &paths).await);

    photograph_for_the_readme(&desktop, &server).await;
    let _ = phone.close().await;
    let _ = desktop.close().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
