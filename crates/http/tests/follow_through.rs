//! The follow-through report through the real router, on the demo data: its figures equal a
//! reference counted the long way in this test from the pledge list and the milestones API;
//! JSON, CSV, workbook rules and page carry the same numbers; a recorded milestone moves them;
//! bad parameters are refused in words; an `insta` snapshot of every conference. SQLite
//! always, PostgreSQL when configured.

mod support;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::NaiveDate;
use serde_json::{Value, json};
use support::pages::{log_in, page};
use support::shortcuts::{csv_rows, json_ok};
use support::{TestApp, apps};

const CONFERENCES: [&str; 4] = ["ISB-2023", "ACC-2023", "ISB-2025", "BER-2025"];
const STAGES: [&str; 7] = [
    "announced",
    "nv_received",
    "accepted",
    "l2",
    "l3_or_rdl",
    "selected",
    "deployed",
];

/// Every pledge of the conference on the pledge list, page after page.
async fn listed(app: &TestApp, conference: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = json_ok(
            app,
            &format!("/api/v1/pledges?conference={conference}&limit=500{cursor}"),
        )
        .await;
        items.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return items,
        }
    }
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap_or_default(), "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("{v}: {e}"))
}

/// The stage index a milestone kind shows, counted here without the domain's code.
fn stage_of_kind(kind: &str) -> usize {
    match kind {
        "nv_received" | "acknowledged" => 1,
        "accepted" => 2,
        "aav_completed" => 3,
        "sur_aligned" | "rdl_confirmed" => 4,
        "selected" => 5,
        "deployed" => 6,
        other => panic!("unknown kind {other}"),
    }
}

fn median(mut days: Vec<i64>) -> Option<String> {
    days.sort_unstable();
    let n = days.len();
    if n == 0 {
        return None;
    }
    let tenths = if n % 2 == 1 {
        days[n / 2] * 10
    } else {
        (days[n / 2 - 1] + days[n / 2]) * 5
    };
    Some(format!(
        "{}.{}",
        tenths.div_euclid(10),
        tenths.rem_euclid(10)
    ))
}

/// The report counted the long way: the pledge list, each pledge's milestones, and the rules
/// as the report states them.
async fn reference(app: &TestApp, conference: &str, report: &Value) -> Value {
    let announced_on = date(&report["announced_on"]);
    let measured_on = date(&report["measured_on"]);
    let threshold = report["stalled_days"].as_i64().unwrap_or_default();
    let pledges = listed(app, conference).await;
    let mut reached = [0_u64; 7];
    let mut withdrawn = 0;
    let mut intervals: Vec<Vec<i64>> = vec![Vec::new(); 6];
    let mut stalled = Vec::new();
    let mut by_state: BTreeMap<String, u64> = BTreeMap::new();
    let mut by_category: BTreeMap<String, u64> = BTreeMap::new();
    for p in &pledges {
        reached[0] += 1;
        if p["status"] == "withdrawn" {
            withdrawn += 1;
            continue;
        }
        let id = p["id"].as_i64().unwrap_or_default();
        let timeline = json_ok(app, &format!("/api/v1/pledges/{id}/milestones")).await;
        let milestones: Vec<(String, NaiveDate)> = timeline["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|m| {
                (
                    m["kind"].as_str().unwrap_or_default().to_owned(),
                    date(&m["date"]),
                )
            })
            .filter(|(_, d)| *d <= measured_on)
            .collect();
        let mut furthest = milestones
            .iter()
            .map(|(k, _)| stage_of_kind(k))
            .max()
            .unwrap_or(0);
        furthest = furthest.max(match p["readiness"].as_str() {
            Some("L2") => 3,
            Some("L3") | Some("RDL") => 4,
            _ => 0,
        });
        if p["status"] == "deployed" {
            furthest = 6;
        }
        for (i, count) in reached.iter_mut().enumerate().skip(1) {
            if furthest >= i {
                *count += 1;
            }
        }
        let dated = |stage: usize| -> Option<NaiveDate> {
            if stage == 0 {
                return Some(announced_on);
            }
            milestones
                .iter()
                .filter(|(k, _)| stage_of_kind(k) == stage && k != "acknowledged")
                .map(|(_, d)| *d)
                .min()
        };
        for (i, days) in intervals.iter_mut().enumerate() {
            if let (Some(a), Some(b)) = (dated(i), dated(i + 1)) {
                days.push((b - a).num_days());
            }
        }
        let last = milestones
            .iter()
            .map(|(_, d)| *d)
            .chain([announced_on])
            .max()
            .unwrap_or(announced_on);
        if furthest < 6 && (measured_on - last).num_days() > threshold {
            stalled.push(id);
            let state = p["member_state"].as_str().unwrap_or_default().to_owned();
            *by_state.entry(state).or_default() += 1;
            let category = p["category"].as_str().unwrap_or_default().to_owned();
            *by_category.entry(category).or_default() += 1;
        }
    }
    stalled.sort_unstable();
    json!({
        "announced": pledges.len(),
        "withdrawn": withdrawn,
        "stages": reached.to_vec(),
        "medians": intervals.into_iter().map(median).collect::<Vec<_>>(),
        "stalled": stalled,
        "by_state": by_state,
        "by_category": by_category,
    })
}

