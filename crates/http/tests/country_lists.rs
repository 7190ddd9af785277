//! The lists a planner reads at the meeting: one state's page (its pledges, firm line,
//! renewals under the conference and as-of filters), the all-states table for a conference,
//! the pledge list's totals and "L2 or above" filter, and the renewals list's filters — each
//! against the API's answer for the same question.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::pages::{log_in, page};
use support::shortcuts::{create, csv_rows, json_ok};
use support::{TestApp, apps, pledge_body};

/// A count as pages write it: `1564` → `1,564`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The text of an HTML fragment, its tags removed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The part of `html` from the element starting `start` to its `</table>`.
fn table<'a>(html: &'a str, start: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page"));
    let rest = &html[from..];
    &rest[..rest.find("</table>").unwrap_or(rest.len())]
}

/// The body rows of a table fragment, each as its cells' texts.
fn body_rows(fragment: &str) -> Vec<Vec<String>> {
    let body = fragment
        .split_once("<tbody>")
        .map(|(_, b)| b.split("</tbody>").next().unwrap_or_default())
        .unwrap_or_default();
    body.split("<tr")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = cell.split_once('>').map_or("", |(_, r)| r);
                    text_of(inner.split("</td>").next().unwrap_or_default())
                })
                .collect()
        })
        .collect()
}

fn items(v: &Value) -> Vec<Value> {
    v["items"].as_array().cloned().unwrap_or_default()
}

fn refs(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["pledge_ref"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_default()
}

#[tokio::test]
async fn the_country_page_lists_the_pledges_the_api_lists_and_its_firm_line() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let (answer, html) = page(&app, "/countries/PAK?conference=ISB-2023", Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        let listed = items(
            &json_ok(
                &app,
                "/api/v1/pledges?member_state=PAK&conference=ISB-2023&lineage=current&limit=1000",
            )
            .await,
        );
        assert!(listed.len() > 5, "the demo has PAK pledges at ISB-2023");
        let catalog = app.state.catalog();
        let expected: Vec<Vec<String>> = listed
            .iter()
            .map(|p| {
                let text = |k: &str| p[k].as_str().unwrap_or("—").to_owned();
                vec![
                    text("pledge_ref"),
                    catalog.capability_label(p["capability"].as_str().unwrap_or_default()),
                    grouped(n(&p["quantity"])),
                    grouped(n(&p["personnel"])),
                    grouped(n(&p["female_personnel"])),
                    text("readiness"),
                    text("status"),
                    text("mission"),
                    text("conference"),
                ]
            })
            .collect();
        let shown = body_rows(table(&html, "<table class=\"country-pledges\""));
        assert_eq!(shown, expected, "{}", app.backend);
        for p in &listed {
            assert!(html.contains(&format!("<a href=\"/pledges/{}\">", p["id"])));
        }
        assert!(
            html.contains(
                "href=\"/pledges?member_state=PAK&#38;conference=ISB-2023&#38;lineage=current\""
            ),
            "{}",
            &html[html.find("pledge list").unwrap_or(0).saturating_sub(120)..][..200]
        );

        // Firm: active pledges at L2 or above, counted from the API's pledges.
        let active: Vec<&Value> = listed
            .iter()
            .filter(|p| p["status"] != "withdrawn")
            .collect();
        let firm: Vec<&&Value> = active
            .iter()
            .filter(|p| ["L2", "L3", "RDL"].contains(&p["readiness"].as_str().unwrap_or_default()))
            .collect();
        let firm_personnel: u64 = firm.iter().map(|p| n(&p["personnel"])).sum();
        let personnel: u64 = active.iter().map(|p| n(&p["personnel"])).sum();
        let line = format!(
            "{} of {} pledges, {} of {} personnel at L2 or above",
            firm.len(),
            active.len(),
            grouped(firm_personnel),
            grouped(personnel),
        );
        assert!(html.contains(&line), "{}: {line}", app.backend);
        assert!(
            !firm.is_empty() && firm.len() < active.len(),
            "a line that says something"
        );

        // Names, never snake_case keys; the gap table said for what it is.
        assert!(html.contains("Requirements its pledges count toward"));
        assert!(html.contains("Remaining gap"));
        assert!(html.contains("Safety and security") || html.contains("Women, peace and security"));
        assert!(!html.contains(">safety_security<") && !html.contains(">wps<"));
        assert!(!html.contains(">staff_observer<") && !html.contains(">contingent<"));
        assert!(html.contains("Printed ") && html.contains("as it stands now"));
        assert!(
            html.contains("Islamabad"),
            "the conference is named on the page"
        );
    }
}

