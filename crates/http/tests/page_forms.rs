//! The pages that change things: recording a pledge, the list, a pledge's page with its
//! conflict view and withdrawal, the import preview, a country's page and requirements.

mod support;

use axum::http::StatusCode;
use chrono::{Datelike, Utc};
use support::pages::{error_beside, form, log_in, page, post_form, post_multipart, submit};
use support::{TestApp, apps, pledge_body};

/// How many pledges the API lists for `query` (at most 1000).
async fn count(app: &TestApp, query: &str) -> usize {
    app.get(&format!("/api/v1/pledges?limit=1000&{query}"))
        .await
        .json["items"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn a_pledge_recorded_through_the_form_is_saved_and_the_form_is_ready_for_the_next() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let (blank, html) = page(&app, "/pledges/new", Some(&cookie)).await;
        assert_eq!(blank.status, StatusCode::OK, "{}", app.backend);
        for field in [
            "member_state",
            "capability",
            "quantity",
            "personnel",
            "mission",
            "conference",
        ] {
            assert!(
                html.contains(&format!("<label for=\"f-{field}\">")),
                "{field} has a label"
            );
        }
        assert!(
            html.contains("<datalist id=\"member-states\">")
                && html.contains("<option value=\"PAK\">Pakistan</option>")
        );
        assert!(
            html.contains("<option value=\"INF-BN\" data-personnel=\"850\">"),
            "type-ahead knows standard sizes"
        );

        let before = count(&app, "member_state=PAK").await;
        let fields = [
            ("member_state", "Pakistan"),
            ("capability", "QRF-COY"),
            ("quantity", "1"),
            ("personnel", "150"),
            ("female_personnel", "12"),
            ("readiness", "L2"),
            ("mission", "MINUSCA"),
            ("conference", "ISB-2025"),
            ("pledge_ref", ""),
        ];
        let foreign = post_form(
            &app,
            "/pledges/new",
            &form(&fields),
            Some(&cookie),
            Some("http://elsewhere.test"),
        )
        .await;
        assert_eq!(
            foreign.status,
            StatusCode::FORBIDDEN,
            "a form from another site is refused"
        );
        let (saved, _) = submit(&app, "/pledges/new", &fields, &cookie).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", app.backend);
        let location = saved.header("location").unwrap_or_default();
        let id = location.rsplit('=').next().unwrap_or_default().to_owned();
        assert_eq!(count(&app, "member_state=PAK").await, before + 1);

        let pledge = app.get(&format!("/api/v1/pledges/{id}")).await.json;
        assert_eq!(pledge["member_state"], "PAK");
        assert_eq!(pledge["personnel"], 150);
        let reference = pledge["pledge_ref"].as_str().unwrap_or_default().to_owned();
        assert!(
            reference.starts_with(&format!("PAK-{}-", Utc::now().year())),
            "a blank reference takes the next in the state's series: {reference}"
        );

        let (next, html) = page(&app, &location, Some(&cookie)).await;
        assert_eq!(next.status, StatusCode::OK);
        assert!(html.contains(&format!("Saved <a href=\"/pledges/{id}\">PAK {reference}")));
        assert!(
            html.contains("name=\"member_state\" type=\"text\" value=\"PAK\""),
            "the state stays for the delegation's next pledge"
        );
        assert!(
            html.contains("name=\"capability\" type=\"text\" value=\"\""),
            "the rest is blank again"
        );

        // A second pledge without a reference gets the next number.
        let (again, _) = submit(&app, "/pledges/new", &fields, &cookie).await;
        let second = again.header("location").unwrap_or_default();
        let second = second.rsplit('=').next().unwrap_or_default();
        let second_ref =
            app.get(&format!("/api/v1/pledges/{second}")).await.json["pledge_ref"].clone();
        assert_ne!(second_ref.as_str(), Some(reference.as_str()));
    }
}