/// The same figures read off the report.
fn figures(report: &Value) -> Value {
    let list = |key: &str| report[key].as_array().cloned().unwrap_or_default();
    let counts = |key: &str| -> BTreeMap<String, u64> {
        list(key)
            .iter()
            .map(|c| {
                let key = c["key"].as_str().unwrap_or_default().to_owned();
                (key, c["pledges"].as_u64().unwrap_or_default())
            })
            .collect()
    };
    let mut stalled: Vec<i64> = list("stalled")
        .iter()
        .map(|s| s["pledge_id"].as_i64().unwrap_or_default())
        .collect();
    stalled.sort_unstable();
    json!({
        "announced": report["announced"],
        "withdrawn": report["withdrawn"],
        "stages": list("stages").iter().map(|s| s["pledges"].clone()).collect::<Vec<_>>(),
        "medians": list("intervals").iter().map(|i| i["median_days"].clone()).collect::<Vec<_>>(),
        "stalled": stalled,
        "by_state": counts("stalled_by_state"),
        "by_category": counts("stalled_by_category"),
    })
}

#[tokio::test]
async fn figures_equal_a_reference_counted_from_the_pledge_list_and_the_milestones() {
    for app in apps(true).await {
        for conference in CONFERENCES {
            for stalled_days in [180, 30] {
                let path = format!(
                    "/api/v1/reports/follow-through?conference={conference}&stalled_days={stalled_days}"
                );
                let report = json_ok(&app, &path).await;
                let stages: Vec<&str> = report["stages"]
                    .as_array()
                    .map(|s| s.iter().filter_map(|x| x["stage"].as_str()).collect())
                    .unwrap_or_default();
                assert_eq!(stages, STAGES);
                let expected = reference(&app, conference, &report).await;
                assert_eq!(figures(&report), expected, "{}: {path}", app.backend);
                assert!(
                    expected["announced"].as_u64() > Some(0),
                    "{conference} has demo pledges"
                );
                assert_eq!(
                    report["stalled_count"],
                    json!(report["stalled"].as_array().map(Vec::len))
                );
            }
        }
        // The demo milestones move pledges past the announcement and leave some behind.
        let isb = json_ok(&app, "/api/v1/reports/follow-through?conference=ISB-2023").await;
        assert!(isb["stages"][1]["pledges"].as_u64() > Some(20), "{isb}");
        assert!(isb["stalled_count"].as_u64() > Some(0), "{isb}");
    }
}

