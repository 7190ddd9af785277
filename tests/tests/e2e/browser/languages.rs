//! The pages in French: a browser that prefers French is answered in French; the EN/FR switch
//! changes the language and the choice is remembered; Pakistan's confirmation slip for the
//! Islamabad meeting of 2023 lists the pledges `GET /api/v1/pledges` lists for it. With
//! `PLEDGEBOARD_SCREENSHOTS` naming a directory, the French slip is photographed there
//! (`slip-fr.png`, the README's picture) and printed to PDF (`slip-fr.pdf`).

use fantoccini::wd::PrintConfiguration;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use super::{Driver, api, demo_server, photograph, say, screenshot_dir, wait_for_text};
use crate::server::Server;

const SLIP: &str = "/countries/PAK/slip?conference=ISB-2023";

async fn log_in_by_form(browser: &Client, server: &Server, token: &str) {
    browser
        .goto(&server.url("/login"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let field = browser
        .find(Locator::Id("token"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    field
        .send_keys(&format!("{token}{}", fantoccini::key::Key::Enter))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(browser, "#site-links", "").await;
}

async fn text_of(browser: &Client, css: &str) -> String {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap_or_default()
}

async fn page_lang(browser: &Client) -> String {
    browser
        .find(Locator::Css("html"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .attr("lang")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_default()
}

async fn click(browser: &Client, id: &str) {
    browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
}

/// The slip's rows: reference, capability code, quantity, personnel, women, readiness.
async fn slip_rows(browser: &Client) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for row in browser
        .find_all(Locator::Css("#slip-PAK table.slip-lines tbody tr"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    {
        let mut cells = Vec::new();
        for cell in row
            .find_all(Locator::Css("td"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        {
            cells.push(cell.text().await.unwrap_or_default());
        }
        let capability = cells[1]
            .rsplit_once('(')
            .map(|(_, code)| code.trim_end_matches(')').to_owned())
            .unwrap_or_default();
        // French groups digits with a narrow no-break space.
        let number = |s: &str| {
            s.split(' ')
                .next()
                .unwrap_or_default()
                .replace('\u{202f}', "")
        };
        rows.push(vec![
            cells[0].clone(),
            capability,
            number(&cells[2]),
            number(&cells[3]),
            number(&cells[4]),
            cells[5].clone(),
        ]);
    }
    rows
}

fn api_rows(pledges: &[Value]) -> Vec<Vec<String>> {
    pledges
        .iter()
        .map(|p| {
            let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
            vec![
                text("pledge_ref"),
                text("capability"),
                p["quantity"].to_string(),
                p["personnel"].to_string(),
                p["female_personnel"].to_string(),
                text("readiness"),
            ]
        })
        .collect()
}

#[tokio::test]
async fn a_french_browser_sees_french_switches_and_keeps_its_choice_and_prints_pakistans_slip() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (_dir, server, token) = demo_server();
    let browser = driver
        .session_with(json!({
            "args": super::CHROMIUM_ARGS.iter().copied().chain(["--lang=fr-FR"]).collect::<Vec<_>>(),
            "prefs": { "intl.accept_languages": "fr-FR,fr" },
        }))
        .await;
    log_in_by_form(&browser, &server, &token).await;

    browser
        .goto(&server.url("/"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page_lang(&browser).await, "fr", "Accept-Language: fr");
    wait_for_text(&browser, "#site-links", "Engagements").await;

    click(&browser, "lang-en").await;
    wait_for_text(&browser, "#site-links", "Pledges").await;
    assert_eq!(page_lang(&browser).await, "en");
    // Remembered on the next page, whatever the browser prefers.
    browser
        .goto(&server.url("/countries"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page_lang(&browser).await, "en", "the switch is remembered");
    click(&browser, "lang-fr").await;
    wait_for_text(&browser, "#site-links", "Engagements").await;
    browser
        .goto(&server.url("/renewals"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page_lang(&browser).await, "fr", "French is remembered too");

    browser
        .goto(&server.url(SLIP))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let title = text_of(&browser, "#slip-PAK h1").await;
    assert_eq!(title, "Confirmation des engagements");
    let shown = slip_rows(&browser).await;
    let answer = api(
        &server,
        &token,
        "/api/v1/pledges?member_state=PAK&conference=ISB-2023&limit=1000",
    )
    .await;
    let pledges = answer["items"].as_array().cloned().unwrap_or_default();
    assert!(pledges.len() > 5, "the demo has PAK pledges at ISB-2023");
    assert_eq!(
        shown,
        api_rows(&pledges),
        "the slip lists what the API lists"
    );
    let recorded = text_of(&browser, "#slip-PAK .slip-recorded").await;
    assert!(
        recorded.starts_with("Enregistré par le secrétariat le "),
        "{recorded}"
    );
    let check = text_of(&browser, "#slip-PAK .slip-check").await;
    assert!(check.contains("Veuillez vérifier"), "{check}");

    if let Some(dir) = screenshot_dir() {
        browser
            .set_window_size(1400, 1000)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        photograph(&browser, "slip-fr.png").await;
        let pdf = browser
            .print(PrintConfiguration::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("slip-fr.pdf"), pdf).unwrap_or_else(|e| panic!("{e}"));
        say("browser: the French slip photographed and printed");
    }
    // The board, a state's page, the pledge list, a pledge and an outcome read in French,
    // photographed wide and on a phone.
    for (path, heading, name) in [
        ("/", "Couverture des besoins des missions", "board-fr"),
        ("/countries/PAK", "Pakistan (PAK)", "country-fr"),
        ("/pledges", "Engagements", "pledges-fr"),
        ("/pledges/1", "PAK PAK-2023-001", "pledge-fr"),
        (
            "/conferences/ISB-2023/outcome",
            "Bilan de ISB-2023",
            "outcome-fr",
        ),
    ] {
        browser
            .goto(&server.url(path))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page_lang(&browser).await, "fr", "{path}");
        wait_for_text(&browser, "h1", heading).await;
        if screenshot_dir().is_some() {
            for width in [1400, 390] {
                browser
                    .set_window_size(width, 1000)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                photograph(&browser, &format!("{name}-{width}.png")).await;
            }
            // Further down: the state's breakdowns and gender bars, the board's table.
            browser
                .execute(
                    "(document.querySelector('table.gender, table.totals') \
                     || document.querySelector('table, h2, main')).scrollIntoView()",
                    vec![],
                )
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            photograph(&browser, &format!("{name}-390-lower.png")).await;
        }
    }
    let _ = browser.close().await;
    assert!(server.stop(), "the server stopped cleanly");
}
