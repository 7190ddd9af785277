//! The session cookie is `Secure` when the site is reached over https (`--public-url`), and a
//! form's `Origin` must match the site's scheme as well as its host and port.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pledgeboard_http::{HttpSettings, PublicOrigin};
use support::pages::{HOST, post_form};
use support::{TestApp, apps, apps_with};

const PUBLIC: &str = "https://pledges.example.org";

fn behind_tls() -> HttpSettings {
    HttpSettings {
        public_origin: Some(PublicOrigin::parse(PUBLIC).unwrap_or_else(|e| panic!("{e}"))),
        ..HttpSettings::default()
    }
}

async fn log_in_with_origin(app: &TestApp, origin: &str) -> support::Answer {
    post_form(
        app,
        "/login",
        &format!("token={}", app.planner),
        None,
        Some(origin),
    )
    .await
}

#[tokio::test]
async fn behind_tls_the_session_cookie_is_secure() {
    for app in apps_with(false, behind_tls()).await {
        let answer = log_in_with_origin(&app, PUBLIC).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", app.backend);
        let cookie = answer.header("set-cookie").unwrap_or_default();
        assert!(
            cookie.contains("; Secure") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
        let logout = post_form(
            &app,
            "/logout",
            "",
            Some(cookie.split(';').next().unwrap_or_default()),
            Some(PUBLIC),
        )
        .await;
        assert!(
            logout
                .header("set-cookie")
                .unwrap_or_default()
                .contains("; Secure"),
            "the clearing cookie matches"
        );
    }
}

#[tokio::test]
async fn over_plain_http_the_session_cookie_is_not_secure() {
    for app in apps(false).await {
        let answer = log_in_with_origin(&app, &format!("http://{HOST}")).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", app.backend);
        let cookie = answer.header("set-cookie").unwrap_or_default();
        assert!(!cookie.contains("Secure"), "{cookie}");
    }
}

#[tokio::test]
async fn the_origin_must_have_the_sites_scheme() {
    for app in apps(false).await {
        let https = log_in_with_origin(&app, &format!("https://{HOST}")).await;
        assert_eq!(https.status, StatusCode::FORBIDDEN, "{}", app.backend);
        assert!(https.header("set-cookie").is_none());
    }
    for app in apps_with(false, behind_tls()).await {
        for foreign in [
            "http://pledges.example.org",
            "https://pledges.example.org:8443",
            "https://evil.example.org",
            "null",
        ] {
            let answer = log_in_with_origin(&app, foreign).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{foreign}");
        }
        // Behind a proxy the Host header may name the internal address: the origin decides.
        let answer = log_in_with_origin(&app, "https://Pledges.Example.org:443").await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", app.backend);
    }
}

#[tokio::test]
async fn a_cookie_authenticated_api_change_needs_the_sites_scheme_too() {
    for app in apps_with(false, behind_tls()).await {
        let cookie = log_in_with_origin(&app, PUBLIC)
            .await
            .header("set-cookie")
            .unwrap_or_default();
        let cookie = cookie.split(';').next().unwrap_or_default().to_owned();
        let body = support::pledge_body("PAK", "SCHEME-1").to_string();
        let send = |origin: &str| {
            Request::post("/api/v1/pledges")
                .header("host", HOST)
                .header("cookie", cookie.clone())
                .header("origin", origin)
                .header("content-type", "application/json")
                .body(Body::from(body.clone()))
                .unwrap_or_default()
        };
        let plain = app.send(send("http://pledges.example.org")).await;
        assert_eq!(plain.status, StatusCode::FORBIDDEN, "{}", app.backend);
        let tls = app.send(send(PUBLIC)).await;
        assert_eq!(tls.status, StatusCode::CREATED, "{}", app.backend);
    }
}
