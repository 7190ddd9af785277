//! Errors in French: an import's bad rows (page and API), a form's refusals and the problem
//! details' title and detail follow the request's language; the machine parts (problem
//! `type`, field names, columns, values) do not, and English stays word for word.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pledgeboard_domain::testing::{SHEET, Workbook};
use serde_json::json;
use support::pages::{error_beside, log_in, post_multipart, submit};
use support::{TestApp, apps};

/// A file with three bad rows and one good one.
const BAD_FILE: &str = "pledge_ref,member_state,capability,quantity,readiness\n\
FR-1,Pakistn,INF-BN,1,L1\n\
FR-2,PAK,INF-BN,0,L1\n\
FR-3,PAK,INF-BN,1,L9\n\
FR-4,PAK,INF-BN,1,L2\n";

/// The French a planner reads for those rows (as HTML writes it).
const FRENCH_ROWS: [&str; 3] = [
    "État Membre inconnu «\u{a0}Pakistn\u{a0}» — vouliez-vous dire Pakistan (PAK) ?",
    "la quantité doit être un nombre entier de 1 à 1\u{202f}000\u{202f}000, et non 0",
    "le niveau de préparation «\u{a0}L9\u{a0}» n&#39;est pas un niveau PCRS — utilisez L1, L2, L3 ou RDL",
];

/// The English of the same rows.
const ENGLISH_ROWS: [&str; 3] = [
    "unknown member state 'Pakistn' — did you mean Pakistan (PAK)?",
    "quantity must be a whole number from 1 to 1000000, not 0",
    "readiness 'L9' is not a PCRS level — use L1, L2, L3 or RDL",
];

/// `POST /api/v1/imports/pledges?dry_run=true` with a CSV body and these headers.
async fn import_csv(app: &TestApp, csv: &str, headers: &[(&str, &str)]) -> serde_json::Value {
    let mut request = Request::post("/api/v1/imports/pledges?dry_run=true")
        .header("authorization", format!("Bearer {}", app.planner))
        .header("content-type", "text/csv");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let answer = app
        .send(request.body(Body::from(csv.to_owned())).unwrap_or_default())
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.json
    );
    answer.json
}

#[tokio::test]
async fn an_import_previewed_in_french_says_what_is_wrong_in_french() {
    for app in apps(false).await {
        let session = log_in(&app, &app.planner).await;
        let french = format!("{session}; pb_lang=fr");
        let (answer, html) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("bad.csv"), BAD_FILE.as_bytes()),
                ("action", None, b"preview"),
            ],
            &french,
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        for said in FRENCH_ROWS {
            assert!(html.contains(said), "{}: {said} in {html}", app.backend);
        }
        for english in [
            "unknown member state",
            "did you mean",
            "must be a whole number",
            "is not a PCRS level",
        ] {
            assert!(!html.contains(english), "{}: {english} left", app.backend);
        }

        // The API in French: the same words, the same machine names and values.
        let json = import_csv(&app, BAD_FILE, &[("accept-language", "fr-FR,fr;q=0.9")]).await;
        let errors = json["errors"].as_array().cloned().unwrap_or_default();
        assert_eq!(errors.len(), 3, "{json}");
        assert_eq!(errors[0]["line"], 2);
        assert_eq!(errors[0]["column"], "member_state");
        assert_eq!(errors[0]["value"], "Pakistn");
        assert_eq!(errors[1]["column"], "quantity");
        for (e, french) in errors.iter().zip(FRENCH_ROWS) {
            assert_eq!(
                e["message"],
                french.replace("&#39;", "'"),
                "{}",
                app.backend
            );
        }

        // Without a French header, English exactly as before.
        let json = import_csv(&app, BAD_FILE, &[]).await;
        let messages: Vec<&str> = json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["message"].as_str())
            .collect();
        assert_eq!(messages, ENGLISH_ROWS);
    }
}

#[tokio::test]
async fn a_header_error_is_french_too() {
    for app in apps(false).await {
        let json = import_csv(
            &app,
            "pledge_ref,member_state,capability,colour\nA,PAK,INF-BN,red\n",
            &[("accept-language", "fr")],
        )
        .await;
        let messages: Vec<&str> = json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["message"].as_str())
            .collect();
        assert!(
            messages.iter().any(|m| m.starts_with(
                "colonne inconnue «\u{a0}colour\u{a0}» — les colonnes sont : pledge_ref"
            )),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"la colonne obligatoire «\u{a0}quantity\u{a0}» manque"),
            "{messages:?}"
        );
    }
}

