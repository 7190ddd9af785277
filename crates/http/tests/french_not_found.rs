//! A 404 and a 409 in French: the problem's `detail` (and the error page's words) follow the
//! request's language — `?lang=fr`, `Accept-Language` or the remembered choice — like every
//! other problem; the `type` does not, and English stays word for word.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::pages::{log_in, page};
use support::{TestApp, apps, pledge_body};

/// `GET path` as the viewer with these headers.
async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> support::Answer {
    app.call(Method::GET, path, Some(&app.viewer), headers, None)
        .await
}

#[tokio::test]
async fn a_pledge_that_does_not_exist_is_said_in_french() {
    for app in apps(false).await {
        for (path, headers) in [
            ("/api/v1/pledges/999999?lang=fr", &[][..]),
            (
                "/api/v1/pledges/999999",
                &[("accept-language", "fr-FR,fr;q=0.9")][..],
            ),
        ] {
            let french = get_with(&app, path, headers).await;
            assert_eq!(french.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(french.json["type"], "urn:pledgeboard:problem:not-found");
            assert_eq!(french.json["title"], "Introuvable");
            assert_eq!(
                french.json["detail"], "l'engagement 999999 n'existe pas",
                "{}: {path}",
                app.backend
            );
        }
        let english = app.get("/api/v1/pledges/999999").await;
        assert_eq!(english.json["type"], "urn:pledgeboard:problem:not-found");
        assert_eq!(english.json["detail"], "pledge 999999 does not exist");

        // The same words on the pledge's page, in the remembered language.
        let session = log_in(&app, &app.viewer).await;
        let (answer, html) = page(
            &app,
            "/pledges/999999",
            Some(&format!("{session}; pb_lang=fr")),
        )
        .await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert!(
            html.contains("l&#39;engagement 999999 n&#39;existe pas"),
            "{}: {html}",
            app.backend
        );

        let nowhere = get_with(&app, "/api/v1/nowhere?lang=fr", &[]).await;
        assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
        assert_eq!(
            nowhere.json["detail"],
            "il n'y a ni page ni point d'accès à l'adresse /api/v1/nowhere"
        );
    }
}

#[tokio::test]
async fn a_taken_key_is_said_in_french() {
    for app in apps(false).await {
        let body = pledge_body("PAK", "FR-409");
        let first = app
            .post("/api/v1/pledges", &app.planner, body.clone())
            .await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.json);
        let again = |headers: &'static [(&'static str, &'static str)]| {
            app.call(
                Method::POST,
                "/api/v1/pledges",
                Some(&app.planner),
                headers,
                Some(body.clone()),
            )
        };
        let french = again(&[("accept-language", "fr")]).await;
        assert_eq!(french.status, StatusCode::CONFLICT, "{}", french.json);
        assert_eq!(french.json["type"], "urn:pledgeboard:problem:conflict");
        assert_eq!(french.json["title"], "Existe déjà");
        let detail = french.json["detail"].as_str().unwrap_or_default();
        assert!(
            detail.starts_with("PAK a déjà un engagement de référence")
                && detail.contains("FR-409"),
            "{}: {detail}",
            app.backend
        );
        let english = again(&[]).await;
        assert_eq!(
            english.json["detail"],
            "PAK already has a pledge with reference 'FR-409'"
        );

        let mission = app
            .call(
                Method::POST,
                "/api/v1/missions?lang=fr",
                Some(&app.admin),
                &[],
                Some(json!({"acronym": "MINUSCA", "name": "Again", "location": "Bangui"})),
            )
            .await;
        assert_eq!(mission.status, StatusCode::CONFLICT, "{}", mission.json);
        assert_eq!(mission.json["detail"], "la mission MINUSCA existe déjà");
    }
}
