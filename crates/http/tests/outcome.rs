//! A conference's outcome on the demo data: every figure equals a naive reference computed here
//! from the pledge list, every figure's link lists exactly what it counts, and the JSON, CSV,
//! page and lineage through the API agree. The demo's ISB-2023 outcome is snapshotted.

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use support::{TestApp, apps};

/// Every pledge the list gives for `query`, page by page.
async fn all_pledges(app: &TestApp, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/pledges?{query}&limit=1000");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let answer = app.get(&path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.json);
        items.extend(answer.json["items"].as_array().cloned().unwrap_or_default());
        match answer.json["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return items,
        }
    }
}

async fn text(app: &TestApp, path: &str) -> String {
    let request = Request::get(path)
        .header("authorization", format!("Bearer {}", app.viewer))
        .body(Body::empty())
        .unwrap_or_default();
    let (answer, text) = app.exchange(request).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}: {text}");
    text
}

/// A page as a signed-in viewer sees it.
async fn html(app: &TestApp, path: &str) -> String {
    let cookie = support::pages::log_in(app, &app.viewer).await;
    let (answer, text) = support::pages::page(app, path, Some(&cookie)).await;
    assert_eq!(answer.status, StatusCode::OK, "{path}: {text}");
    text
}

fn key(p: &Value) -> String {
    format!(
        "{}:{}",
        p["member_state"].as_str().unwrap_or_default(),
        p["pledge_ref"].as_str().unwrap_or_default()
    )
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_default()
}

/// The outcome worked out by hand from the pledge list: figure name → value, as the CSV names them.
async fn naive_outcome(app: &TestApp, conference: &str) -> BTreeMap<String, String> {
    let everything = all_pledges(app, "withdrawn=false").await;
    let everything: Vec<Value> = everything
        .into_iter()
        .chain(all_pledges(app, "withdrawn=true").await)
        .collect();
    let by_key: HashMap<String, &Value> = everything.iter().map(|p| (key(p), p)).collect();
    let superseded: BTreeSet<String> = everything
        .iter()
        .filter_map(|p| p["supersedes"].as_str().map(str::to_owned))
        .collect();
    let capabilities = app.get("/api/v1/capabilities").await.json;
    let in_units: BTreeSet<String> = capabilities["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|c| {
            ["unit", "police"].contains(&c["category"].as_str().unwrap_or_default())
                && c["unit_of_measure"] == "units"
        })
        .filter_map(|c| c["code"].as_str().map(str::to_owned))
        .collect();
    let level = |r: &Value| {
        ["L1", "L2", "L3", "RDL"]
            .iter()
            .position(|l| r.as_str() == Some(*l))
    };

    let listed = all_pledges(app, &format!("conference={conference}")).await;
    let (counted, withdrawn): (Vec<&Value>, Vec<&Value>) =
        listed.iter().partition(|p| p["status"] != "withdrawn");
    let mut figures = BTreeMap::new();
    let mut put = |name: &str, value: u64| {
        figures.insert(name.to_owned(), value.to_string());
    };
    put("pledges", counted.len() as u64);
    put("withdrawn", withdrawn.len() as u64);
    let states: BTreeSet<&str> = counted
        .iter()
        .filter_map(|p| p["member_state"].as_str())
        .collect();
    put("states", states.len() as u64);
    let mut categories: BTreeMap<&str, (BTreeSet<&str>, u64)> = BTreeMap::new();
    for p in &counted {
        let entry = categories
            .entry(p["category"].as_str().unwrap_or_default())
            .or_default();
        entry
            .0
            .insert(p["member_state"].as_str().unwrap_or_default());
        entry.1 += 1;
    }
    for (category, (states, pledges)) in &categories {
        put(&format!("category.{category}.states"), states.len() as u64);
        put(&format!("category.{category}.pledges"), *pledges);
    }
    put(
        "formed_units",
        counted
            .iter()
            .filter(|p| in_units.contains(p["capability"].as_str().unwrap_or_default()))
            .map(|p| n(&p["quantity"]))
            .sum(),
    );
    let personnel: u64 = counted.iter().map(|p| n(&p["personnel"])).sum();
    let women: u64 = counted.iter().map(|p| n(&p["female_personnel"])).sum();
    put("personnel", personnel);
    put("women", women);
    let share = if personnel == 0 {
        Decimal::ZERO
    } else {
        (Decimal::from(women) * Decimal::ONE_HUNDRED / Decimal::from(personnel))
            .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointNearestEven)
    };
    figures.insert("women_share_pct".into(), format!("{share:.1}"));
    let (mut new, mut reaffirmed, mut upgraded) = (0, 0, 0);
    for p in &counted {
        match p["supersedes"].as_str().and_then(|k| by_key.get(k)) {
            None => new += 1,
            Some(before)
                if before["capability"] == p["capability"]
                    && n(&p["quantity"]) <= n(&before["quantity"])
                    && level(&p["readiness"]) <= level(&before["readiness"]) =>
            {
                reaffirmed += 1
            }
            Some(_) => upgraded += 1,
        }
    }
    let mut put = |name: &str, value: u64| {
        figures.insert(name.to_owned(), value.to_string());
    };
    put("new", new);
    put("reaffirmed", reaffirmed);
    put("upgraded", upgraded);
    let joint: Vec<&&Value> = counted
        .iter()
        .filter(|p| p["partners"].as_array().is_some_and(|a| !a.is_empty()))
        .collect();
    put("joint_pledges", joint.len() as u64);
    let joint_states: BTreeSet<&str> = joint
        .iter()
        .flat_map(|p| {
            std::iter::once(p["member_state"].as_str().unwrap_or_default()).chain(
                p["partners"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x["member_state"].as_str()),
            )
        })
        .collect();
    put("joint_states", joint_states.len() as u64);
    put(
        "earmarked",
        counted.iter().filter(|p| !p["mission"].is_null()).count() as u64,
    );
    put(
        "unearmarked",
        counted.iter().filter(|p| p["mission"].is_null()).count() as u64,
    );
    put(
        "superseded_since",
        counted
            .iter()
            .filter(|p| superseded.contains(&key(p)))
            .count() as u64,
    );
    figures
}