#[tokio::test]
async fn a_form_refused_in_french_says_why_in_french_beside_each_field() {
    for app in apps(true).await {
        let session = log_in(&app, &app.planner).await;
        let french = format!("{session}; pb_lang=fr");
        let (answer, html) = submit(
            &app,
            "/pledges/new",
            &[
                ("member_state", "Pakistn"),
                ("capability", "QRF-COY"),
                ("quantity", "ten"),
                ("available_from", "05/06/2026"),
                ("pledge_ref", "FORM-FR-1"),
            ],
            &french,
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert_eq!(
            error_beside(&html, "quantity"),
            "la quantité «\u{a0}ten\u{a0}» n&#39;est pas un nombre entier",
            "{}",
            app.backend
        );
        assert_eq!(
            error_beside(&html, "available_from"),
            "«\u{a0}05/06/2026\u{a0}» n&#39;est pas une date écrite AAAA-MM-JJ (par ex. 2025-04-15)"
        );
        assert!(
            error_beside(&html, "member_state").starts_with(
                "État Membre inconnu «\u{a0}Pakistn\u{a0}» — vouliez-vous dire Pakistan"
            ),
            "{html}"
        );
    }
}

#[tokio::test]
async fn problem_details_speak_the_request_language_with_the_same_type() {
    for app in apps(false).await {
        let body = json!({
            "pledge_ref": "FR-API-1",
            "member_state": "PAK",
            "capability": "INF-BN",
            "quantity": 0,
            "readiness": "L9",
        });
        let french = app
            .call(
                axum::http::Method::POST,
                "/api/v1/pledges",
                Some(&app.planner),
                &[("accept-language", "fr")],
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            french.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            french.json
        );
        assert_eq!(french.json["type"], "urn:pledgeboard:problem:invalid");
        assert_eq!(french.json["title"], "Données non valides");
        assert_eq!(french.json["detail"], "2 champs ne sont pas valides");
        assert_eq!(french.json["errors"][0]["field"], "quantity");
        assert_eq!(
            french.json["errors"][0]["message"],
            "la quantité doit être un nombre entier de 1 à 1\u{202f}000\u{202f}000, et non 0"
        );

        let english = app
            .call(
                axum::http::Method::POST,
                "/api/v1/pledges",
                Some(&app.planner),
                &[],
                Some(body),
            )
            .await;
        assert_eq!(english.json["type"], "urn:pledgeboard:problem:invalid");
        assert_eq!(english.json["title"], "Invalid data");
        assert_eq!(english.json["detail"], "2 fields are invalid");
        assert_eq!(
            english.json["errors"][0]["message"],
            "quantity must be a whole number from 1 to 1000000, not 0"
        );

        // Another kind of problem: a viewer may not record, said in French.
        let refused = app
            .call(
                axum::http::Method::POST,
                "/api/v1/pledges",
                Some(&app.viewer),
                &[("accept-language", "fr")],
                Some(json!({"pledge_ref": "X", "member_state": "PAK", "capability": "INF-BN", "quantity": 1})),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.json["type"], "urn:pledgeboard:problem:forbidden");
        assert_eq!(refused.json["title"], "Non autorisé");
        assert_eq!(
            refused.json["detail"],
            "un lecteur peut consulter les engagements mais pas les enregistrer"
        );
    }
}

/// A follow-up sheet: one good row recording two milestones, one bad date.
const FOLLOW_UP: &str = "pledge_ref,member_state,capability,quantity,accepted_on,aav_completed_on\n\
FU-1,PAK,INF-BN,1,2025-05-01,2025-06-01\n\
FU-2,PAK,INF-BN,1,01/05/2025,\n";

#[tokio::test]
async fn a_follow_up_sheet_previewed_names_its_milestones_and_its_bad_date_in_the_page_language() {
    for app in apps(false).await {
        let session = log_in(&app, &app.planner).await;
        for (cookie, said) in [
            (
                session.clone(),
                "Accepted by the UN: &#39;01/05/2025&#39; is not a date",
            ),
            (
                format!("{session}; pb_lang=fr"),
                "Accepté par l&#39;ONU\u{a0}: «\u{a0}01/05/2025\u{a0}»",
            ),
        ] {
            let (answer, html) = post_multipart(
                &app,
                "/import",
                &[
                    ("file", Some("follow-up.csv"), FOLLOW_UP.as_bytes()),
                    ("action", None, b"preview"),
                ],
                &cookie,
            )
            .await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(html.contains("accepted_on"), "{}: the column", app.backend);
            assert!(html.contains(said), "{}: {said} in {html}", app.backend);
        }
        let good = FOLLOW_UP.lines().take(2).collect::<Vec<_>>().join("\n");
        let (answer, html) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("follow-up.csv"), good.as_bytes()),
                ("action", None, b"preview"),
            ],
            &session,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{html}");
        assert!(
            html.contains("id=\"import-milestones\">2</td>"),
            "{}: two milestones to record in {html}",
            app.backend
        );
        assert!(
            html.contains("Accepted by the UN, Assessment and Advisory Visit completed"),
            "{}: what the row records, in words: {html}",
            app.backend
        );
    }
}

