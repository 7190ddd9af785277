//! The web pages: log in with a token, a session cookie, the board, and nothing loaded from
//! another host.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use support::apps;
use support::pages::{HOST, log_in, page, post_form};

#[tokio::test]
async fn a_planner_logs_in_sees_the_board_and_logs_out() {
    for app in apps(true).await {
        let (anonymous, _) = page(&app, "/", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(anonymous.header("location").as_deref(), Some("/login"));

        let (login, html) = page(&app, "/login", None).await;
        assert_eq!(login.status, StatusCode::OK);
        assert!(
            html.contains("<label for=\"token\">"),
            "every input has a label"
        );

        let cookie = log_in(&app, &app.planner).await;
        let (board, html) = page(&app, "/", Some(&cookie)).await;
        assert_eq!(board.status, StatusCode::OK, "{}", app.backend);
        assert!(board.content_type.starts_with("text/html"));
        assert!(
            html.contains("<svg") && html.contains("MINUSCA") && html.contains("Latest pledges")
        );
        assert!(html.contains("test planner"));
        assert!(html.contains("indicative"));

        let out = post_form(
            &app,
            "/logout",
            "",
            Some(&cookie),
            Some(&format!("http://{HOST}")),
        )
        .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(
            out.header("set-cookie")
                .unwrap_or_default()
                .contains("Max-Age=0")
        );
        let (after, _) = page(&app, "/", Some(&cookie)).await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "the session ended");
    }
}

#[tokio::test]
async fn a_wrong_token_or_a_foreign_form_does_not_log_in() {
    for app in apps(false).await {
        let wrong = post_form(
            &app,
            "/login",
            "token=pb_wrong",
            None,
            Some(&format!("http://{HOST}")),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.header("set-cookie").is_none());
        let foreign = post_form(
            &app,
            "/login",
            &format!("token={}", app.planner),
            None,
            Some("http://evil.example"),
        )
        .await;
        assert_eq!(foreign.status, StatusCode::FORBIDDEN);
        assert!(foreign.header("set-cookie").is_none());
    }
}

#[tokio::test]
async fn the_session_cookie_works_for_the_api_only_from_this_site() {
    for app in apps(false).await {
        let cookie = log_in(&app, &app.planner).await;
        let body = support::pledge_body("PAK", "COOKIE-1").to_string();
        let send = |origin: &'static str| {
            Request::post("/api/v1/pledges")
                .header("host", HOST)
                .header("cookie", cookie.clone())
                .header("origin", origin)
                .header("content-type", "application/json")
                .body(Body::from(body.clone()))
                .unwrap_or_default()
        };
        assert_eq!(
            app.send(send("http://evil.example")).await.status,
            StatusCode::FORBIDDEN,
            "{}",
            app.backend
        );
        assert_eq!(
            app.send(send("http://pledgeboard.test")).await.status,
            StatusCode::CREATED
        );
        let events = Request::get("/api/v1/events")
            .header("host", HOST)
            .header("cookie", cookie.clone())
            .body(Body::empty())
            .unwrap_or_default();
        let response = tower::ServiceExt::oneshot(app.router.clone(), events)
            .await
            .unwrap_or_else(|e| match e {});
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "the board's event stream uses the session"
        );
    }
}

