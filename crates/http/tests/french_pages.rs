//! The board, a mission, the requirements, the all-states table, one state's page, the
//! renewals, a conference's follow-through and its outcome as of a moment, the login page and an error page, read in French: no English word of their own
//! messages is left (the words of the English messages that French never uses, and a list of
//! words a planner would spot), `<html lang="fr">`; the same pages in English keep their
//! English headings; `?lang=fr` is remembered in the `pb_lang` cookie.

mod support;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use support::pages::{HOST, log_in};
use support::{TestApp, apps};

/// The pages translated here, each with a heading its English page shows.
const PAGES: &[(&str, &str)] = &[
    ("/", "Coverage of mission requirements"),
    ("/?as_of=2025-04-15T09:30", "A past moment:"),
    (
        "/missions/MINUSCA",
        "Unearmarked pledges proposed for its gaps",
    ),
    ("/missions/UNTSO", "Pledges earmarked for UNTSO"),
    ("/requirements", "Mission requirements"),
    ("/countries", "Pledges by member state"),
    (
        "/countries?conference=ISB-2023&sort=name",
        "Only pledges announced at ISB-2023",
    ),
    (
        "/countries/PAK",
        "Women among personnel, against the gender parity targets",
    ),
    (
        "/countries/PAK?conference=ISB-2023",
        "Totals of its active pledges",
    ),
    ("/countries/JPN", "Its pledges"),
    ("/renewals", "PCRS renewals overdue or due within 30 days"),
    (
        "/conferences/ISB-2023/follow-through",
        "Follow-through of the pledges announced at",
    ),
    (
        "/conferences/ISB-2023/outcome?as_of=2025-04-15T09:30:00Z",
        "as they stood at 2025-04-15 09:30 UTC",
    ),
    ("/missions/NOWHERE", "Back to the board"),
];

/// Words a francophone planner would take for untranslated English, whatever the messages say.
const ENGLISH: &[&str] = &[
    "pledges",
    "pledge",
    "pledged",
    "requirements",
    "requirement",
    "coverage",
    "required",
    "gap",
    "gaps",
    "priority",
    "print",
    "printed",
    "every",
    "board",
    "show",
    "capability",
    "quantity",
    "women",
    "readiness",
    "status",
    "reference",
    "needed",
    "latest",
    "figures",
    "firm",
    "met",
    "covered",
    "conference",
    "renewals",
    "due",
    "overdue",
    "never",
    "share",
    "level",
    "earmarked",
    "remaining",
    "lead",
    "role",
    "edit",
    "save",
    "cancel",
    "filter",
    "clear",
    "updated",
    "past",
    "open",
    "critical",
    "sort",
    "slips",
    "slip",
    "states",
    "member",
    "target",
    "below",
    "meets",
    "estimated",
    "partner",
    "joint",
    "active",
    "its",
    "the",
    "of",
    "and",
    "at",
    "by",
    "for",
    "with",
    "is",
    "are",
    "not",
    "no",
    "yes",
    "log",
    "token",
    "back",
    "found",
    "high",
    "normal",
    "withdrawn",
    "verified",
    "deployed",
    "available",
    "proposed",
    "late",
    "military",
    "police",
    "units",
    "officers",
    "training",
];

/// Proper nouns, codes and words French writes too, which the English messages also use.
const ALLOWED: &[&str] = &[
    "pcrs",
    "usd",
    "utc",
    "csv",
    "json",
    "excel",
    "en",
    "fr",
    "pledgeboard",
    "l1",
    "l2",
    "l3",
    "rdl",
    "mission",
    "missions",
    "total",
    "personnel",
    "date",
    "abyei",
    "golan",
    "kosovo",
];

/// The files of this page set's messages.
const MESSAGE_FILES: &[&str] = &[
    "board",
    "country",
    "lists",
    "requirements",
    "errors",
    "tables",
    "missions",
    "common",
    "follow_through",
];

