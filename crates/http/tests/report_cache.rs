//! Reports and the board answered once per data version: `ETag` from the version and the
//! parameters, 304 for `If-None-Match` on an unchanged version, a new ETag after a change, a
//! settled past moment immutable; and a cached answer always equal to one computed afresh,
//! over random sequences of every kind of change. SQLite always, PostgreSQL when configured.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use pledgeboard_http::{AppState, HttpSettings, router};
use proptest::prelude::*;
use serde_json::json;
use support::pages::{HOST, log_in};
use support::shortcuts::create;
use support::{Answer, TestApp, apps, pledge_body};
use tower::ServiceExt;

/// Every cached answer: the reports, JSON and CSV, and the board.
const ROUTES: [&str; 13] = [
    "/api/v1/reports/coverage",
    "/api/v1/reports/coverage.csv?mission=MINUSCA",
    "/api/v1/reports/allocation",
    "/api/v1/reports/countries?sort=pledges&order=desc",
    "/api/v1/reports/countries.csv",
    "/api/v1/reports/countries/PAK",
    "/api/v1/reports/countries/PAK.csv",
    "/api/v1/reports/outcome?conference=ISB-2023",
    "/api/v1/reports/outcome.csv?conference=ISB-2023",
    "/api/v1/reports/coverage?as_of=2020-01-01",
    "/api/v1/reports/follow-through?conference=BER-2025",
    "/api/v1/reports/follow-through.csv?conference=BER-2025&stalled_days=30",
    "/",
];

/// `GET path` on `router` as the viewer (a page with the viewer's session), with an
/// `If-None-Match` when given; the answer and its body.
async fn get_on(
    router: &axum::Router,
    app: &TestApp,
    cookie: &str,
    path: &str,
    if_none_match: Option<&str>,
) -> (StatusCode, Option<String>, Option<String>, String) {
    let mut request = Request::get(path).header("host", HOST);
    if path.starts_with("/api/") {
        request = request.header("authorization", format!("Bearer {}", app.viewer));
    } else {
        request = request.header("cookie", cookie);
    }
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap_or_default())
        .await
        .unwrap_or_else(|e| match e {});
    let status = response.status();
    let header = |n: &str| {
        response
            .headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (etag, cache) = (header("etag"), header("cache-control"));
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    (
        status,
        etag,
        cache,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn an_unchanged_version_is_a_304_and_a_change_a_200_with_a_new_etag() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.viewer).await;
        let mut tags = Vec::new();
        for path in ROUTES {
            let (status, etag, cache, _) = get_on(&app.router, &app, &cookie, path, None).await;
            assert_eq!(status, StatusCode::OK, "{}: {path}", app.backend);
            let etag = etag.unwrap_or_else(|| panic!("{}: {path}: no ETag", app.backend));
            let (again, same, _, body) =
                get_on(&app.router, &app, &cookie, path, Some(&etag)).await;
            assert_eq!(again, StatusCode::NOT_MODIFIED, "{}: {path}", app.backend);
            assert_eq!(
                same.as_deref(),
                Some(etag.as_str()),
                "{}: {path}",
                app.backend
            );
            assert!(body.is_empty());
            let past = path.contains("as_of=2020");
            let cache = cache.unwrap_or_default();
            if past {
                assert!(cache.contains("immutable"), "{path}: {cache}");
            } else {
                assert_eq!(cache, "private, no-cache", "{path}");
            }
            tags.push((path, etag, past));
        }

        create(&app, pledge_body("PAK", "ETAG-1")).await;

        for (path, old, past) in tags {
            let (status, etag, _, _) = get_on(&app.router, &app, &cookie, path, Some(&old)).await;
            if past {
                assert_eq!(status, StatusCode::NOT_MODIFIED, "{}: {path}", app.backend);
            } else {
                assert_eq!(
                    status,
                    StatusCode::OK,
                    "{}: {path} after a change",
                    app.backend
                );
                assert_ne!(etag, Some(old), "{}: {path}", app.backend);
            }
        }
        // Another viewer's board shows another name in its navigation: another tag.
        let admin = log_in(&app, &app.admin).await;
        let (_, mine, _, _) = get_on(&app.router, &app, &cookie, "/", None).await;
        let (_, theirs, _, _) = get_on(&app.router, &app, &admin, "/", None).await;
        assert_ne!(mine, theirs, "{}", app.backend);
    }
}

