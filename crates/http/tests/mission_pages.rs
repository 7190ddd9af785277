//! The board, the mission page and `/requirements` against the coverage and allocation
//! reports: the same figures, names beside codes, dates gone by said in words.

mod support;

use axum::http::StatusCode;
use serde_json::Value;
use support::apps;
use support::pages::{log_in, page};

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn mission<'a>(report: &'a Value, acronym: &str) -> &'a Value {
    report["missions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["mission"] == acronym)
        .unwrap_or_else(|| panic!("{acronym} is in the report"))
}

/// The `<figure>` of one mission on the board.
fn card<'a>(html: &'a str, acronym: &str) -> &'a str {
    let start = html
        .find(&format!("<a href=\"/missions/{acronym}\"><strong>"))
        .unwrap_or_else(|| panic!("{acronym} has a card linking to its page"));
    let end = html[start..]
        .find("</figure>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[tokio::test]
async fn the_board_shows_each_mission_figures_and_its_open_critical_gaps_by_name() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.planner).await;
        let (answer, html) = page(&app, "/", Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        let report = app.get("/api/v1/reports/coverage").await.json;
        let minusca = mission(&report, "MINUSCA");
        let t = &minusca["totals"];
        let card = card(&html, "MINUSCA");
        assert!(
            card.contains(&format!(
                "requirements met {} of {}",
                t["requirements_met"], t["requirements"]
            )),
            "{card}"
        );
        assert!(card.contains(&format!(
            "({} %)",
            t["personnel_coverage_pct"].as_str().unwrap_or_default()
        )));
        let helicopters = minusca["requirements"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["capability"] == "HEL-UTIL")
            .cloned()
            .unwrap_or_default();
        assert!(n(&helicopters["gap"]) > 0, "the demo leaves HEL-UTIL open");
        let expected = format!(
            "Utility helicopter unit (HEL-UTIL): {} needed, {} pledged, needed by {}: <strong class=\"past\">past</strong>",
            helicopters["required"],
            helicopters["pledged"],
            helicopters["needed_by"].as_str().unwrap_or_default()
        );
        assert!(card.contains(&expected), "{card}");
        // Every open critical gap, and nothing else, is listed.
        let open_critical = n(&t["critical_open"]) as usize;
        assert_eq!(card.matches("<li>").count(), open_critical, "{card}");
        // The scale is visible, the grand total is the report's, and the time is given.
        assert!(card.contains("class=\"tick tick-50\">50 %</span>"));
        let all = &report["totals"];
        assert!(html.contains(&format!(
            "<tfoot><tr><th scope=\"row\">All missions</th><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            all["requirements"], all["requirements_met"]
        )));
        assert!(html.contains("Updated <time datetime=\""));
        assert!(!html.contains("A past moment"));
    }
}

#[tokio::test]
async fn the_board_as_of_a_past_moment_says_so_and_shows_that_moment() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.viewer).await;
        let (answer, html) = page(&app, "/?as_of=2020-01-01T00%3A00", Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        assert!(
            html.contains(
                "A past moment:</strong> the board as it stood at 2020-01-01 00:00:00 UTC"
            )
        );
        assert!(
            html.contains("value=\"2020-01-01T00:00:00\""),
            "the picker keeps the moment"
        );
        assert!(
            !html.contains("/missions/MINUSCA"),
            "nothing was required then"
        );
        assert!(!html.contains("Latest pledges"));
        let (bad, html) = page(&app, "/?as_of=yesterday", Some(&cookie)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("as_of"), "{html}");
    }
}