/// The words of `text`, lower-cased; codes (`SO`, `PAK`, `INF-BN`) are not words.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| w.chars().count() == 1 || w.chars().any(char::is_lowercase))
        .map(str::to_lowercase)
        .collect()
}

/// The words of a language's message texts (keys, comments and arguments left out).
fn message_words(lang: &str, files: &[&str]) -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang);
    let mut all = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        if !files.is_empty() && !files.contains(&stem) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let value = line.split_once(" = ").map_or(line, |(_, v)| v);
            let value: String = value
                .split("{ $")
                .enumerate()
                .map(|(i, part)| match (i, part.split_once('}')) {
                    (0, _) | (_, None) => part,
                    (_, Some((_, rest))) => rest,
                })
                .collect();
            all.extend(words(&value));
        }
    }
    all
}

/// English words that must not be on a French page: those of the English messages and of
/// [`ENGLISH`] that no French message uses, less [`ALLOWED`].
fn untranslatable() -> BTreeSet<String> {
    let french = message_words("fr", &[]);
    let mut english: BTreeSet<String> = message_words("en", MESSAGE_FILES)
        .into_iter()
        .filter(|w| !french.contains(w))
        .collect();
    english.extend(
        ENGLISH
            .iter()
            .map(|w| (*w).to_owned())
            .filter(|w| !french.contains(w)),
    );
    for w in ALLOWED {
        english.remove(*w);
    }
    english
}

/// What a reader sees and hears: the text between tags (scripts and styles left out), and the
/// `aria-label`s.
fn visible_text(html: &str) -> String {
    let mut html = html.to_owned();
    for (open, close) in [("<script", "</script>"), ("<style", "</style>")] {
        while let Some(from) = html.find(open) {
            let to = html[from..]
                .find(close)
                .map_or(html.len(), |i| from + i + close.len());
            html.replace_range(from..to, " ");
        }
    }
    let mut out = String::new();
    for label in html.split("aria-label=\"").skip(1) {
        out.push_str(label.split('"').next().unwrap_or_default());
        out.push(' ');
    }
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#39;", "'").replace("&#34;", "\"")
}