#[tokio::test]
async fn a_bad_pledge_form_shows_each_error_beside_its_field_and_saves_nothing() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let before = count(&app, "").await;
        let (answer, html) = submit(
            &app,
            "/pledges/new",
            &[
                ("member_state", "Pakistn"),
                ("capability", "QRF-COY"),
                ("quantity", "ten"),
                ("available_from", "05/06/2026"),
                ("pledge_ref", "FORM-1"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert!(
            error_beside(&html, "quantity").contains("not a whole number"),
            "{html}"
        );
        let (answer, html) = submit(
            &app,
            "/pledges/new",
            &[
                ("member_state", "Pakistn"),
                ("capability", "QRF-COY"),
                ("quantity", "2"),
                ("available_from", "05/06/2026"),
                ("pledge_ref", "FORM-1"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error_beside(&html, "member_state").contains("Pakistan"),
            "a suggestion: {html}"
        );
        assert!(
            error_beside(&html, "available_from").contains("YYYY-MM-DD"),
            "{html}"
        );
        assert!(error_beside(&html, "capability").is_empty());
        assert!(
            html.contains("value=\"Pakistn\""),
            "what was typed stays in the form"
        );
        assert_eq!(count(&app, "").await, before, "nothing was saved");
    }
}

#[tokio::test]
async fn pages_show_only_what_the_role_may_do() {
    for app in apps(true).await {
        let viewer = log_in(&app, &app.viewer).await;
        let (_, board) = page(&app, "/", Some(&viewer)).await;
        assert!(!board.contains("href=\"/pledges/new\"") && !board.contains("href=\"/import\""));
        let (refused, html) = page(&app, "/pledges/new", Some(&viewer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.content_type.starts_with("text/html") && html.contains("Not allowed"));
        let (_, detail) = page(&app, "/pledges/1", Some(&viewer)).await;
        assert!(!detail.contains("Save changes") && !detail.contains("Withdraw"));
        let (_, requirements) = page(&app, "/requirements", Some(&viewer)).await;
        assert!(!requirements.contains("Save requirement"));

        let delegate = log_in(&app, &app.delegate).await;
        let (_, html) = page(&app, "/pledges/new", Some(&delegate)).await;
        assert!(
            html.contains("name=\"member_state\" type=\"text\" value=\"PAK\"")
                && html.contains("readonly")
        );
        let (answer, _) = submit(
            &app,
            "/pledges/new",
            &[
                ("member_state", "IND"),
                ("capability", "QRF-COY"),
                ("quantity", "1"),
                ("pledge_ref", "D-1"),
            ],
            &delegate,
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "a delegate records for its own state"
        );
        let theirs = app
            .get("/api/v1/pledges?member_state=IND&limit=1000")
            .await
            .json;
        assert!(
            theirs["items"]
                .as_array()
                .is_some_and(|items| items.iter().all(|p| p["pledge_ref"] != "D-1")),
            "not for another state, whatever the form says"
        );
        let mine = app
            .get("/api/v1/pledges?member_state=PAK&limit=1000")
            .await
            .json;
        assert!(
            mine["items"]
                .as_array()
                .is_some_and(|items| items.iter().any(|p| p["pledge_ref"] == "D-1"))
        );
    }
}

#[tokio::test]
async fn the_pledge_list_filters_sorts_pages_and_links_its_csv() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let (all, html) = page(&app, "/pledges", Some(&cookie)).await;
        assert_eq!(all.status, StatusCode::OK, "{}", app.backend);
        let total = count(&app, "").await;
        assert!(
            html.contains(&format!(
                "{total} pledges · page 1 of {}",
                total.div_ceil(50)
            )),
            "{total}"
        );
        assert!(html.contains("rel=\"next\""));

        let (pak, html) = page(
            &app,
            "/pledges?member_state=Pakistan&sort=quantity&order=desc",
            Some(&cookie),
        )
        .await;
        assert_eq!(pak.status, StatusCode::OK);
        let n = count(&app, "member_state=PAK").await;
        assert!(html.contains(&format!("{n} pledges · page 1 of 1")));
        assert!(html.contains("href=\"/api/v1/exports/pledges.csv?member_state=Pakistan\""));
        assert!(html.contains("aria-sort=\"descending\""));
        let quantities: Vec<u64> = html
            .split("<tr><td>PAK</td>")
            .skip(1)
            .filter_map(|row| {
                row.split("<td")
                    .nth(3)?
                    .split_once('>')?
                    .1
                    .split("</td>")
                    .next()?
                    .parse()
                    .ok()
            })
            .collect();
        assert_eq!(quantities.len(), n, "{html}");
        assert!(
            quantities.windows(2).all(|w| w[0] >= w[1]),
            "largest first: {quantities:?}"
        );

        let (bad, html) = page(&app, "/pledges?member_state=Pakistn", Some(&cookie)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("Pakistan"),
            "the filter's error suggests the state"
        );
    }
}

#[tokio::test]
async fn an_edit_from_a_stale_page_shows_what_the_colleague_changed_instead_of_overwriting() {
    for app in apps(false).await {
        let created = app
            .post(
                "/api/v1/pledges",
                &app.planner,
                pledge_body("PAK", "EDIT-1"),
            )
            .await;
        let id = created.json["id"].as_i64().unwrap_or_default();
        let cookie = log_in(&app, &app.planner).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        assert!(html.contains("name=\"version\" value=\"1\""));
        // A colleague changes the quantity through the API meanwhile.
        let theirs = app
            .patch(
                &format!("/api/v1/pledges/{id}"),
                &app.admin,
                None,
                serde_json::json!({"quantity": 3}),
            )
            .await;
        assert_eq!(theirs.status, StatusCode::OK);

        let mine = [
            ("version", "1"),
            ("base.quantity", "2"),
            ("capability", "HEL-UTIL"),
            ("quantity", "5"),
            ("personnel", "80"),
            ("female_personnel", "8"),
            ("readiness", "L3"),
            ("status", "pledged"),
            ("mission", "MINUSCA"),
            ("conference", "ISB-2025"),
            ("partners", "JPN:equips"),
        ];
        let (stale, html) = submit(&app, &format!("/pledges/{id}"), &mine, &cookie).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", app.backend);
        assert!(
            html.contains("Not saved: test admin changed this pledge"),
            "{html}"
        );
        assert!(
            html.contains("<th scope=\"row\">Quantity</th><td>2</td>")
                && html.contains("value=\"theirs\"> theirs: 3"),
            "both changed the quantity: shown side by side, {html}"
        );
        assert!(
            html.contains("name=\"quantity\" type=\"text\" value=\"5\""),
            "the planner's values are kept"
        );
        assert!(html.contains("name=\"version\" value=\"2\""));
        let now = app.get(&format!("/api/v1/pledges/{id}")).await.json;
        assert_eq!(
            now["quantity"], 3,
            "the colleague's change was not overwritten"
        );

        let mut again = mine;
        again[0] = ("version", "2");
        let (saved, html) = submit(&app, &format!("/pledges/{id}"), &again, &cookie).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{html}");
        let now = app.get(&format!("/api/v1/pledges/{id}")).await.json;
        assert_eq!(
            (now["quantity"].as_i64(), now["readiness"].as_str()),
            (Some(5), Some("L3"))
        );
        assert_eq!(
            now["equipment"].as_array().map(Vec::len),
            Some(1),
            "fields not on the form are kept"
        );
        let (_, html) = page(&app, &format!("/pledges/{id}?saved"), Some(&cookie)).await;
        assert!(html.contains("Saved: version 3."));
        assert!(
            html.contains("<li>Quantity: 3 → 5</li>") && html.contains("<li>Quantity: 2 → 3</li>"),
            "history"
        );

        let (withdrawn, _) = submit(
            &app,
            &format!("/pledges/{id}/withdraw"),
            &[("version", "3"), ("confirm", "yes")],
            &cookie,
        )
        .await;
        assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
        let now = app.get(&format!("/api/v1/pledges/{id}")).await.json;
        assert_eq!(now["status"], "withdrawn");
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        assert!(!html.contains("Withdraw this pledge"));
    }
}

#[tokio::test]
async fn the_import_page_previews_shows_bad_rows_and_applies_only_when_asked() {
    for app in apps(false).await {
        let cookie = log_in(&app, &app.planner).await;
        let (blank, html) = page(&app, "/import", Some(&cookie)).await;
        assert_eq!(blank.status, StatusCode::OK);
        assert!(html.contains("<label for=\"import-file\">"));
        let bad = b"pledge_ref,member_state,capability,quantity\nIMP-1,PAK,QRF-COY,1\nIMP-2,Pakistn,QRF-COY,1\n";
        let (answer, html) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("pledges.csv"), bad),
                ("action", None, b"preview"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert!(
            html.contains("pledges.csv cannot be imported: 1 problem. Nothing was saved."),
            "{html}"
        );
        // The count agrees with its noun, in French too, and more than one is plural.
        let french = format!("{cookie}; pb_lang=fr");
        let two_bad = b"pledge_ref,member_state,capability,quantity\nIMP-1,Pakistn,QRF-COY,1\nIMP-2,Pakistn,QRF-COY,1\n";
        for (file, cookie, said) in [
            (
                &bad[..],
                &french,
                "pledges.csv ne peut pas être importé\u{a0}: 1\u{a0}problème.",
            ),
            (
                &two_bad[..],
                &cookie,
                "pledges.csv cannot be imported: 2 problems.",
            ),
            (
                &two_bad[..],
                &french,
                "pledges.csv ne peut pas être importé\u{a0}: 2\u{a0}problèmes.",
            ),
        ] {
            let (_, html) = post_multipart(
                &app,
                "/import",
                &[
                    ("file", Some("pledges.csv"), file),
                    ("action", None, b"preview"),
                ],
                cookie,
            )
            .await;
            assert!(html.contains(said), "{said} in {html}");
        }
        assert!(
            html.contains(
                "<tr class=\"bad-row\" role=\"row\"><td role=\"cell\" class=\"num\" \
                 data-label=\"Line\">3</td><td role=\"cell\" data-label=\"Column\">member_state</td>\
                 <td role=\"cell\" data-label=\"Value\">Pakistn</td>"
            ),
            "{html}"
        );
        let fixed = b"pledge_ref,member_state,capability,quantity\nIMP-1,PAK,QRF-COY,1\nIMP-2,Pakistan,QRF-COY,1\n";
        let (preview, html) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("pledges.csv"), fixed),
                ("action", None, b"preview"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(html.contains("Preview of pledges.csv: nothing has been saved yet."));
        assert!(
            html.contains(
                "<tbody role=\"rowgroup\"><tr role=\"row\"><td role=\"cell\" class=\"num\">2</td>\
                 <td role=\"cell\" class=\"num\">2</td><td role=\"cell\" class=\"num\">0</td>\
                 <td role=\"cell\" class=\"num\">0</td>\
                 <td role=\"cell\" class=\"num\" id=\"import-estimated\">2</td></tr></tbody>"
            ),
            "{html}"
        );
        assert_eq!(count(&app, "").await, 0, "a preview saves nothing");
        let (applied, html) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("pledges.csv"), fixed),
                ("action", None, b"apply"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(applied.status, StatusCode::OK);
        assert!(html.contains("Applied pledges.csv: 2 created, 0 updated, 0 unchanged."));
        assert_eq!(count(&app, "").await, 2);
    }
}

#[tokio::test]
async fn rows_past_the_preview_are_counted_in_the_singular_and_the_plural() {
    use pledgeboard_domain::import_preview::PREVIEW_ROWS;

    // One row more than the preview shows, then two more: "1 more row", "2 more rows", in
    // English and French, before and after applying.
    let file = |rows: usize| {
        let mut csv = String::from("pledge_ref,member_state,capability,quantity\n");
        for i in 0..rows {
            csv.push_str(&format!("MORE-{i},PAK,QRF-COY,1\n"));
        }
        csv.into_bytes()
    };
    let nb = '\u{a0}';
    for app in apps(false).await {
        let cookie = log_in(&app, &app.planner).await;
        let french = format!("{cookie}; pb_lang=fr");
        let one_more = file(PREVIEW_ROWS + 1);
        let two_more = file(PREVIEW_ROWS + 2);
        for (file, cookie, action, said) in [
            (
                &one_more,
                &cookie,
                "preview",
                "… and 1 more row to create or update.".to_owned(),
            ),
            (
                &two_more,
                &cookie,
                "preview",
                "… and 2 more rows to create or update.".to_owned(),
            ),
            (
                &one_more,
                &french,
                "preview",
                format!("… et 1{nb}autre ligne à créer ou mettre à jour."),
            ),
            (
                &two_more,
                &french,
                "preview",
                format!("… et 2{nb}autres lignes à créer ou mettre à jour."),
            ),
            (
                &one_more,
                &cookie,
                "apply",
                "… and 1 more row created or updated.".to_owned(),
            ),
        ] {
            let (answer, html) = post_multipart(
                &app,
                "/import",
                &[
                    ("file", Some("pledges.csv"), file),
                    ("action", None, action.as_bytes()),
                ],
                cookie,
            )
            .await;
            assert_eq!(answer.status, StatusCode::OK, "{}: {html}", app.backend);
            assert!(html.contains(&said), "{}: {said} in {html}", app.backend);
        }
    }
}

#[tokio::test]
async fn a_country_page_shows_the_apis_figures_and_prints() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let (answer, html) = page(&app, "/countries/PAK", Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        let report = app.get("/api/v1/reports/countries/PAK").await.json;
        // The page groups digits (1,564); the figures are the API's.
        let shown = |id: &str| {
            html.split(&format!("id=\"{id}\">"))
                .nth(1)
                .and_then(|r| r.split("</td>").next())
                .unwrap_or_default()
                .replace(',', "")
        };
        for (id, key) in [
            ("total-pledges", "pledges"),
            ("total-quantity", "quantity"),
            ("total-personnel", "personnel"),
        ] {
            assert_eq!(shown(id), report[key].to_string(), "{id}");
        }
        assert_eq!(
            shown("total-cost"),
            report["monthly_cost_usd"].as_str().unwrap_or_default()
        );
        assert!(
            html.contains("class=\"gender-bar\"") && html.contains("target"),
            "the gender bar is drawn"
        );
        assert!(html.contains("href=\"/api/v1/reports/countries/PAK.csv\""));

        let (filtered, html) =
            page(&app, "/countries/PAK?conference=ISB-2025", Some(&cookie)).await;
        assert_eq!(filtered.status, StatusCode::OK);
        let report = app
            .get("/api/v1/reports/countries/PAK?conference=ISB-2025")
            .await
            .json;
        assert!(html.contains(&format!("id=\"total-pledges\">{}</td>", report["pledges"])));
        assert!(html.contains("href=\"/api/v1/reports/countries/PAK.csv?conference=ISB-2025\""));

        let (_, css) = page(&app, "/assets/pledgeboard.css", None).await;
        assert!(
            css.contains("@media print") && css.contains("@page"),
            "an A4 print layout"
        );
        let (missing, _) = page(&app, "/countries/Atlantis", Some(&cookie)).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn admins_edit_requirements_on_their_page() {
    for app in apps(true).await {
        let admin = log_in(&app, &app.admin).await;
        let first = app.get("/api/v1/requirements").await.json["items"][0].clone();
        let id = first["id"].as_i64().unwrap_or_default();
        let (_, html) = page(&app, &format!("/requirements?edit={id}"), Some(&admin)).await;
        assert!(html.contains(&format!("Edit requirement {id}")));
        let quantity = (first["quantity"].as_i64().unwrap_or_default() + 7).to_string();
        let version = first["version"].to_string();
        let id_text = id.to_string();
        let fields = [
            ("id", id_text.as_str()),
            ("version", version.as_str()),
            ("mission", first["mission"].as_str().unwrap_or_default()),
            (
                "capability",
                first["capability"].as_str().unwrap_or_default(),
            ),
            ("quantity", quantity.as_str()),
            ("personnel", "0"),
            ("needed_by", first["needed_by"].as_str().unwrap_or_default()),
            ("priority", first["priority"].as_str().unwrap_or_default()),
        ];
        let (saved, _) = submit(&app, "/requirements", &fields, &admin).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", app.backend);
        let now = app.get(&format!("/api/v1/requirements/{id}")).await.json;
        assert_eq!(now["quantity"].to_string(), quantity);

        let (bad, html) = submit(
            &app,
            "/requirements",
            &[
                ("mission", "MINUSCA"),
                ("capability", "QRF-COY"),
                ("quantity", "x"),
                ("needed_by", "2026-13-01"),
                ("priority", "normal"),
            ],
            &admin,
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            !error_beside(&html, "quantity").is_empty()
                && !error_beside(&html, "needed_by").is_empty()
        );

        let planner = log_in(&app, &app.planner).await;
        let (refused, _) = submit(&app, "/requirements", &fields, &planner).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
}
