//! The strict Content-Security-Policy in a real browser: every page of the meeting room loads
//! without one refusal in Chromium's console (no inline script, style or foreign source), and
//! the policy is in force — a script injected inline does not run, and that refusal is seen.

use std::time::Duration;

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::Value;

use super::meeting_room::log_in;
use super::{Driver, demo_server};
use crate::server::Server;

/// The pages a signed-in admin visits (each id and code exists in the demo data).
const PAGES: &[&str] = &[
    "/",
    "/pledges",
    "/pledges/new",
    "/pledges/1",
    "/import",
    "/countries",
    "/countries/PAK",
    "/renewals",
    "/requirements",
    "/pledges/999999999",
];

/// chromedriver's console log, `POST /session/{id}/se/log` (entries since the last read).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The console messages that report a Content-Security-Policy refusal.
async fn refusals(browser: &Client) -> Vec<String> {
    let log = browser
        .issue_cmd(BrowserLog)
        .await
        .unwrap_or_else(|e| panic!("reading the console: {e}"));
    log.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|entry| entry["message"].as_str().map(str::to_owned))
        .filter(|m| m.contains("Content Security Policy") || m.contains("Refused to"))
        .collect()
}

async fn visit(browser: &Client, server: &Server, path: &str) {
    browser
        .goto(&server.url(path))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    // Let deferred scripts and the board's event stream start.
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn every_page_keeps_to_the_content_security_policy() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let browser = driver.browser().await;
    log_in(&browser, &server, &token).await;
    let mut refused = refusals(&browser).await;
    for path in PAGES {
        visit(&browser, &server, path).await;
        let title = browser.title().await.unwrap_or_default();
        assert!(!title.contains("Log in"), "{path}: not signed in ({title})");
        refused.extend(
            refusals(&browser)
                .await
                .into_iter()
                .map(|m| format!("{path}: {m}")),
        );
    }
    assert!(refused.is_empty(), "the policy refused: {refused:#?}");

    // The policy is enforced, and its refusals do reach the console read above.
    let ran = browser
        .execute(
            "const s = document.createElement('script'); \
             s.textContent = 'window.inlineRan = true;'; \
             document.body.appendChild(s); \
             return window.inlineRan === true;",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ran, Value::Bool(false), "an inline script ran");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = refusals(&browser).await;
    assert!(
        refused.iter().any(|m| m.contains("script")),
        "the inline script's refusal is not in the console: {refused:?}"
    );
    let _ = browser.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}
