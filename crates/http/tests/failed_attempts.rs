//! Failed log-ins and unknown bearer tokens are limited per client address: the 21st within a
//! minute gets 429 with `Retry-After`, and nobody else is held up by it.

mod support;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use support::pages::HOST;
use support::{Answer, TestApp, apps};

/// The limit by default.
const PER_MINUTE: usize = 20;

fn from(address: &str, mut request: Request<Body>) -> Request<Body> {
    let address: SocketAddr = address.parse().unwrap_or_else(|e| panic!("{e}"));
    request.extensions_mut().insert(ConnectInfo(address));
    request
}

async fn log_in_from(app: &TestApp, address: &str, token: &str) -> (Answer, String) {
    let request = Request::post("/login")
        .header("host", HOST)
        .header("origin", format!("http://{HOST}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={token}")))
        .unwrap_or_default();
    app.exchange(from(address, request)).await
}

async fn list_from(app: &TestApp, address: &str, token: &str) -> Answer {
    let request = Request::get("/api/v1/pledges")
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap_or_default();
    app.send(from(address, request)).await
}

fn retry_after(answer: &Answer) -> u64 {
    let value = answer.header("retry-after").unwrap_or_default();
    value
        .parse()
        .unwrap_or_else(|_| panic!("Retry-After is not whole seconds: {value:?}"))
}

#[tokio::test]
async fn the_21st_failed_log_in_from_one_address_gets_429_with_retry_after() {
    for app in apps(false).await {
        let attacker = "198.51.100.7:40000";
        for attempt in 1..=PER_MINUTE {
            let (answer, _) = log_in_from(&app, attacker, "pb_wrong").await;
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "{}: attempt {attempt}",
                app.backend
            );
        }
        let (refused, page) = log_in_from(&app, "198.51.100.7:40001", "pb_wrong").await;
        assert_eq!(
            refused.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            app.backend
        );
        assert!((1..=60).contains(&retry_after(&refused)));
        assert!(
            refused.content_type.starts_with("text/html"),
            "the normal error page"
        );
        assert!(page.contains("try again in"), "{page}");
        assert!(refused.header("set-cookie").is_none());

        let (colleague, _) = log_in_from(&app, "198.51.100.8:40000", &app.planner).await;
        assert_eq!(
            colleague.status,
            StatusCode::SEE_OTHER,
            "another address logs in"
        );
        let (same_address, _) = log_in_from(&app, attacker, &app.planner).await;
        assert_eq!(
            same_address.status,
            StatusCode::SEE_OTHER,
            "a live token is never refused"
        );
    }
}

#[tokio::test]
async fn the_21st_unknown_bearer_token_from_one_address_gets_429_problem_json() {
    for app in apps(false).await {
        let attacker = "[2001:db8::7]:40000";
        for attempt in 1..=PER_MINUTE {
            let answer = list_from(&app, attacker, &format!("pb_guess{attempt}")).await;
            assert_eq!(
                answer.status,
                StatusCode::UNAUTHORIZED,
                "{}: attempt {attempt}",
                app.backend
            );
        }
        // Another address of the same /64 network is the same client.
        let refused = list_from(&app, "[2001:db8::8]:40000", "pb_guess21").await;
        assert_eq!(
            refused.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            app.backend
        );
        assert_eq!(refused.content_type, "application/problem+json");
        assert_eq!(
            refused.json["type"],
            "urn:pledgeboard:problem:too-many-attempts"
        );
        assert_eq!(refused.json["status"], 429);
        assert!((1..=60).contains(&retry_after(&refused)));

        let good = list_from(&app, "198.51.100.9:40000", &app.viewer).await;
        assert_eq!(good.status, StatusCode::OK, "others are not held up");
        let same_address = list_from(&app, attacker, &app.viewer).await;
        assert_eq!(
            same_address.status,
            StatusCode::OK,
            "a live token is never refused"
        );
    }
}

#[tokio::test]
async fn requests_without_a_token_are_not_counted() {
    for app in apps(false).await {
        for _ in 0..=PER_MINUTE {
            let request = Request::get("/api/v1/pledges")
                .body(Body::empty())
                .unwrap_or_default();
            let answer = app.send(from("198.51.100.10:40000", request)).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", app.backend);
        }
        let answer = list_from(&app, "198.51.100.10:40000", "pb_wrong").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
}