#[tokio::test]
async fn a_wrong_query_parameter_is_named_in_the_request_language() {
    for app in apps(false).await {
        for (path, token, english, french) in [
            (
                "/api/v1/pledges?limit=0",
                &app.viewer,
                "limit must be a whole number from 1 to 1000",
                "limit doit être un nombre entier de 1 à 1\u{202f}000",
            ),
            (
                "/api/v1/pledges?cursor=next",
                &app.viewer,
                "this cursor was not given by a previous page",
                "ce curseur n'a pas été donné par une page précédente",
            ),
            (
                "/api/v1/audit?limit=5000",
                &app.admin,
                "limit must be a whole number from 1 to 1000",
                "limit doit être un nombre entier de 1 à 1\u{202f}000",
            ),
            (
                "/api/v1/audit?since=yesterday",
                &app.admin,
                "write a timestamp like 2025-04-15T09:30:00Z",
                "écrivez un horodatage comme 2025-04-15T09:30:00Z",
            ),
            (
                "/api/v1/reports/coverage?as_of=soon",
                &app.viewer,
                "as_of 'soon' is not a timestamp like 2025-04-15T09:30:00Z or a date like 2025-04-15",
                "as_of «\u{a0}soon\u{a0}» n'est ni un horodatage comme 2025-04-15T09:30:00Z ni une date",
            ),
        ] {
            for (lang, said) in [("en", english), ("fr", french)] {
                let answer = app
                    .call(
                        axum::http::Method::GET,
                        path,
                        Some(token),
                        &[("accept-language", lang)],
                        None,
                    )
                    .await;
                assert_eq!(
                    answer.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{} {path}",
                    app.backend
                );
                let message = answer.json["errors"][0]["message"]
                    .as_str()
                    .unwrap_or_default();
                assert!(message.contains(said), "{path} in {lang}: {message}");
            }
        }
    }
}

/// `POST /api/v1/imports/pledges?dry_run=true` with a workbook's bytes, in `lang`: the first
/// error's words.
async fn workbook_refused(app: &TestApp, bytes: Vec<u8>, lang: &str) -> String {
    let request = Request::post("/api/v1/imports/pledges?dry_run=true")
        .header("authorization", format!("Bearer {}", app.planner))
        .header(
            "content-type",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .header("accept-language", lang)
        .body(Body::from(bytes))
        .unwrap_or_default();
    let answer = app.send(request).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.json
    );
    answer.json["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_damaged_or_oversized_workbook_is_refused_in_the_request_language() {
    // A sheet whose headers declare 1.1 GB, past the 1 GiB a sheet may unpack to.
    let oversized = Workbook::with_sheet(vec![(vec![b' '; 1 << 20], 1)])
        .declaring(SHEET, 1_100_000_000)
        .to_bytes();
    for app in apps(false).await {
        let said =
            workbook_refused(&app, b"PK\x03\x04 but no archive follows".to_vec(), "en").await;
        assert!(
            said.starts_with("this is not a readable .xlsx workbook: "),
            "{said}"
        );
        let said =
            workbook_refused(&app, b"PK\x03\x04 but no archive follows".to_vec(), "fr").await;
        assert!(
            said.starts_with("ce fichier n'est pas un classeur .xlsx lisible\u{a0}: "),
            "{said}"
        );
        let said = workbook_refused(&app, oversized.clone(), "en").await;
        assert!(
            said.contains(
                "unpacks to more than 1,073,741,824 bytes (its header declares 1,100,000,000 \
                 bytes), the most it may (a sheet of 1,000,000 pledges unpacks to about 477 MB)"
            ),
            "{said}"
        );
        let said = workbook_refused(&app, oversized.clone(), "fr").await;
        assert!(
            said.contains("se décompresse en plus de 1\u{202f}073\u{202f}741\u{202f}824 octets")
                && said.contains(
                    "le maximum permis (une feuille de 1\u{202f}000\u{202f}000 engagements se \
                     décompresse en environ 477\u{a0}Mo)"
                ),
            "the reason in French too: {said}"
        );
    }
}