#[tokio::test]
async fn the_board_carries_its_data_version() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.viewer).await;
        let version = app.store.data_version().await.unwrap_or_default();
        let (_, _, _, html) = get_on(&app.router, &app, &cookie, "/", None).await;
        assert!(
            html.contains(&format!("data-version=\"{version}\"")),
            "{}: {html}",
            app.backend
        );
    }
}

/// One change of any kind, applied to whatever exists.
#[derive(Debug, Clone)]
enum Change {
    CreatePledge(u8),
    PatchQuantity(u8, u8),
    NoOpPatch(u8),
    Withdraw(u8),
    Reinstate(u8),
    CreateRequirement(u8),
    UpdateRequirement(u8),
    DeleteRequirement,
    Import(u8),
    Mission,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0u8..4).prop_map(Change::CreatePledge),
        (0u8..8, 1u8..9).prop_map(|(i, q)| Change::PatchQuantity(i, q)),
        (0u8..8).prop_map(Change::NoOpPatch),
        (0u8..8).prop_map(Change::Withdraw),
        (0u8..8).prop_map(Change::Reinstate),
        (0u8..3).prop_map(Change::CreateRequirement),
        (1u8..9).prop_map(Change::UpdateRequirement),
        Just(Change::DeleteRequirement),
        (1u8..5).prop_map(Change::Import),
        Just(Change::Mission),
    ]
}

const STATES: [&str; 4] = ["PAK", "GHA", "KOR", "BRA"];
const CAPABILITIES: [&str; 3] = ["HEL-UTIL", "INF-COY", "INF-BN"];

