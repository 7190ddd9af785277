//! Entering and editing pledges in a real browser: a pledge with ten mistakes shows every
//! message at once (sent with Enter from a select); after a save, typing goes on at
//! Capability; withdrawal asks first; an edit conflict is resolved without losing the
//! colleague's note.

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use super::meeting_room::log_in;
use super::{Driver, demo_server, wait_for_text};
use crate::server::Server;

async fn type_into(browser: &Client, id: &str, text: &str) {
    browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"))
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {id}: {e}"));
}

async fn focused_id(browser: &Client) -> String {
    match browser.active_element().await {
        Ok(e) => e.attr("id").await.ok().flatten().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn api(
    server: &Server,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut request = reqwest::Client::new()
        .request(method, server.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// With `PLEDGEBOARD_SCREENSHOTS` naming a directory, photographs the page at 1400 and
/// 390 px wide as `NAME-1400.png` and `NAME-390.png` there, scrolled to `css`; says how wide
/// the page is.
async fn photograph(browser: &Client, name: &str, css: &str) {
    let Some(dir) = super::screenshot_dir() else {
        return;
    };
    for (width, height) in [(1400, 1000), (390, 844)] {
        browser
            .set_window_size(width, height)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let widths = browser
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap_or_default();
        browser
            .execute(
                "var e = document.querySelector(arguments[0]); if (e) { e.scrollIntoView(); } return true;",
                vec![json!(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let png = browser.screenshot().await.unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join(format!("{name}-{width}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        super::say(&format!(
            "browser: {} (scroll width, window width: {widths})",
            path.display()
        ));
    }
    browser
        .set_window_size(1280, 900)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

async fn ten_mistakes_at_once(browser: &Client, server: &Server) {
    browser
        .goto(&server.url("/pledges/new"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for (id, text) in [
        ("f-member_state", "Pakistn"),
        ("f-capability", "Infantry batallion"),
        ("f-quantity", "1,5"),
        ("f-personnel", "lots"),
        ("f-available_from", "05/06/2026"),
        ("f-duration_months", "99"),
        ("f-mission", "MINUSKA"),
        ("f-conference", "ISB-2024"),
        ("f-monthly_cost_usd", "$1,000"),
        ("f-partners", "JPN-equips"),
    ] {
        type_into(browser, id, text).await;
    }
    // Enter from the readiness select sends the form.
    type_into(browser, "f-readiness", &Key::Enter.to_string()).await;
    wait_for_text(browser, "#f-quantity-error", "not a whole number").await;
    let invalid = browser
        .find_all(Locator::Css(".field.invalid"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut fields = Vec::new();
    for field in invalid {
        let input = field
            .find(Locator::Css("input, select, textarea"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        fields.push(input.attr("name").await.ok().flatten().unwrap_or_default());
    }
    assert_eq!(
        fields,
        [
            "member_state",
            "capability",
            "quantity",
            "personnel",
            "available_from",
            "duration_months",
            "mission",
            "conference",
            "monthly_cost_usd",
            "partners"
        ],
        "every mistake is shown at once"
    );
    let page = browser.source().await.unwrap_or_default();
    assert!(
        !page.contains("a pledge reference is required"),
        "no false message about the reference"
    );
    assert!(page.contains("did you mean Infantry battalion (INF-BN)?"));
    assert_eq!(
        focused_id(browser).await,
        "f-member_state",
        "focus on the first mistake"
    );
    photograph(browser, "pledge-form-errors", "h1").await;
}

/// Records a good pledge from the form; returns its id. Typing then goes on at Capability.
async fn record_and_go_on_at_capability(browser: &Client, server: &Server) -> String {
    browser
        .goto(&server.url("/pledges/new"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    type_into(browser, "f-member_state", "Pakistan").await;
    type_into(browser, "f-capability", "Staff officers").await;
    type_into(browser, "f-quantity", &format!("1,200{}", Key::Enter)).await;
    let saved = wait_for_text(browser, "#saved", "Ready for the next pledge").await;
    assert!(saved.contains("1,200 × Staff officers (SO)"), "{saved}");
    assert_eq!(
        focused_id(browser).await,
        "f-capability",
        "the state is kept, so typing goes on at Capability"
    );
    let link = browser
        .find(Locator::Css("#saved a"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let href = link.attr("href").await.ok().flatten().unwrap_or_default();
    href.rsplit('/').next().unwrap_or_default().to_owned()
}

async fn withdraw_with_confirmation(browser: &Client, server: &Server, token: &str, id: &str) {
    let path = format!("/api/v1/pledges/{id}");
    browser
        .goto(&server.url(&format!("/pledges/{id}")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let button = Locator::Css("form.withdraw button");
    browser
        .find(button)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let question = browser.get_alert_text().await.unwrap_or_default();
    assert!(question.starts_with("Withdraw PAK "), "{question}");
    browser
        .dismiss_alert()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = api(server, token, reqwest::Method::GET, &path, None).await["status"].clone();
    assert_eq!(status, "pledged", "declining keeps the pledge");

    browser
        .find(button)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    browser
        .accept_alert()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(browser, "dl.facts", "withdrawn").await;
    let status = api(server, token, reqwest::Method::GET, &path, None).await["status"].clone();
    assert_eq!(status, "withdrawn");
    // The admin may reinstate it, to the status it had.
    browser
        .find(Locator::Css("form.reinstate button"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(browser, "ol.history", "reinstated").await;
    photograph(browser, "pledge-detail", "form.withdraw, form.reinstate").await;
    let status = api(server, token, reqwest::Method::GET, &path, None).await["status"].clone();
    assert_eq!(status, "pledged");
}

async fn resolve_an_edit_conflict(browser: &Client, server: &Server, token: &str) {
    let mut body = json!({
        "pledge_ref": "EDIT-CONFLICT-1", "member_state": "PAK", "capability": "INF-COY",
        "quantity": 1, "readiness": "L2", "mission": "MINUSCA"
    });
    let created = api(
        server,
        token,
        reqwest::Method::POST,
        "/api/v1/pledges",
        Some(body.take()),
    )
    .await;
    let id = created["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{created}"));
    let path = format!("/api/v1/pledges/{id}");
    browser
        .goto(&server.url(&format!("/pledges/{id}")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // A colleague adds a note and sets the quantity to 3 while the planner sets it to 2.
    let note = "NV received 3 May; flights booked";
    let theirs = api(
        server,
        token,
        reqwest::Method::PATCH,
        &path,
        Some(json!({"notes": note, "quantity": 3})),
    )
    .await;
    assert_eq!(theirs["notes"], note);
    let quantity = browser
        .find(Locator::Id("f-quantity"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    quantity.clear().await.unwrap_or_else(|e| panic!("{e}"));
    quantity
        .send_keys(&format!("2{}", Key::Enter))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(browser, "section.conflict", "Their changes, kept").await;
    let kept = wait_for_text(browser, "section.conflict", note).await;
    assert!(kept.contains("Notes"), "{kept}");
    assert!(
        kept.contains("Changed by both of you")
            && kept.contains("theirs: 3")
            && kept.contains("yours: 2"),
        "the quantity both changed is side by side: {kept}"
    );
    let chosen = browser
        .find(Locator::Css("input[name='resolve.quantity'][value=yours]"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .prop("checked")
        .await
        .ok()
        .flatten();
    assert_eq!(
        chosen.as_deref(),
        Some("true"),
        "yours is chosen until you pick theirs"
    );
    let stored = api(server, token, reqwest::Method::GET, &path, None).await;
    assert_eq!(stored["quantity"], 3, "nothing of the planner's saved yet");
    photograph(browser, "pledge-conflict", "section.conflict h3").await;

    // Save again keeping "yours": only the planner's quantity is applied; the note stays.
    browser
        .find(Locator::Css("#edit-form button[type=submit]"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(browser, "#saved", "Saved: version 3").await;
    let stored = api(server, token, reqwest::Method::GET, &path, None).await;
    assert_eq!(
        (&stored["quantity"], &stored["notes"]),
        (&json!(2), &json!(note)),
        "the planner's quantity saved, the colleague's note kept"
    );
}

#[tokio::test]
async fn recording_withdrawing_and_editing_pledges_in_a_real_browser() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let browser = driver.browser().await;
    log_in(&browser, &server, &token).await;

    ten_mistakes_at_once(&browser, &server).await;
    let id = record_and_go_on_at_capability(&browser, &server).await;
    withdraw_with_confirmation(&browser, &server, &token, &id).await;
    resolve_an_edit_conflict(&browser, &server, &token).await;

    let _ = browser.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}