/// Cuts the parts of a page that other pages' translations own: the navigation's signed-in
/// role, the label marks and hints of form fields (`templates/field.html`) and the typeahead
/// lists (`templates/datalists.html`).
fn own_words(html: &str) -> String {
    let mut html = html.to_owned();
    for (open, close) in [
        ("<li class=\"who\">", "</li>"),
        ("<span class=\"req\">", "</span>"),
        ("<span class=\"hint\"", "</span>"),
        ("<nav aria-label=\"Pages\"", ">"),
        ("<datalist", "</datalist>"),
        // Commands are typed as they are.
        ("<code>", "</code>"),
    ] {
        while let Some(from) = html.find(open) {
            let to = html[from..]
                .find(close)
                .map_or(html.len(), |i| from + i + close.len());
            html.replace_range(from..to, " ");
        }
    }
    html
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (StatusCode, String, String) {
    let mut request = Request::get(path).header("host", HOST);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let (answer, body) = app
        .exchange(request.body(Body::empty()).unwrap_or_default())
        .await;
    let cookie = answer.header("set-cookie").unwrap_or_default();
    (answer.status, body, cookie)
}

/// The English words left on a French page.
fn english_left(html: &str, forbidden: &BTreeSet<String>) -> BTreeSet<String> {
    words(&visible_text(&own_words(html)))
        .into_iter()
        .filter(|w| forbidden.contains(w))
        .collect()
}

#[tokio::test]
async fn every_page_in_french_has_no_english_word_left() {
    let forbidden = untranslatable();
    assert!(forbidden.len() > 150, "{} words checked", forbidden.len());
    for app in apps(true).await {
        let admin = log_in(&app, &app.admin).await;
        for (path, heading) in PAGES {
            for (how, headers, address) in [
                (
                    "Accept-Language",
                    vec![
                        ("cookie", admin.as_str()),
                        ("accept-language", "fr-FR,fr;q=0.9,en;q=0.5"),
                    ],
                    (*path).to_owned(),
                ),
                (
                    "?lang=fr",
                    vec![("cookie", admin.as_str()), ("accept-language", "en")],
                    format!(
                        "{path}{}lang=fr",
                        if path.contains('?') { '&' } else { '?' }
                    ),
                ),
            ] {
                let (status, html, _) = get(&app, &address, &headers).await;
                assert!(
                    status == StatusCode::OK || path.contains("NOWHERE"),
                    "{}: {address}: {status}",
                    app.backend
                );
                assert!(html.contains("<html lang=\"fr\">"), "{address} by {how}");
                assert!(!html.contains(heading), "{address} by {how}: {heading}");
                let left = english_left(&html, &forbidden);
                assert!(
                    left.is_empty(),
                    "{}: {address} by {how}: English left: {left:?}\n{}",
                    app.backend,
                    visible_text(&own_words(&html))
                );
            }
        }
        let (_, login, _) = get(&app, "/login?lang=fr", &[]).await;
        assert!(login.contains("Se connecter"), "{login}");
        let left = english_left(&login, &forbidden);
        assert!(left.is_empty(), "/login: English left: {left:?}");
    }
}

#[tokio::test]
async fn french_pages_name_states_capabilities_and_missions_in_french() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let headers = [("cookie", cookie.as_str()), ("accept-language", "fr")];
        let (_, country, _) = get(&app, "/countries/PAK", &headers).await;
        assert!(country.contains("<h1>Pakistan (PAK)</h1>"), "{country}");
        assert!(
            country.contains("Contingents militaires"),
            "gender rows in French"
        );
        let (_, japan, _) = get(&app, "/countries/JPN", &headers).await;
        assert!(japan.contains("<h1>Japon (JPN)</h1>"));
        let (_, all, _) = get(&app, "/countries", &headers).await;
        assert!(all.contains("<td>Allemagne</td>") || all.contains("<td>Japon</td>"));
        let (_, mission, _) = get(&app, "/missions/MINUSCA", &headers).await;
        assert!(mission.contains(
            "Mission multidimensionnelle intégrée des Nations Unies pour la stabilisation en République centrafricaine"
        ));
        let (_, board, _) = get(&app, "/", &headers).await;
        assert!(board.contains("Couverture des besoins des missions"));
    }
}

#[tokio::test]
async fn the_same_pages_in_english_keep_their_english_headings() {
    for app in apps(true).await {
        let admin = log_in(&app, &app.admin).await;
        for (path, heading) in PAGES {
            let (_, html, _) = get(&app, path, &[("cookie", admin.as_str())]).await;
            assert!(html.contains("<html lang=\"en\">"), "{path}");
            assert!(html.contains(heading), "{path}: no {heading}");
        }
        let (_, country, _) = get(&app, "/countries/PAK", &[("cookie", admin.as_str())]).await;
        for english in [
            "<h1>Pakistan (PAK)</h1>",
            "<caption>By pledge category</caption>",
            "Military contingents",
            "Pledges at every conference. Figures are indicative, as pledged by member states.",
        ] {
            assert!(country.contains(english), "no {english}");
        }
    }
}

#[tokio::test]
async fn asking_for_french_in_the_address_is_remembered() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.viewer).await;
        let (_, html, set) = get(&app, "/countries?lang=fr", &[("cookie", cookie.as_str())]).await;
        assert!(html.contains("Engagements par État Membre"));
        assert!(set.starts_with("pb_lang=fr;"), "{set}");
        let remembered = format!("{cookie}; pb_lang=fr");
        let (_, html, set) = get(
            &app,
            "/renewals",
            &[("cookie", remembered.as_str()), ("accept-language", "en")],
        )
        .await;
        assert!(
            html.contains("<html lang=\"fr\">"),
            "the cookie wins over the browser"
        );
        assert!(html.contains("Renouvellements PCRS"), "renewals in French");
        assert!(set.is_empty(), "nothing new to remember: {set}");
    }
}