#[tokio::test]
async fn a_mission_page_lists_its_requirements_pledges_and_proposals() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.viewer).await;
        let (answer, html) = page(&app, "/missions/MINUSCA", Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        let report = app
            .get("/api/v1/reports/coverage?mission=MINUSCA")
            .await
            .json;
        for r in report["missions"][0]["requirements"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let row_start = html
                .find(&format!("<tr id=\"requirement-{}\"", r["requirement_id"]))
                .unwrap_or_else(|| panic!("a row for {}", r["capability"]));
            let row = &html[row_start..row_start + html[row_start..].find("</tr>").unwrap_or(0)];
            assert!(row.contains(&format!(
                "({})</th>",
                r["capability"].as_str().unwrap_or_default()
            )));
            for field in ["required", "pledged", "firm", "in_time", "gap"] {
                assert!(
                    row.contains(&format!(">{}</td>", r[field])),
                    "{field} in {row}"
                );
            }
            let needed_by = r["needed_by"].as_str().unwrap_or_default();
            if r["capability"] == "HEL-UTIL" {
                assert!(
                    row.contains(&format!("past: needed by {needed_by}")),
                    "{row}"
                );
            }
            assert!(row.contains("<svg class=\"row-bar\""));
        }
        let earmarked = app
            .get("/api/v1/pledges?mission=MINUSCA&limit=1000")
            .await
            .json;
        for p in earmarked["items"].as_array().into_iter().flatten() {
            let link = format!("<a href=\"/pledges/{}\">", p["id"]);
            assert_eq!(html.contains(&link), p["status"] != "withdrawn", "{link}");
        }
        let plan = app
            .get("/api/v1/reports/allocation?mission=MINUSCA")
            .await
            .json;
        let lines = plan["lines"].as_array().cloned().unwrap_or_default();
        assert!(lines.iter().all(|l| l["mission"] == "MINUSCA"), "{plan}");
        for l in &lines {
            assert!(html.contains(&format!("<a href=\"/pledges/{}\">", l["pledge_id"])));
        }
        assert!(html.contains("href=\"/api/v1/reports/coverage.csv?mission=MINUSCA\""));
        assert!(html.contains("href=\"/api/v1/reports/coverage?mission=MINUSCA\""));

        let (missing, html) = page(&app, "/missions/NOSUCH", Some(&cookie)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(
            html.contains("<main id=\"main\"") && html.contains("class=\"site-nav\""),
            "inside the page frame"
        );
    }
}

#[tokio::test]
async fn the_allocation_report_filters_by_mission_without_replanning() {
    for app in apps(true).await {
        let all = app.get("/api/v1/reports/allocation").await.json;
        let one = app.get("/api/v1/reports/allocation?mission=minusca").await;
        assert_eq!(one.status, StatusCode::OK);
        let of_mission = |v: &Value, key: &str| -> Vec<Value> {
            v[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|l| l["mission"] == "MINUSCA")
                .cloned()
                .collect()
        };
        assert_eq!(
            one.json["lines"].as_array().cloned().unwrap_or_default(),
            of_mission(&all, "lines")
        );
        assert_eq!(
            one.json["unfilled"].as_array().cloned().unwrap_or_default(),
            of_mission(&all, "unfilled")
        );
        let bad = app.get("/api/v1/reports/allocation?mission=MINUSKA").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn the_requirements_page_shows_pledged_and_gap_and_flags_past_dates() {
    for app in apps(true).await {
        let cookie = log_in(&app, &app.viewer).await;
        let (answer, html) = page(&app, "/requirements", Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        let report = mission(&app.get("/api/v1/reports/coverage").await.json, "MINUSCA").clone();
        let helicopters = report["requirements"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["capability"] == "HEL-UTIL")
            .cloned()
            .unwrap_or_default();
        let row = format!(
            "<td>Utility helicopter unit (HEL-UTIL)</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
            helicopters["required"], helicopters["pledged"], helicopters["gap"]
        );
        let at = html
            .find(&row)
            .unwrap_or_else(|| panic!("{row} in the page"));
        let rest = &html[at..at + html[at..].find("</tr>").unwrap_or(0)];
        assert!(rest.contains(&format!(
            "past: needed by {}",
            helicopters["needed_by"].as_str().unwrap_or_default()
        )));
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_mission_figures() {
    for app in apps(false).await {
        let doc = app
            .call(
                axum::http::Method::GET,
                "/api/v1/openapi.json",
                None,
                &[],
                None,
            )
            .await
            .json;
        let schemas = &doc["components"]["schemas"];
        let figures = &schemas["MissionFiguresResponse"]["properties"];
        for field in [
            "requirements",
            "requirements_met",
            "requirements_firm",
            "critical_open",
            "required_personnel",
            "covered_personnel",
            "personnel_coverage_pct",
        ] {
            assert!(figures.get(field).is_some(), "{field} in {figures}");
        }
        assert_eq!(figures["personnel_coverage_pct"]["type"], "string");
        let report = &schemas["CoverageReportResponse"]["properties"];
        assert!(report.get("totals").is_some(), "the grand total: {report}");
        // Its figures are flattened in, so the schema is an `allOf`.
        let row = schemas["RequirementCoverageResponse"].to_string();
        assert!(
            row.contains("\"covered_personnel\"") && row.contains("\"required_personnel\""),
            "{row}"
        );
    }
}