struct World {
    pledges: Vec<i64>,
    requirements: Vec<(i64, &'static str)>,
    made: u32,
}

fn pick(ids: &[i64], i: u8) -> Option<i64> {
    (!ids.is_empty()).then(|| ids[usize::from(i) % ids.len()])
}

async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> Answer {
    app.call(method, path, Some(token), &[], body).await
}

async fn apply(app: &TestApp, world: &mut World, change: &Change) {
    world.made += 1;
    match *change {
        Change::CreatePledge(s) => {
            let body = pledge_body(STATES[usize::from(s)], &format!("P-{}", world.made));
            world.pledges.push(create(app, body).await);
        }
        Change::PatchQuantity(i, q) if !world.pledges.is_empty() => {
            let id = pick(&world.pledges, i).unwrap_or_default();
            let path = format!("/api/v1/pledges/{id}");
            let body = json!({"quantity": q});
            let answer = call(app, Method::PATCH, &path, &app.planner, Some(body)).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        }
        Change::NoOpPatch(i) if !world.pledges.is_empty() => {
            let id = pick(&world.pledges, i).unwrap_or_default();
            let path = format!("/api/v1/pledges/{id}");
            call(app, Method::PATCH, &path, &app.planner, Some(json!({}))).await;
        }
        Change::Withdraw(i) if !world.pledges.is_empty() => {
            let id = pick(&world.pledges, i).unwrap_or_default();
            let path = format!("/api/v1/pledges/{id}/withdraw");
            call(app, Method::POST, &path, &app.planner, None).await;
        }
        Change::Reinstate(i) if !world.pledges.is_empty() => {
            let id = pick(&world.pledges, i).unwrap_or_default();
            let path = format!("/api/v1/pledges/{id}/reinstate");
            call(app, Method::POST, &path, &app.admin, None).await;
        }
        Change::CreateRequirement(c) => {
            let body = json!({"mission": "MINUSCA", "capability": CAPABILITIES[usize::from(c)],
                "quantity": 3, "personnel": 200, "needed_by": "2027-06-01", "priority": "critical"});
            let answer = call(
                app,
                Method::POST,
                "/api/v1/requirements",
                &app.admin,
                Some(body),
            )
            .await;
            if let Some(id) = answer.json["id"].as_i64() {
                world.requirements.push((id, CAPABILITIES[usize::from(c)]));
            }
        }
        Change::UpdateRequirement(q) if !world.requirements.is_empty() => {
            let (id, capability) = world.requirements[0];
            let body = json!({"mission": "MINUSCA", "capability": capability, "quantity": q,
                "personnel": 200, "needed_by": "2027-06-01", "priority": "critical"});
            let answer = call(
                app,
                Method::PUT,
                &format!("/api/v1/requirements/{id}"),
                &app.admin,
                Some(body),
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        }
        Change::DeleteRequirement if !world.requirements.is_empty() => {
            let (id, _) = world.requirements.remove(0);
            let answer = call(
                app,
                Method::DELETE,
                &format!("/api/v1/requirements/{id}"),
                &app.admin,
                None,
            )
            .await;
            assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.json);
        }
        Change::Import(q) => {
            let csv = format!(
                "pledge_ref,member_state,capability,quantity,readiness,mission\n\
                 IMP-1,GHA,INF-COY,{q},L2,MINUSCA\nIMP-2,PAK,HEL-UTIL,1,L1,MINUSCA\n"
            );
            let request = Request::builder()
                .method(Method::POST)
                .uri("/api/v1/imports/pledges")
                .header("authorization", format!("Bearer {}", app.planner))
                .header("content-type", "text/csv")
                .body(Body::from(csv))
                .unwrap_or_default();
            let answer = app.send(request).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        }
        Change::Mission => {
            let body = json!({"name": format!("Renamed {}", world.made), "location": "Bangui"});
            let answer = call(
                app,
                Method::PUT,
                "/api/v1/missions/MINUSCA",
                &app.admin,
                Some(body),
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
        }
        _ => {}
    }
}

/// The board's figures, without the moment they were computed at.
fn figures(html: &str) -> String {
    let start = html.find("<section id=\"board\"").unwrap_or(0);
    let end = html.find("</section>").unwrap_or(html.len());
    html[start..end]
        .lines()
        .filter(|l| !l.starts_with("<p class=\"updated\">"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every answer of the app (cached) equals the answer of a new app with an empty cache.
async fn cached_equals_fresh(app: &TestApp, cookie: &str, after: &str) {
    let fresh_state = AppState::with_settings(app.store.clone(), HttpSettings::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let fresh = router(fresh_state);
    for path in ROUTES {
        let (s1, _, _, cached) = get_on(&app.router, app, cookie, path, None).await;
        let (s2, _, _, computed) = get_on(&fresh, app, cookie, path, None).await;
        assert_eq!(
            (s1, s2),
            (StatusCode::OK, StatusCode::OK),
            "{}: {path}",
            app.backend
        );
        if path == "/" {
            assert_eq!(
                figures(&cached),
                figures(&computed),
                "{}: {path} after {after}",
                app.backend
            );
        } else {
            assert_eq!(cached, computed, "{}: {path} after {after}", app.backend);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn a_cached_report_equals_a_fresh_one_after_every_change(changes in prop::collection::vec(change(), 1..8)) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        runtime.block_on(async {
            for app in apps(false).await {
                let cookie = log_in(&app, &app.viewer).await;
                let mut world = World { pledges: Vec::new(), requirements: Vec::new(), made: 0 };
                cached_equals_fresh(&app, &cookie, "nothing").await;
                for change in &changes {
                    apply(&app, &mut world, change).await;
                    cached_equals_fresh(&app, &cookie, &format!("{change:?}")).await;
                }
            }
        });
    }
}