#[tokio::test]
async fn json_csv_workbook_rules_and_page_carry_the_same_numbers() {
    for app in apps(true).await {
        let query = "conference=ACC-2023&stalled_days=200";
        let report = json_ok(&app, &format!("/api/v1/reports/follow-through?{query}")).await;
        let rows = csv_rows(&app, &format!("/api/v1/reports/follow-through.csv?{query}")).await;
        let cookie = log_in(&app, &app.viewer).await;
        let (answer, html) = page(
            &app,
            "/conferences/acc-2023/follow-through?stalled_days=200",
            Some(&cookie),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{html}");
        let html = html
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&#38;", "&")
            .replace("&amp;", "&");
        for stage in report["stages"].as_array().cloned().unwrap_or_default() {
            let key = stage["stage"].as_str().unwrap_or_default();
            let pledges = stage["pledges"].to_string();
            let share = stage["share_pct"].as_str().unwrap_or_default();
            let row = rows
                .iter()
                .find(|r| r[0] == "stage" && r[1] == key)
                .unwrap_or_else(|| panic!("no CSV row for {key}"));
            assert_eq!(
                (row[3].as_str(), row[4].as_str()),
                (pledges.as_str(), share)
            );
            let cell = format!(
                "<tr data-stage=\"{key}\"><th scope=\"row\">{}</th><td class=\"num\">{pledges}</td><td class=\"num\">{share} %</td></tr>",
                stage["label"].as_str().unwrap_or_default()
            );
            assert!(html.contains(&cell), "page lacks {cell}");
        }
        for interval in report["intervals"].as_array().cloned().unwrap_or_default() {
            let item = format!(
                "{}-{}",
                interval["from"].as_str().unwrap_or_default(),
                interval["to"].as_str().unwrap_or_default()
            );
            let row = rows
                .iter()
                .find(|r| r[0] == "interval" && r[1] == item)
                .unwrap_or_else(|| panic!("no CSV row for {item}"));
            assert_eq!(
                row[5],
                interval["median_days"].as_str().unwrap_or_default(),
                "{item}"
            );
        }
        let stalled_rows = rows.iter().filter(|r| r[0] == "stalled_pledge").count();
        assert_eq!(json!(stalled_rows), report["stalled_count"]);
        assert!(html.contains(&format!(
            "<span id=\"stalled-count\">{}</span>",
            report["stalled_count"]
        )));
        for rule in report["rules"].as_array().cloned().unwrap_or_default() {
            let words = rule["rule"].as_str().unwrap_or_default();
            assert!(html.contains(words), "page lacks the rule {words}");
        }
        assert!(html.contains("more than 200 days"));
        assert!(
            html.contains(
                "href=\"/api/v1/reports/follow-through.csv?conference=ACC-2023&stalled_days=200\""
            ),
            "CSV link"
        );
        assert!(html.contains("src=\"/assets/board.js\""));
        // The pledge list of the conference and its states' pages lead to it.
        let (_, list) = page(&app, "/pledges?conference=ACC-2023", Some(&cookie)).await;
        assert!(list.contains("href=\"/conferences/ACC-2023/follow-through\""));
        let (_, state) = page(&app, "/countries/GHA?conference=ACC-2023", Some(&cookie)).await;
        assert!(state.contains("href=\"/conferences/ACC-2023/follow-through\""));
    }
}

#[tokio::test]
async fn a_recorded_milestone_moves_the_figures() {
    for app in apps(true).await {
        let path = "/api/v1/reports/follow-through?conference=BER-2025";
        let before = json_ok(&app, path).await;
        let pledges = listed(&app, "BER-2025").await;
        let mut bare = None;
        for p in &pledges {
            let id = p["id"].as_i64().unwrap_or_default();
            let timeline = json_ok(&app, &format!("/api/v1/pledges/{id}/milestones")).await;
            if p["readiness"] == "L1"
                && p["status"] == "pledged"
                && timeline["items"].as_array().is_some_and(Vec::is_empty)
            {
                bare = Some(p.clone());
                break;
            }
        }
        let Some(bare) = bare else {
            panic!("{}: no BER-2025 pledge without milestones", app.backend)
        };
        let id = bare["id"].as_i64().unwrap_or_default();
        let answer = app
            .post(
                &format!("/api/v1/pledges/{id}/milestones"),
                &app.planner,
                json!({"kind": "accepted", "date": "2025-07-01"}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
        let after = json_ok(&app, path).await;
        for stage in [1, 2] {
            assert_eq!(
                after["stages"][stage]["pledges"].as_u64(),
                before["stages"][stage]["pledges"].as_u64().map(|n| n + 1),
                "{}: stage {stage}",
                app.backend
            );
        }
        assert_eq!(after["stages"][3], before["stages"][3]);
    }
}

#[tokio::test]
async fn bad_parameters_are_refused_in_words() {
    for app in apps(false).await {
        for (query, field, words) in [
            ("", "conference", "choose the conference"),
            ("conference=NOPE-1999", "conference", "NOPE-1999"),
            (
                "conference=BER-2025&stalled_days=0",
                "stalled_days",
                "from 1 to 3650",
            ),
            (
                "conference=BER-2025&as_of=soon",
                "as_of",
                "is not a timestamp",
            ),
        ] {
            let answer = app
                .get(&format!("/api/v1/reports/follow-through?{query}"))
                .await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
            let text = answer.json.to_string();
            assert!(
                text.contains(field) && text.contains(words),
                "{query}: {text}"
            );
        }
        // A conference without pledges answers zeros, not an error.
        let empty = json_ok(&app, "/api/v1/reports/follow-through?conference=BER-2025").await;
        assert_eq!(empty["announced"], 0);
        assert_eq!(empty["stages"][0]["share_pct"], "0.0");
    }
}

#[tokio::test]
async fn the_demo_follow_through_is_the_recorded_one() {
    let apps = apps(true).await;
    let mut all = BTreeMap::new();
    for conference in CONFERENCES {
        let path = format!("/api/v1/reports/follow-through?conference={conference}");
        let mut report = json_ok(&apps[0], &path).await;
        // What depends on today's date is checked against the reference above, not recorded.
        for key in [
            "measured_on",
            "stalled",
            "stalled_count",
            "stalled_by_state",
            "stalled_by_category",
        ] {
            report.as_object_mut().map(|o| o.remove(key));
        }
        for app in &apps[1..] {
            let mut other = json_ok(app, &path).await;
            for key in [
                "measured_on",
                "stalled",
                "stalled_count",
                "stalled_by_state",
                "stalled_by_category",
            ] {
                other.as_object_mut().map(|o| o.remove(key));
            }
            assert_eq!(other, report, "{}: {path}", app.backend);
        }
        all.insert(conference, report);
    }
    insta::assert_json_snapshot!("demo_follow_through", all);
}

#[tokio::test]
async fn as_of_counts_the_pledges_and_milestones_as_they_stood() {
    for app in apps(false).await {
        let mut body = support::pledge_body("GHA", "FT-ASOF-1");
        body["conference"] = json!("BER-2025");
        body["readiness"] = json!("L1");
        let id = support::shortcuts::create(&app, body).await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let before_milestone = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let answer = app
            .post(
                &format!("/api/v1/pledges/{id}/milestones"),
                &app.planner,
                json!({"kind": "accepted", "date": "2025-06-01"}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json);
        let milestone_id = answer.json["milestone"]["id"].as_i64().unwrap_or_default();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let before_deletion = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let deleted = app
            .call(
                axum::http::Method::DELETE,
                &format!("/api/v1/pledges/{id}/milestones/{milestone_id}"),
                Some(&app.admin),
                &[],
                None,
            )
            .await;
        assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.json);

        let accepted = |at: Option<chrono::DateTime<chrono::Utc>>| {
            let query = at.map_or(String::new(), |t| {
                format!(
                    "&as_of={}",
                    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
                        .replace('+', "%2B")
                )
            });
            format!("/api/v1/reports/follow-through?conference=BER-2025{query}")
        };
        let then = json_ok(&app, &accepted(Some(before_milestone))).await;
        assert_eq!(then["announced"], 1, "{}: {then}", app.backend);
        assert_eq!(then["stages"][2]["pledges"], 0, "{}", app.backend);
        let recorded = json_ok(&app, &accepted(Some(before_deletion))).await;
        assert_eq!(
            recorded["stages"][2]["pledges"], 1,
            "{}: {recorded}",
            app.backend
        );
        assert_eq!(recorded["measured_on"], json!(before_deletion.date_naive()));
        let now = json_ok(&app, &accepted(None)).await;
        assert_eq!(
            now["stages"][2]["pledges"], 0,
            "{}: a deleted milestone",
            app.backend
        );
    }
}