/// Records, for PAK, one pledge due for renewal at ISB-2023 and one at ACC-2023 (both overdue:
/// registered in 2020, never renewed); returns their references.
async fn overdue_pledges(app: &TestApp) -> (String, String) {
    for (reference, conference) in [("LISTS-ISB", "ISB-2023"), ("LISTS-ACC", "ACC-2023")] {
        let mut body = pledge_body("PAK", reference);
        body["conference"] = json!(conference);
        body["registered_on"] = json!("2020-01-15");
        body["partners"] = json!([]);
        create(app, body).await;
    }
    ("LISTS-ISB".into(), "LISTS-ACC".into())
}

#[tokio::test]
async fn the_country_pages_renewals_agree_with_the_apis_under_the_conference_and_as_of_filters() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let before = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let (isb, acc) = overdue_pledges(&app).await;

        let unfiltered = items(&json_ok(&app, "/api/v1/reports/renewals?member_state=PAK").await);
        assert!(refs(&unfiltered).contains(&isb) && refs(&unfiltered).contains(&acc));

        for (query, present, absent) in [
            ("conference=ISB-2023", Some(&isb), Some(&acc)),
            ("conference=ACC-2023", Some(&acc), Some(&isb)),
            (
                &*format!(
                    "conference=ISB-2023&as_of={}",
                    before.to_rfc3339().replace('+', "%2B")
                ),
                None,
                Some(&isb),
            ),
        ] {
            let (answer, html) =
                page(&app, &format!("/countries/PAK?{query}"), Some(&cookie)).await;
            assert_eq!(answer.status, StatusCode::OK, "{}: {query}", app.backend);
            let report = json_ok(&app, &format!("/api/v1/reports/countries/PAK?{query}")).await;
            let api = items(
                &json_ok(
                    &app,
                    &format!("/api/v1/reports/renewals?member_state=PAK&{query}"),
                )
                .await,
            );
            let in_report = report["renewals"].as_array().cloned().unwrap_or_default();
            let shown: Vec<String> = body_rows(table(&html, "<table class=\"country-renewals\""))
                .into_iter()
                .filter(|cells| cells.len() == 4)
                .map(|cells| cells[0].clone())
                .collect();
            assert_eq!(
                shown,
                refs(&api),
                "{}: {query}: the page lists the API's renewals",
                app.backend
            );
            assert_eq!(
                refs(&in_report),
                refs(&api),
                "{query}: the country report lists the same"
            );
            assert_eq!(
                shown.len() as u64,
                n(&report["renewals_due"]),
                "{query}: as many listed as counted"
            );
            assert!(html.contains(&format!(
                "id=\"total-renewals\">{}</td>",
                report["renewals_due"]
            )));
            if let Some(p) = present {
                assert!(shown.contains(p), "{query}: {p}");
            }
            if let Some(a) = absent {
                assert!(!shown.contains(a), "{query}: not {a}");
            }
            assert!(
                shown.len() < unfiltered.len(),
                "{query}: the filter leaves some out"
            );
        }
        let (_, html) = page(
            &app,
            &format!(
                "/countries/PAK?as_of={}",
                before.format("%Y-%m-%dT%H:%M:%SZ")
            ),
            Some(&cookie),
        )
        .await;
        let listed = |html: &str| -> Vec<String> {
            body_rows(table(html, "<table class=\"country-pledges\""))
                .into_iter()
                .map(|cells| cells[0].clone())
                .collect()
        };
        assert!(
            !listed(&html).contains(&isb) && !listed(&html).contains(&acc),
            "{}: as of a moment before they were recorded",
            app.backend
        );
        let (_, now) = page(&app, "/countries/PAK", Some(&cookie)).await;
        assert!(listed(&now).contains(&isb) && listed(&now).contains(&acc));
        assert!(html.contains(&format!(
            "as it stood at {}",
            before.format("%Y-%m-%d %H:%M UTC")
        )));
        let (bad, _) = page(&app, "/countries/PAK?as_of=yesterday", Some(&cookie)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn the_all_states_table_obeys_the_conference_and_shows_how_it_is_sorted() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let path = "/countries?conference=ISB-2025&sort=personnel&order=desc";
        let (answer, html) = page(&app, path, Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        let all = json_ok(&app, "/api/v1/reports/countries").await;
        let report = json_ok(&app, "/api/v1/reports/countries?conference=ISB-2025").await;
        assert!(
            n(&report["totals"]["pledges"]) < n(&all["totals"]["pledges"]),
            "the conference narrows the table"
        );
        let foot = html.split("<tfoot>").nth(1).unwrap_or_default();
        assert!(foot.contains(&format!(
            "<td>{} member states</td>",
            report["totals"]["member_states"]
        )));
        assert!(foot.contains(&format!(
            "<td class=\"num\">{}</td>",
            grouped(n(&report["totals"]["personnel"]))
        )));
        let body_rows = html
            .matches("<tr><th scope=\"row\"><a href=\"/countries/")
            .count();
        assert_eq!(body_rows, report["rows"].as_array().map_or(0, Vec::len));
        assert!(html.contains("<option value=\"ISB-2025\" selected>"));
        assert!(
            html.contains(
                "aria-sort=\"descending\"><a href=\"/countries?conference=ISB-2025&#38;sort=personnel&#38;order=asc\">Personnel <span aria-hidden=\"true\">▼</span>"
            ),
            "{}",
            &html[html.find("<thead>").unwrap_or(0)..][..600]
        );
        assert_eq!(html.matches("aria-sort=\"none\"").count(), 10);
        assert!(html.contains("href=\"/api/v1/reports/countries.csv?conference=ISB-2025\""));
        let (_, html) = page(&app, "/countries?sort=name", Some(&cookie)).await;
        assert!(html.contains("aria-sort=\"ascending\"><a href=\"/countries?sort=name&#38;order=desc\">Name <span aria-hidden=\"true\">▲</span>"));
        let (bad, _) = page(&app, "/countries?conference=NOWHERE", Some(&cookie)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

/// The totals row of a `/pledges` page: pledges, quantity, personnel, women.
fn pledge_totals(html: &str) -> (String, String, String, String) {
    let foot = html
        .split("<tr id=\"pledges-totals\">")
        .nth(1)
        .unwrap_or_default();
    let cell = |id: &str| {
        foot.split(&format!("id=\"{id}\">"))
            .nth(1)
            .and_then(|r| r.split('<').next())
            .unwrap_or_default()
            .to_owned()
    };
    let count = foot
        .split("Total of the ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap_or_default()
        .to_owned();
    (
        count,
        cell("totals-quantity"),
        cell("totals-personnel"),
        cell("totals-women"),
    )
}

/// The API's sums over every pledge of a list query.
async fn api_sums(app: &TestApp, query: &str) -> (String, String, String, String) {
    let listed = items(&json_ok(app, &format!("/api/v1/pledges?limit=1000&{query}")).await);
    let sum = |k: &str| grouped(listed.iter().map(|p| n(&p[k])).sum());
    (
        grouped(listed.len() as u64),
        sum("quantity"),
        sum("personnel"),
        sum("female_personnel"),
    )
}

#[tokio::test]
async fn the_pledge_list_totals_every_matching_pledge_and_filters_l2_or_above() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let all = api_sums(&app, "").await;
        let (answer, html) = page(&app, "/pledges", Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        assert!(
            html.contains("Next page"),
            "more pledges than one page holds"
        );
        assert_eq!(
            pledge_totals(&html),
            all,
            "{}: over every page",
            app.backend
        );
        assert!(html.contains(">Women") && html.contains(">Conference"));
        assert!(html.contains("Infantry battalion (INF-BN)"));

        for query in [
            "member_state=PAK",
            "readiness_min=L2",
            "member_state=PAK&readiness_min=L3",
        ] {
            let (answer, html) = page(&app, &format!("/pledges?{query}"), Some(&cookie)).await;
            assert_eq!(answer.status, StatusCode::OK, "{query}");
            assert_eq!(pledge_totals(&html), api_sums(&app, query).await, "{query}");
        }
        let firm = items(&json_ok(&app, "/api/v1/pledges?limit=1000&readiness_min=L2").await);
        let by_level: usize = {
            let mut count = 0;
            for level in ["L2", "L3", "RDL"] {
                count += items(
                    &json_ok(
                        &app,
                        &format!("/api/v1/pledges?limit=1000&readiness={level}"),
                    )
                    .await,
                )
                .len();
            }
            count
        };
        assert_eq!(firm.len(), by_level, "L2 or above is L2, L3 and RDL");
        assert!(firm.iter().all(|p| p["readiness"] != "L1"));
        assert!(!firm.is_empty());
        let (_, html) = page(&app, "/pledges?readiness_min=L2", Some(&cookie)).await;
        assert!(html.contains("<option value=\"L2\" selected>L2 or above (firm)</option>"));
        assert!(html.contains("/api/v1/exports/pledges.csv?readiness_min=L2"));
        let exported = csv_rows(&app, "/api/v1/exports/pledges.csv?readiness_min=L2").await;
        assert_eq!(
            exported.len(),
            firm.len(),
            "the CSV of this list holds the same pledges"
        );

        let bad = app.get("/api/v1/pledges?readiness_min=L9").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.json.to_string().contains("readiness_min"),
            "{}",
            bad.json
        );
        let (none, html) = page(
            &app,
            "/pledges?member_state=PAK&status=withdrawn",
            Some(&cookie),
        )
        .await;
        assert_eq!(none.status, StatusCode::OK);
        assert_eq!(
            pledge_totals(&html).0,
            "0",
            "no pledge matches: totals of nothing"
        );
    }
}

#[tokio::test]
async fn the_renewals_list_links_its_pledges_and_filters_by_state_and_mission() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        overdue_pledges(&app).await;
        let everything = items(&json_ok(&app, "/api/v1/reports/renewals").await);
        for query in [
            "member_state=PAK",
            "mission=MINUSCA",
            "member_state=Pakistan&mission=MINUSCA",
        ] {
            let api = items(&json_ok(&app, &format!("/api/v1/reports/renewals?{query}")).await);
            assert!(
                !api.is_empty() && api.len() < everything.len(),
                "{}: {query}",
                app.backend
            );
            let (answer, html) = page(&app, &format!("/renewals?{query}"), Some(&cookie)).await;
            assert_eq!(answer.status, StatusCode::OK, "{query}");
            let shown: Vec<String> = body_rows(table(&html, "<table class=\"renewals\""))
                .into_iter()
                .map(|cells| cells[2].clone())
                .collect();
            assert_eq!(shown, refs(&api), "{query}");
            for line in &api {
                assert!(html.contains(&format!(
                    "<a href=\"/pledges/{}\">{}</a>",
                    line["pledge_id"],
                    line["pledge_ref"].as_str().unwrap_or_default()
                )));
            }
        }
        let by_mission = items(&json_ok(&app, "/api/v1/reports/renewals?mission=MINUSCA").await);
        let ids: BTreeSet<i64> = by_mission
            .iter()
            .filter_map(|l| l["pledge_id"].as_i64())
            .collect();
        for id in ids {
            let pledge = json_ok(&app, &format!("/api/v1/pledges/{id}")).await;
            assert_eq!(pledge["mission"], "MINUSCA");
        }
        let (bad, html) = page(&app, "/renewals?member_state=Pakistn", Some(&cookie)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("role=\"alert\"") && html.contains("Pakistan"),
            "did you mean, beside the field"
        );
        let bad = app.get("/api/v1/reports/renewals?mission=Atlantis").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

/// The `enum` of a query parameter's schema (given, or sent empty).
fn parameter_words(doc: &Value, path: &str, name: &str) -> Vec<String> {
    let parameters = doc["paths"][path]["get"]["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let parameter = parameters
        .into_iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("GET {path} has no parameter {name}"));
    let schema = &parameter["schema"];
    let words = if schema["anyOf"].is_array() {
        &schema["anyOf"][0]["enum"]
    } else {
        &schema["enum"]
    };
    words
        .as_array()
        .map(|w| {
            w.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_openapi_document_states_the_new_filters() {
    let apps = apps(false).await;
    let app = &apps[0];
    let doc = json_ok(app, "/api/v1/openapi.json").await;
    assert_eq!(
        parameter_words(&doc, "/api/v1/pledges", "readiness_min"),
        ["L1", "L2", "L3", "RDL"]
    );
    assert!(
        parameter_words(&doc, "/api/v1/reports/renewals", "member_state").contains(&"PAK".into())
    );
    assert!(
        parameter_words(&doc, "/api/v1/reports/renewals", "mission").contains(&"MINUSCA".into())
    );
    assert!(
        parameter_words(&doc, "/api/v1/reports/renewals", "conference")
            .contains(&"ISB-2023".into())
    );
    let renewals = doc["paths"]["/api/v1/reports/renewals"]["get"]["parameters"].to_string();
    assert!(renewals.contains("\"as_of\""), "{renewals}");
}
