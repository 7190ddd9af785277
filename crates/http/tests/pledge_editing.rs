//! Entering and editing pledges as a planner does: every mistake of a form at once, names and
//! thousands separators accepted, withdrawal confirmed, an admin's reinstatement, and an edit
//! conflict merged so that a colleague's change survives.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::pages::{error_beside, log_in, page, submit};
use support::{TestApp, apps, pledge_body};

/// The values a browser would send for the form `form_id` on `html`: its text inputs, hidden
/// inputs, chosen options and text areas (enough for Pledgeboard's own forms).
fn form_values(html: &str, form_id: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("id=\"{form_id}\"")).unwrap_or_default();
    let form = &html[start..];
    let form = &form[..form.find("</form>").unwrap_or(form.len())];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let marker = format!("{name}=\"");
        let from = tag.find(&marker)? + marker.len();
        tag[from..].split('"').next().map(unescape)
    };
    let mut values = Vec::new();
    for piece in form.split('<').skip(1) {
        let tag = piece.split('>').next().unwrap_or_default();
        if tag.starts_with("input") {
            if let (Some(n), Some(v)) = (attr(tag, "name"), attr(tag, "value")) {
                values.push((n, v));
            }
        } else if tag.starts_with("textarea") {
            let text = piece.split_once('>').map(|(_, t)| t).unwrap_or_default();
            if let Some(n) = attr(tag, "name") {
                values.push((n, unescape(text)));
            }
        } else if tag.starts_with("select") {
            let name = attr(tag, "name").unwrap_or_default();
            let body = &form[form.find(tag).unwrap_or_default()..];
            let body = &body[..body.find("</select>").unwrap_or(body.len())];
            let chosen = body
                .split("<option ")
                .find(|o| {
                    o.split('>')
                        .next()
                        .unwrap_or_default()
                        .contains(" selected")
                })
                .and_then(|o| attr(o, "value"))
                .unwrap_or_default();
            values.push((name, chosen));
        }
    }
    values
}

