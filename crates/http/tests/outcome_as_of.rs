//! The outcome with `as_of`: after pledges are withdrawn, changed and added, the JSON, CSV and
//! page as of a moment noted before show the outcome computed then; a past moment's answer is
//! immutable; a bad moment is refused by name in words; the OpenAPI document lists the
//! parameter. SQLite always, PostgreSQL when configured.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::apps;
use support::pages::{log_in, page};
use support::shortcuts::{create, json_ok, text, withdraw};

const OUTCOME: &str = "/api/v1/reports/outcome?conference=ISB-2023";
const OUTCOME_CSV: &str = "/api/v1/reports/outcome.csv?conference=ISB-2023";

/// The answer without its `as_of`, which names the moment asked for.
fn figures(mut outcome: Value) -> Value {
    outcome["as_of"] = Value::Null;
    outcome
}

/// `as_of` as a query value: RFC 3339 with its `+` escaped.
fn moment(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[tokio::test]
async fn the_outcome_as_of_a_moment_is_the_outcome_computed_then_in_json_csv_and_page() {
    for app in apps(true).await {
        let before = json_ok(&app, OUTCOME).await;
        assert_eq!(before["as_of"], Value::Null, "{}", app.backend);
        let before_csv = text(&app, OUTCOME_CSV).await;
        let listed = json_ok(&app, "/api/v1/pledges?conference=ISB-2023&status=pledged").await;
        let ids: Vec<i64> = listed["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["id"].as_i64())
            .collect();
        assert!(ids.len() >= 2, "{}: demo pledges at ISB-2023", app.backend);
        tokio::time::sleep(Duration::from_millis(20)).await;
        let then = chrono::Utc::now();
        tokio::time::sleep(Duration::from_millis(20)).await;

        assert_eq!(withdraw(&app, ids[0]).await.status, StatusCode::OK);
        let changed = app
            .patch(
                &format!("/api/v1/pledges/{}", ids[1]),
                &app.planner,
                None,
                json!({"personnel": 9999, "female_personnel": 999, "mission": null}),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
        let mut added = support::pledge_body("FRA", "AS-OF-1");
        added["conference"] = json!("ISB-2023");
        create(&app, added).await;

        let now = json_ok(&app, OUTCOME).await;
        assert_ne!(figures(now), figures(before.clone()), "{}", app.backend);
        let at = moment(then);
        let query = format!("&as_of={}", at.replace('+', "%2B"));
        let as_of = json_ok(&app, &format!("{OUTCOME}{query}")).await;
        assert_eq!(
            as_of["as_of"]
                .as_str()
                .map(|t| t.parse::<chrono::DateTime<chrono::Utc>>()),
            Some(at.parse()),
            "{}",
            app.backend
        );
        assert_eq!(
            figures(as_of),
            figures(before),
            "{}: as of the moment noted",
            app.backend
        );
        assert_eq!(
            text(&app, &format!("{OUTCOME_CSV}{query}")).await,
            before_csv,
            "{}: the CSV as of the moment noted",
            app.backend
        );

        let cookie = log_in(&app, &app.viewer).await;
        let path = format!(
            "/conferences/ISB-2023/outcome?as_of={}",
            at.replace('+', "%2B")
        );
        let (answer, html) = page(&app, &path, Some(&cookie)).await;
        assert_eq!(answer.status, StatusCode::OK, "{html}");
        let shown = then.format("%Y-%m-%d %H:%M UTC").to_string();
        assert!(
            html.contains(&format!("as they stood at {shown}")),
            "{}: the page says which moment it shows",
            app.backend
        );
        assert!(
            html.contains("Each figure with the rule it is counted by.</caption>")
                && !html.contains("follow a figure"),
            "{}: a past moment's figures, not linked, are not offered to follow",
            app.backend
        );
        let workbook_link = html
            .split("outcome.xlsx?")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default();
        assert!(
            workbook_link.contains("as_of="),
            "{}: the workbook is of the same moment: {workbook_link}",
            app.backend
        );
        let (_, french) = page(&app, &format!("{path}&lang=fr"), Some(&cookie)).await;
        assert!(
            french.contains(&format!("tels qu&#39;ils étaient au {shown}"))
                || french.contains(&format!("tels qu'ils étaient au {shown}")),
            "{}: the French page says it too",
            app.backend
        );
    }
}

#[tokio::test]
async fn a_past_outcome_is_immutable_and_a_bad_moment_is_refused_by_name() {
    for app in apps(true).await {
        for path in [
            format!("{OUTCOME}&as_of=2020-01-01"),
            format!("{OUTCOME_CSV}&as_of=2020-01-01"),
        ] {
            let answer = app.get(&path).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}");
            assert_eq!(
                answer.header("cache-control").as_deref(),
                Some("private, max-age=31536000, immutable"),
                "{path}"
            );
            assert!(
                answer
                    .header("etag")
                    .is_some_and(|t| t.starts_with("W/\"past-")),
                "{path}"
            );
        }
        let nothing = json_ok(&app, &format!("{OUTCOME}&as_of=2020-01-01")).await;
        assert_eq!(
            (&nothing["pledges"], &nothing["states"]),
            (&json!(0), &json!(0))
        );

        for path in [
            format!("{OUTCOME}&as_of=yesterday"),
            format!("{OUTCOME_CSV}&as_of=2025-13-01"),
            "/api/v1/reports/outcome.xlsx?conference=ISB-2023&as_of=soon".to_owned(),
        ] {
            let answer = app.get(&path).await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert_eq!(
                answer.header("content-type").as_deref(),
                Some("application/problem+json"),
                "{path}"
            );
            let error = &answer.json["errors"][0];
            assert_eq!(error["field"], "as_of", "{path}: {}", answer.json);
            assert!(
                error["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("is not a timestamp like 2025-04-15T09:30:00Z")),
                "{path}: {}",
                answer.json
            );
        }
        // Both mistakes at once.
        let both = app.get("/api/v1/reports/outcome?as_of=soon").await;
        let fields: Vec<&str> = both.json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(fields, ["conference", "as_of"]);

        let cookie = log_in(&app, &app.viewer).await;
        let (bad, html) = page(
            &app,
            "/conferences/ISB-2023/outcome?as_of=yesterday",
            Some(&cookie),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("is not a timestamp"), "{html}");
    }
}

#[tokio::test]
async fn the_openapi_document_lists_the_outcomes_as_of() {
    for app in apps(false).await {
        let doc = json_ok(&app, "/api/v1/openapi.json").await;
        for path in [
            "/api/v1/reports/outcome",
            "/api/v1/reports/outcome.csv",
            "/api/v1/reports/outcome.xlsx",
        ] {
            let parameter = doc["paths"][path]["get"]["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"] == "as_of")
                .cloned()
                .unwrap_or_else(|| panic!("{path} lists no as_of"));
            assert_eq!(parameter["in"], "query", "{path}");
            let schema = parameter["schema"].to_string();
            assert!(schema.contains("date-time"), "{path}: {schema}");
        }
    }
}