/// The JSON's figures under the CSV's names.
fn json_figures(outcome: &Value) -> BTreeMap<String, String> {
    let mut figures = BTreeMap::new();
    for name in [
        "pledges",
        "withdrawn",
        "states",
        "formed_units",
        "personnel",
        "women",
        "joint_pledges",
        "joint_states",
        "earmarked",
        "unearmarked",
        "superseded_since",
    ] {
        figures.insert(name.to_owned(), n(&outcome[name]).to_string());
    }
    figures.insert(
        "women_share_pct".into(),
        outcome["women_share_pct"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    );
    for class in ["new", "reaffirmed", "upgraded"] {
        figures.insert(class.into(), n(&outcome["lineage"][class]).to_string());
    }
    for c in outcome["categories"].as_array().into_iter().flatten() {
        let category = c["category"].as_str().unwrap_or_default();
        figures.insert(
            format!("category.{category}.states"),
            n(&c["states"]).to_string(),
        );
        figures.insert(
            format!("category.{category}.pledges"),
            n(&c["pledges"]).to_string(),
        );
    }
    figures
}

#[tokio::test]
async fn the_outcome_equals_a_naive_reference_from_the_pledge_list_in_json_csv_and_page() {
    for app in apps(true).await {
        for conference in ["ISB-2023", "ACC-2023", "BER-2025", "ISB-2025"] {
            let answer = app
                .get(&format!("/api/v1/reports/outcome?conference={conference}"))
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
            let outcome = answer.json;
            let naive = naive_outcome(&app, conference).await;
            let from_json = json_figures(&outcome);
            assert_eq!(from_json, naive, "{} {conference}", app.backend);

            let csv = text(
                &app,
                &format!("/api/v1/reports/outcome.csv?conference={conference}"),
            )
            .await;
            let mut reader = csv::Reader::from_reader(csv.as_bytes());
            let from_csv: BTreeMap<String, String> = reader
                .records()
                .map(|r| {
                    let r = r.unwrap_or_default();
                    (r[0].to_owned(), r[1].to_owned())
                })
                .collect();
            assert_eq!(from_csv, naive, "{} {conference}: CSV", app.backend);

            let page = html(&app, &format!("/conferences/{conference}/outcome")).await;
            for (name, value) in &naive {
                let query = outcome["lists"][name]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches("/api/v1/pledges?");
                // The page groups digits as a planner reads them (21,343).
                let link = format!(
                    "<a href=\"/pledges?{}\">{}</a>",
                    query.replace('&', "&#38;"),
                    pledgeboard_http::group_digits(&value.to_string())
                );
                assert!(
                    page.contains(&link),
                    "{} {conference}: {name} = {value} not on the page as {link}",
                    app.backend
                );
            }
            for (figure, rule) in outcome["rules"].as_object().into_iter().flatten() {
                let rule = rule.as_str().unwrap_or_default();
                let shown = ["&#x27;", "&#39;", "'"]
                    .iter()
                    .any(|apostrophe| page.contains(&rule.replace('\'', apostrophe)));
                assert!(shown, "{}: {figure}'s rule on the page", app.backend);
            }
        }
    }
}

#[tokio::test]
async fn every_count_links_to_exactly_the_pledges_it_counts() {
    for app in apps(true).await {
        let outcome = app
            .get("/api/v1/reports/outcome?conference=ISB-2023")
            .await
            .json;
        let lists = outcome["lists"].as_object().cloned().unwrap_or_default();
        let figures = json_figures(&outcome);
        for (name, value) in &figures {
            let counts_pledges = !matches!(
                name.as_str(),
                "states"
                    | "formed_units"
                    | "personnel"
                    | "women"
                    | "women_share_pct"
                    | "joint_states"
            ) && !name.ends_with(".states");
            let query = lists[name]
                .as_str()
                .unwrap_or_default()
                .trim_start_matches("/api/v1/pledges?")
                .to_owned();
            let listed = all_pledges(&app, &query).await;
            if counts_pledges {
                assert_eq!(
                    listed.len().to_string(),
                    *value,
                    "{} {name}: {query}",
                    app.backend
                );
            }
            if name == "formed_units" {
                let units: u64 = listed.iter().map(|p| n(&p["quantity"])).sum();
                assert_eq!(units.to_string(), *value, "{} formed units", app.backend);
            }
            if name == "states" {
                let states: BTreeSet<String> = listed
                    .iter()
                    .map(|p| p["member_state"].to_string())
                    .collect();
                assert_eq!(states.len().to_string(), *value, "{} states", app.backend);
            }
        }
    }
}

#[tokio::test]
async fn the_demo_outcome_of_isb_2023_is_as_recorded() {
    let apps = apps(true).await;
    let Some(app) = apps.first() else { return };
    let outcome = app
        .get("/api/v1/reports/outcome?conference=ISB-2023")
        .await
        .json;
    insta::assert_json_snapshot!("demo_outcome_isb_2023", outcome);
    let acc = app
        .get("/api/v1/reports/outcome?conference=ACC-2023")
        .await
        .json;
    assert_eq!(
        acc["lineage"],
        json!({"new": n(&acc["pledges"]) - 6, "reaffirmed": 4, "upgraded": 2})
    );
    let ber = app
        .get("/api/v1/reports/outcome?conference=BER-2025")
        .await
        .json;
    assert_eq!(ber["lineage"]["reaffirmed"], 3);
    assert_eq!(ber["lineage"]["upgraded"], 3);
}

#[tokio::test]
async fn lineage_through_the_api_by_key_or_id_and_its_refusals() {
    for app in apps(false).await {
        let mut first = support::pledge_body("PAK", "ISB-1");
        first["conference"] = json!("ISB-2023");
        let created = app.post("/api/v1/pledges", &app.planner, first).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
        let first_id = n(&created.json["id"]);

        let mut by_id = support::pledge_body("PAK", "ACC-1");
        by_id["conference"] = json!("ACC-2023");
        by_id["supersedes"] = json!(first_id);
        let second = app.post("/api/v1/pledges", &app.planner, by_id).await;
        assert_eq!(second.status, StatusCode::CREATED, "{}", second.json);
        assert_eq!(second.json["supersedes"], "PAK:ISB-1");
        assert_eq!(n(&second.json["supersedes_id"]), first_id);
        let listed = all_pledges(&app, "lineage=superseded").await;
        assert_eq!(listed.len(), 1);
        assert!(listed[0]["supersedes_id"].is_null(), "{}", listed[0]);
        let current = all_pledges(&app, "class=reaffirmed").await;
        assert_eq!(n(&current[0]["supersedes_id"]), first_id);

        let mut again = support::pledge_body("PAK", "BER-1");
        again["supersedes"] = json!("PAK:ISB-1");
        let refused = app.post("/api/v1/pledges", &app.planner, again).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .json
                .to_string()
                .contains("already superseded by PAK:ACC-1"),
            "{}",
            refused.json
        );

        let mut other_state = support::pledge_body("BGD", "BGD-1");
        other_state["supersedes"] = json!("PAK:ACC-1");
        let refused = app.post("/api/v1/pledges", &app.planner, other_state).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.json.to_string().contains("is a pledge of Pakistan"),
            "{}",
            refused.json
        );

        let looped = app
            .patch(
                &format!("/api/v1/pledges/{first_id}"),
                &app.planner,
                None,
                json!({"supersedes": "PAK:ACC-1"}),
            )
            .await;
        assert_eq!(looped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            looped.json.to_string().contains("would make a loop"),
            "{}",
            looped.json
        );

        let unknown = app
            .patch(
                &format!("/api/v1/pledges/{first_id}"),
                &app.planner,
                None,
                json!({"supersedes": 999_999}),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown
                .json
                .to_string()
                .contains("no pledge with id 999999"),
            "{}",
            unknown.json
        );

        let page = html(&app, &format!("/pledges/{first_id}")).await;
        assert!(page.contains("superseded by <a href=\"/pledges/"), "{page}");
        let second_id = n(&second.json["id"]);
        let page = html(&app, &format!("/pledges/{second_id}")).await;
        assert!(
            page.contains("<strong>reaffirmed</strong>") && page.contains(">PAK:ISB-1</a>"),
            "{page}"
        );

        let cleared = app
            .patch(
                &format!("/api/v1/pledges/{second_id}"),
                &app.planner,
                None,
                json!({"supersedes": null}),
            )
            .await;
        assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.json);
        assert!(cleared.json["supersedes"].is_null());
    }
}

#[tokio::test]
async fn an_outcome_without_a_known_conference_is_refused_by_name() {
    for app in apps(false).await {
        for path in [
            "/api/v1/reports/outcome",
            "/api/v1/reports/outcome?conference=",
            "/api/v1/reports/outcome.csv?conference=NOWHERE-1999",
        ] {
            let answer = app.get(path).await;
            assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(
                answer.json.to_string().contains("conference"),
                "{path}: {}",
                answer.json
            );
        }
    }
}