fn unescape(text: &str) -> String {
    text.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn set(values: &mut Vec<(String, String)>, name: &str, value: &str) {
    match values.iter_mut().find(|(n, _)| n == name) {
        Some(slot) => slot.1 = value.to_owned(),
        None => values.push((name.to_owned(), value.to_owned())),
    }
}

fn pairs(values: &[(String, String)]) -> Vec<(&str, &str)> {
    values
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

async fn created(app: &TestApp, reference: &str) -> i64 {
    let answer = app
        .post(
            "/api/v1/pledges",
            &app.planner,
            pledge_body("PAK", reference),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", app.backend);
    answer.json["id"].as_i64().unwrap_or_default()
}

#[tokio::test]
async fn a_form_with_ten_mistakes_shows_every_one_at_once_and_no_false_one() {
    for app in apps(false).await {
        let cookie = log_in(&app, &app.planner).await;
        let (answer, html) = submit(
            &app,
            "/pledges/new",
            &[
                ("member_state", "Pakistn"),
                ("capability", "Infantry batallion"),
                ("quantity", "1,5"),
                ("personnel", "lots"),
                ("readiness", "L9"),
                ("available_from", "05/06/2026"),
                ("duration_months", "99"),
                ("mission", "MINUSKA"),
                ("conference", "ISB-2024"),
                ("monthly_cost_usd", "$1,000"),
                ("partners", "JPN-equips"),
                ("pledge_ref", ""),
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
        for field in [
            "member_state",
            "capability",
            "quantity",
            "personnel",
            "readiness",
            "available_from",
            "duration_months",
            "mission",
            "conference",
            "monthly_cost_usd",
            "partners",
        ] {
            assert!(!error_beside(&html, field).is_empty(), "{field}: {html}");
        }
        assert!(
            error_beside(&html, "capability").contains("Infantry battalion (INF-BN)"),
            "{html}"
        );
        assert!(error_beside(&html, "quantity").contains("1,000 or 1 000"));
        assert!(
            !error_beside(&html, "quantity").contains("required"),
            "an unreadable quantity is not also missing"
        );
        assert!(
            !html.contains("a pledge reference is required"),
            "a blank reference is numbered from the state, known or not"
        );
        assert_eq!(error_beside(&html, "pledge_ref"), "");
    }
}

#[tokio::test]
async fn names_and_thousands_separators_are_accepted_by_form_and_api() {
    for app in apps(false).await {
        let cookie = log_in(&app, &app.planner).await;
        let (saved, html) = submit(
            &app,
            "/pledges/new",
            &[
                ("member_state", "Pakistan"),
                ("capability", "Staff officers"),
                ("quantity", "1,000"),
                ("personnel", "1 000"),
                (
                    "mission",
                    "United Nations Mission in the Republic of South Sudan",
                ),
                ("pledge_ref", ""),
            ],
            &cookie,
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{html}");
        let id = saved
            .header("location")
            .unwrap_or_default()
            .rsplit('=')
            .next()
            .unwrap_or_default()
            .to_owned();
        let pledge = app.get(&format!("/api/v1/pledges/{id}")).await.json;
        assert_eq!(
            (
                &pledge["capability"],
                &pledge["quantity"],
                &pledge["personnel"],
                &pledge["mission"]
            ),
            (&json!("SO"), &json!(1000), &json!(1000), &json!("UNMISS"))
        );

        let mut body = pledge_body("PAK", "NAMED-1");
        body["capability"] = json!("Infantry battalion");
        let answer = app.post("/api/v1/pledges", &app.planner, body).await;
        assert_eq!(answer.status, StatusCode::CREATED);
        assert_eq!(answer.json["capability"], "INF-BN");

        let mut body = pledge_body("PAK", "NAMED-2");
        body["capability"] = json!("Infantry batallion");
        let answer = app.post("/api/v1/pledges", &app.planner, body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            answer.json["errors"][0]["message"],
            "unknown capability 'Infantry batallion' — did you mean Infantry battalion (INF-BN)?"
        );
    }
}

#[tokio::test]
async fn withdrawal_is_confirmed_first_and_an_admin_reinstates_the_status_it_had() {
    for app in apps(false).await {
        let id = created(&app, "WD-1").await;
        let path = format!("/api/v1/pledges/{id}");
        let verified = app
            .patch(&path, &app.admin, None, json!({"status": "verified"}))
            .await;
        assert_eq!(verified.status, StatusCode::OK);

        let cookie = log_in(&app, &app.planner).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        assert!(html.contains("data-confirm=\"Withdraw PAK WD-1?"), "{html}");
        let (asked, html) = submit(
            &app,
            &format!("/pledges/{id}/withdraw"),
            &[("version", "2")],
            &cookie,
        )
        .await;
        assert_eq!(asked.status, StatusCode::OK);
        assert!(html.contains("Withdraw PAK WD-1?") && html.contains("Yes, withdraw it"));
        assert_eq!(
            app.get(&path).await.json["status"],
            "verified",
            "nothing is withdrawn before it is confirmed"
        );
        let (done, _) = submit(
            &app,
            &format!("/pledges/{id}/withdraw"),
            &[("version", "2"), ("confirm", "yes")],
            &cookie,
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get(&path).await.json["status"], "withdrawn");

        // A planner may not reinstate, on the page or through the API.
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        assert!(!html.contains("Reinstate this pledge"));
        let (refused, html) = submit(
            &app,
            &format!("/pledges/{id}/reinstate"),
            &[("version", "3")],
            &cookie,
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{html}");
        let reinstate = format!("{path}/reinstate");
        let refused = app
            .call(Method::POST, &reinstate, Some(&app.planner), &[], None)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.content_type, "application/problem+json");
        assert_eq!(refused.json["type"], "urn:pledgeboard:problem:forbidden");

        // An admin reinstates it through the API, with If-Match, to the status it had.
        let stale = app
            .call(
                Method::POST,
                &reinstate,
                Some(&app.admin),
                &[("if-match", "\"2\"")],
                None,
            )
            .await;
        assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
        let back = app
            .call(
                Method::POST,
                &reinstate,
                Some(&app.admin),
                &[("if-match", "\"3\"")],
                None,
            )
            .await;
        assert_eq!(back.status, StatusCode::OK, "{}", back.json);
        assert_eq!(
            (&back.json["status"], &back.json["version"]),
            (&json!("verified"), &json!(4))
        );
        let again = app
            .call(Method::POST, &reinstate, Some(&app.admin), &[], None)
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again.json["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("only a withdrawn pledge can be reinstated")
        );
        let history = app.get(&format!("{path}/history")).await.json;
        let events: Vec<&str> = history["items"]
            .as_array()
            .map(|items| items.iter().filter_map(|v| v["event"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(events, ["recorded", "changed", "withdrawn", "reinstated"]);
        assert_eq!(history["items"][3]["changes"][0]["field"], "status");
        let audit = app.get("/api/v1/audit?limit=1000").await.json;
        assert!(
            audit.to_string().contains("\"reinstate\""),
            "the reinstatement is audited: {audit}"
        );

        // And on the page, after another withdrawal.
        let withdrawn = app
            .call(
                Method::POST,
                &format!("{path}/withdraw"),
                Some(&app.planner),
                &[],
                None,
            )
            .await;
        assert_eq!(withdrawn.status, StatusCode::OK);
        let admin = log_in(&app, &app.admin).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&admin)).await;
        assert!(html.contains("It returns to verified"), "{html}");
        let (done, _) = submit(
            &app,
            &format!("/pledges/{id}/reinstate"),
            &[("version", "5")],
            &admin,
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(app.get(&path).await.json["status"], "verified");
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&admin)).await;
        assert!(html.contains("by test admin: reinstated"), "{html}");
        assert!(html.contains(": withdrawn"), "{html}");
    }
}

#[tokio::test]
async fn saving_again_after_a_conflict_applies_only_the_planners_changes() {
    for app in apps(false).await {
        let id = created(&app, "MERGE-1").await;
        let cookie = log_in(&app, &app.planner).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        let mut mine = form_values(&html, "edit-form");
        assert!(
            mine.iter().any(|(n, v)| n == "base.quantity" && v == "2"),
            "{mine:?}"
        );

        // A colleague adds a note and changes the quantity meanwhile.
        let theirs = app
            .patch(
                &format!("/api/v1/pledges/{id}"),
                &app.admin,
                None,
                json!({"notes": "NV received 3 May", "quantity": 3}),
            )
            .await;
        assert_eq!(theirs.status, StatusCode::OK);

        // The planner, on the old page, changes readiness and quantity.
        set(&mut mine, "readiness", "L3");
        set(&mut mine, "quantity", "5");
        let (stale, html) = submit(&app, &format!("/pledges/{id}"), &pairs(&mine), &cookie).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", app.backend);
        assert!(html.contains("Not saved: test admin changed this pledge"));
        assert!(
            html.contains("<th scope=\"row\">Notes</th><td>—</td><td>NV received 3 May</td>"),
            "their change is listed as kept: {html}"
        );
        assert!(
            html.contains("name=\"resolve.quantity\" value=\"theirs\"> theirs: 3")
                && html.contains("name=\"resolve.quantity\" value=\"yours\" checked> yours: 5"),
            "the field both changed is side by side: {html}"
        );
        let again = form_values(&html, "edit-form");
        let value = |n: &str| {
            again
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(value("notes"), "NV received 3 May");
        assert_eq!(value("readiness"), "L3");
        assert_eq!(value("version"), "2");
        assert_eq!(
            app.get(&format!("/api/v1/pledges/{id}")).await.json["quantity"],
            3,
            "nothing was saved"
        );

        // Save again, choosing their quantity.
        let mut again = again;
        again.push(("resolve.quantity".into(), "theirs".into()));
        let (saved, html) = submit(&app, &format!("/pledges/{id}"), &pairs(&again), &cookie).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{html}");
        let now = app.get(&format!("/api/v1/pledges/{id}")).await.json;
        assert_eq!(
            (&now["quantity"], &now["readiness"], &now["notes"]),
            (&json!(3), &json!("L3"), &json!("NV received 3 May")),
            "the planner's readiness applied; the colleague's note and chosen quantity kept"
        );
        assert_eq!(now["equipment"].as_array().map(Vec::len), Some(1));
    }
}

#[tokio::test]
async fn an_edit_with_an_unreadable_number_reports_every_other_mistake_too() {
    for app in apps(false).await {
        let id = created(&app, "EDIT-ERR-1").await;
        let cookie = log_in(&app, &app.planner).await;
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&cookie)).await;
        let mut mine = form_values(&html, "edit-form");
        set(&mut mine, "quantity", "ten");
        set(&mut mine, "mission", "MINUSKA");
        set(&mut mine, "renewed_on", "yesterday");
        let (answer, html) = submit(&app, &format!("/pledges/{id}"), &pairs(&mine), &cookie).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert!(
            unescape(&error_beside(&html, "quantity")).contains("'ten' is not a whole number"),
            "{}",
            error_beside(&html, "quantity")
        );
        assert!(error_beside(&html, "mission").contains("did you mean MINUSCA?"));
        assert!(error_beside(&html, "renewed_on").contains("YYYY-MM-DD"));
        set(&mut mine, "quantity", "1,200");
        set(&mut mine, "mission", "MINUSCA");
        set(&mut mine, "renewed_on", "");
        let (saved, html) = submit(&app, &format!("/pledges/{id}"), &pairs(&mine), &cookie).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{html}");
        assert_eq!(
            app.get(&format!("/api/v1/pledges/{id}")).await.json["quantity"],
            1200
        );
    }
}
