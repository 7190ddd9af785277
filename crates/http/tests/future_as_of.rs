//! A report asked for as of a day after tomorrow is refused by name, in the planner's language,
//! on every report route and page that reads `as_of`, rather than answered with today's
//! figures dated in the future; the latest date already begun somewhere on earth (tomorrow's,
//! from 10:00 UTC) is still shown.

mod support;

use axum::http::StatusCode;
use chrono::{Days, Utc};
use pledgeboard_domain::milestone_rules::latest_today;
use support::apps;
use support::pages::{log_in, page};

/// Every report that reads `as_of`, in each of its forms.
const REPORTS: [&str; 16] = [
    "/api/v1/reports/coverage",
    "/api/v1/reports/coverage.csv",
    "/api/v1/reports/coverage.xlsx",
    "/api/v1/reports/countries",
    "/api/v1/reports/countries.csv",
    "/api/v1/reports/countries.xlsx",
    "/api/v1/reports/outcome?conference=ISB-2023",
    "/api/v1/reports/outcome.csv?conference=ISB-2023",
    "/api/v1/reports/outcome.xlsx?conference=ISB-2023",
    "/api/v1/reports/follow-through?conference=ISB-2023",
    "/api/v1/reports/follow-through.csv?conference=ISB-2023",
    "/api/v1/reports/follow-through.xlsx?conference=ISB-2023",
    "/api/v1/reports/countries/PAK",
    "/api/v1/reports/renewals",
    "/api/v1/reports/renewals.csv",
    "/api/v1/reports/renewals.xlsx",
];

/// `path` with `as_of` added to its query.
fn as_of(path: &str, at: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}as_of={at}")
}

#[tokio::test]
async fn a_report_as_of_a_day_not_yet_begun_is_refused_by_name_and_today_is_shown() {
    let today = latest_today(Utc::now());
    let tomorrow = today.to_string();
    let later = (today + Days::new(1)).to_string();
    for app in apps(true).await {
        for path in REPORTS {
            for future in [later.as_str(), "2031-01-01T00:00:00Z"] {
                let answer = app.get(&as_of(path, future)).await;
                assert_eq!(
                    answer.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{} {path} as of {future}",
                    app.backend
                );
                assert_eq!(
                    answer.header("content-type").as_deref(),
                    Some("application/problem+json"),
                    "{path}"
                );
                let error = &answer.json["errors"][0];
                assert_eq!(error["field"], "as_of", "{path}: {}", answer.json);
                let said = error["message"].as_str().unwrap_or_default();
                assert!(
                    said.contains(&format!("as_of '{future}' is in the future")),
                    "{path}: {said}"
                );
            }
            let shown = app.get(&as_of(path, &tomorrow)).await;
            assert_eq!(shown.status, StatusCode::OK, "{path} as of {tomorrow}");
        }

        let french = app
            .get("/api/v1/reports/coverage?as_of=2031-01-01&lang=fr")
            .await;
        let said = french.json["errors"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(
            said.contains("as_of «\u{a0}2031-01-01\u{a0}» est dans l'avenir"),
            "{said}"
        );

        let cookie = log_in(&app, &app.viewer).await;
        for path in [
            "/?as_of=2031-01-01T09:30",
            "/countries/PAK?as_of=2031-01-01",
            "/conferences/ISB-2023/outcome?as_of=2031-01-01",
        ] {
            let (answer, html) = page(&app, path, Some(&cookie)).await;
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{} {path}",
                app.backend
            );
            assert!(html.contains("is in the future"), "{path}: {html}");
        }
        let (answer, _) = page(&app, &format!("/?as_of={tomorrow}"), Some(&cookie)).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "the board as of the latest today"
        );
    }
}