#[tokio::test]
async fn no_page_references_another_host() {
    let apps = apps(true).await;
    let app = &apps[0];
    let cookie = log_in(app, &app.planner).await;
    for path in [
        "/login",
        "/",
        "/countries",
        "/renewals",
        "/pledges",
        "/pledges/new",
        "/pledges/1",
        "/import",
        "/countries/PAK",
        "/requirements",
        "/assets/pledgeboard.css",
        "/assets/board.js",
        "/assets/pledge_form.js",
        "/assets/import.js",
    ] {
        let (answer, body) = page(app, path, Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        for marker in [
            "http://",
            "https://",
            "src=\"//",
            "href=\"//",
            "url(//",
            "@import",
        ] {
            assert!(
                !body.contains(marker),
                "{path} refers to another host ({marker})"
            );
        }
    }
}

#[tokio::test]
async fn the_countries_table_and_the_renewals_list_show_the_reports_figures() {
    for app in apps(true).await {
        let (anonymous, _) = page(&app, "/countries", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        let cookie = log_in(&app, &app.planner).await;
        let (countries, html) =
            page(&app, "/countries?sort=personnel&order=desc", Some(&cookie)).await;
        assert_eq!(countries.status, StatusCode::OK, "{}", app.backend);
        let report = app
            .get("/api/v1/reports/countries?sort=personnel&order=desc")
            .await
            .json;
        let first = report["rows"][0]["member_state"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let first_row = html
            .find(&format!("href=\"/countries/{first}\""))
            .unwrap_or(usize::MAX);
        let pak_row = html.find("href=\"/countries/PAK\"").unwrap_or(usize::MAX);
        assert!(
            first_row < usize::MAX && pak_row < usize::MAX,
            "rows link to their states"
        );
        assert!(
            first == "PAK" || first_row < pak_row,
            "sorted by personnel, largest first"
        );
        assert!(html.contains(&format!(
            "<td>{} member states</td>",
            report["totals"]["member_states"]
        )));
        assert!(html.contains(&format!(
            "<td class=\"num\">{}</td>",
            pledgeboard_http::group_digits(&report["totals"]["personnel"].to_string())
        )));

        let (renewals, html) = page(&app, "/renewals", Some(&cookie)).await;
        assert_eq!(renewals.status, StatusCode::OK);
        let items = app.get("/api/v1/reports/renewals").await.json["items"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(
            html.matches("<tr><td>").count(),
            items,
            "one row per renewal due"
        );
        assert!(
            html.contains("<strong>overdue</strong>"),
            "status is said in words, not only colour"
        );
    }
}

/// The ids of the form controls in `html` a person fills in (not hidden fields or buttons).
fn control_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for tag in ["<input", "<select", "<textarea"] {
        for (_, rest) in html.match_indices(tag).map(|(i, _)| html.split_at(i)) {
            let element = rest.split('>').next().unwrap_or_default();
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id = element
                .split_once("id=\"")
                .and_then(|(_, r)| r.split_once('"'))
                .map(|(id, _)| id.to_owned());
            ids.push(id.unwrap_or_else(|| format!("(no id) {element}")));
        }
    }
    ids
}

#[tokio::test]
async fn every_input_of_every_page_has_a_label() {
    let apps = apps(true).await;
    let app = &apps[0];
    let cookie = log_in(app, &app.admin).await;
    let mut checked = 0;
    for path in [
        "/login",
        "/",
        "/pledges",
        "/pledges/new",
        "/pledges/1",
        "/import",
        "/countries",
        "/countries/PAK",
        "/renewals",
        "/requirements",
        "/requirements?edit=1",
    ] {
        let (answer, html) = page(app, path, Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        for id in control_ids(&html) {
            checked += 1;
            assert!(
                html.contains(&format!("<label for=\"{id}\">")),
                "{path}: the control '{id}' has no label"
            );
        }
    }
    assert!(
        checked > 40,
        "only {checked} controls were found: the check is not looking"
    );
}

async fn get_accepting(app: &support::TestApp, path: &str, accept: &str) -> (String, String) {
    let request = Request::get(path)
        .header("host", HOST)
        .header("accept", accept)
        .body(Body::empty())
        .unwrap_or_default();
    let (answer, body) = app.exchange(request).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
    (answer.content_type, body)
}

#[tokio::test]
async fn an_unknown_address_is_a_page_for_a_browser_and_problem_details_for_the_rest() {
    for app in apps(false).await {
        let browser = "text/html,application/xhtml+xml,*/*;q=0.8";
        let (kind, html) = get_accepting(&app, "/no-such-page", browser).await;
        assert!(kind.starts_with("text/html"), "{kind}");
        assert!(html.contains("there is no page or endpoint at /no-such-page"));
        assert!(
            html.contains("class=\"skip-link\"") && html.contains("href=\"/pledges\""),
            "inside the frame, with the pages' links: {html}"
        );
        assert!(
            !html.contains("Log out"),
            "nobody is named on an error page"
        );

        let (kind, _) = get_accepting(&app, "/no-such-page", "application/json").await;
        assert!(kind.starts_with("application/problem+json"), "{kind}");
        let (kind, _) = get_accepting(&app, "/api/v1/no-such-thing", browser).await;
        assert!(
            kind.starts_with("application/problem+json"),
            "the API answers JSON whatever the client accepts: {kind}"
        );
    }
}

#[tokio::test]
async fn the_favicon_is_served_from_the_binary() {
    for app in apps(false).await {
        for path in ["/assets/favicon.svg", "/favicon.ico"] {
            let (answer, body) = page(&app, path, None).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}");
            assert_eq!(answer.content_type, "image/svg+xml", "{path}");
            assert!(body.starts_with("<svg"), "{path}");
        }
    }
}

#[tokio::test]
async fn pages_name_categories_and_capabilities_never_by_their_keys_alone() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let (_, html) = page(&app, "/pledges", Some(&cookie)).await;
        assert!(
            html.contains("<option value=\"safety_security\">Safety and security</option>"),
            "the category filter names its choices"
        );
        assert!(
            !html.contains(">safety_security<"),
            "no key shown as a name"
        );
        let latest = app.get("/api/v1/pledges?limit=1000").await.json;
        let newest = latest["items"]
            .as_array()
            .and_then(|items| items.iter().max_by_key(|p| p["id"].as_i64()))
            .cloned()
            .unwrap_or_default();
        let code = newest["capability"].as_str().unwrap_or("?");
        let name = app.get("/api/v1/capabilities").await.json["items"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["code"] == code))
            .and_then(|c| c["name"].as_str().map(str::to_owned))
            .unwrap_or_default();
        let (_, html) = page(&app, "/", Some(&cookie)).await;
        assert!(
            html.contains(&format!("<td>{name} ({code})</td>")),
            "the board's latest pledges name {code}: {html}"
        );
    }
}
