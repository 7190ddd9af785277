//! Hundreds of open event streams are checked together: more than one statement's worth of
//! tokens and of sessions, of which exactly the revoked and ended ones stop, within seconds,
//! when the revocation and the logouts happen in the store (as another process would do them).

mod support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use pledgeboard_domain::Role;
use support::{TestApp, apps};
use tokio::task::JoinHandle;
use tower::ServiceExt;

/// More than the 500 credentials one check statement asks about.
const STREAMS_EACH: usize = 520;

/// Opens a stream with `header`; the task ends when the stream does.
async fn open(app: &TestApp, header: (&str, String)) -> JoinHandle<()> {
    let request = Request::get("/api/v1/events")
        .header(header.0, header.1)
        .body(Body::empty())
        .unwrap_or_default();
    let response = app
        .router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    assert_eq!(response.status(), StatusCode::OK, "{}", app.backend);
    let mut body = response.into_body();
    tokio::spawn(async move { while let Some(Ok(_)) = body.frame().await {} })
}

#[tokio::test]
async fn of_hundreds_of_streams_exactly_the_revoked_and_logged_out_ones_end() {
    for app in apps(false).await {
        let mut tokens = Vec::new();
        let mut token_streams = Vec::new();
        let mut sessions = Vec::new();
        let mut session_streams = Vec::new();
        for n in 0..STREAMS_EACH {
            let (info, secret) = app
                .store
                .create_token(&format!("board {n}"), Role::Viewer, None)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            token_streams.push(open(&app, ("authorization", format!("Bearer {secret}"))).await);
            let actor = app
                .store
                .authenticate(&secret)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("a live token"));
            let session = app
                .store
                .create_session(&actor)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            session_streams.push(open(&app, ("cookie", format!("pb_session={session}"))).await);
            tokens.push(info.id);
            sessions.push(session);
        }
        assert_eq!(app.state.live_streams().len(), 2 * STREAMS_EACH);

        // Odd tokens revoked (their sessions end with them); every fourth session logged out.
        for id in tokens.iter().skip(1).step_by(2) {
            app.store
                .revoke_token(*id)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        for session in sessions.iter().step_by(4) {
            app.store
                .end_session(session)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let expected_live = STREAMS_EACH / 2 + STREAMS_EACH / 4;
        let waiting = std::time::Instant::now();
        while app.state.live_streams().len() > expected_live
            && waiting.elapsed() < Duration::from_secs(8)
        {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // The ended streams' tasks finish as their bodies end.
        tokio::time::sleep(Duration::from_millis(500)).await;

        for (n, stream) in token_streams.iter().enumerate() {
            assert_eq!(
                stream.is_finished(),
                n % 2 == 1,
                "{}: token stream {n}",
                app.backend
            );
        }
        for (n, stream) in session_streams.iter().enumerate() {
            assert_eq!(
                stream.is_finished(),
                n % 2 == 1 || n % 4 == 0,
                "{}: session stream {n}",
                app.backend
            );
        }
        let live = app.state.live_streams().len();
        assert_eq!(
            live, expected_live,
            "{}: the ended streams are forgotten",
            app.backend
        );
        for stream in token_streams.into_iter().chain(session_streams) {
            stream.abort();
        }
    }
}
