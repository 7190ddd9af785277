//! The outcome and follow-through reports with `?lang=fr` (JSON and CSV): their rules and
//! labels are French; field names, CSV headers, keys and figures are those of English.

mod support;

use serde_json::Value;
use support::apps;
use support::shortcuts::{csv_rows, json_ok, text};

/// The field names of a JSON value, nested ones dotted, arrays by their first item.
fn shape(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let path = format!("{at}.{k}");
                out.push(path.clone());
                shape(v, &path, out);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                shape(first, &format!("{at}[]"), out);
            }
        }
        _ => {}
    }
}

fn shape_of(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    shape(value, "", &mut out);
    out
}

#[tokio::test]
async fn the_follow_through_in_french_keeps_its_fields_and_keys() {
    for app in apps(true).await {
        let path = "/api/v1/reports/follow-through?conference=ISB-2023&stalled_days=90";
        let english = json_ok(&app, path).await;
        let french = json_ok(&app, &format!("{path}&lang=fr")).await;
        assert_eq!(shape_of(&english), shape_of(&french), "{}", app.backend);
        assert_eq!(english["stages"][1]["stage"], "nv_received");
        assert_eq!(french["stages"][1]["stage"], "nv_received");
        assert_eq!(english["stages"][1]["label"], "Note verbale received");
        assert_eq!(french["stages"][1]["label"], "Note verbale reçue");
        assert_eq!(english["stages"], {
            let mut same = french["stages"].clone();
            for (s, e) in same
                .as_array_mut()
                .into_iter()
                .flatten()
                .zip(english["stages"].as_array().into_iter().flatten())
            {
                s["label"] = e["label"].clone();
            }
            same
        });
        let rule = |v: &Value, figure: &str| {
            v["rules"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["figure"] == figure)
                .map(|r| r["rule"].as_str().unwrap_or_default().to_owned())
                .unwrap_or_default()
        };
        assert!(rule(&english, "stalled").contains("more than 90 days"));
        assert!(
            rule(&french, "stalled").contains("remonte à plus de 90 jours"),
            "{}",
            rule(&french, "stalled")
        );

        let path = "/api/v1/reports/follow-through.csv?conference=ISB-2023";
        let header = |t: String| t.lines().next().unwrap_or_default().to_owned();
        assert_eq!(
            header(text(&app, path).await),
            header(text(&app, &format!("{path}&lang=fr")).await),
            "the same header"
        );
        let english = csv_rows(&app, path).await;
        let french = csv_rows(&app, &format!("{path}&lang=fr")).await;
        assert_eq!(english.len(), french.len());
        let label = |rows: &[Vec<String>], section: &str| {
            rows.iter()
                .find(|r| r[0] == section)
                .map(|r| r[2].clone())
                .unwrap_or_default()
        };
        assert_eq!(label(&french, "withdrawn"), "Retirés");
        assert_eq!(label(&french, "interval"), "Annoncé → Note verbale reçue");
        assert_eq!(
            label(&english, "interval"),
            "Announced → Note verbale received"
        );
    }
}

#[tokio::test]
async fn the_outcome_in_french_keeps_its_fields_and_figures() {
    for app in apps(true).await {
        let path = "/api/v1/reports/outcome?conference=ISB-2023";
        let english = json_ok(&app, path).await;
        let french = json_ok(&app, &format!("{path}&lang=fr")).await;
        assert_eq!(shape_of(&english), shape_of(&french), "{}", app.backend);
        assert_eq!(english["pledges"], french["pledges"]);
        assert!(
            french["rules"]["pledges"]
                .as_str()
                .is_some_and(|r| r.starts_with("Engagements dont la conférence")),
            "{}",
            french["rules"]
        );
        assert!(
            english["rules"]["pledges"]
                .as_str()
                .is_some_and(|r| r.starts_with("Pledges whose conference")),
            "{}",
            english["rules"]
        );
        let csv_path = "/api/v1/reports/outcome.csv?conference=ISB-2023";
        let header = |t: String| t.lines().next().unwrap_or_default().to_owned();
        assert_eq!(
            header(text(&app, csv_path).await),
            header(text(&app, &format!("{csv_path}&lang=fr")).await),
            "the same header"
        );
        let english = csv_rows(&app, csv_path).await;
        let french = csv_rows(&app, &format!("{csv_path}&lang=fr")).await;
        assert_eq!(english.len(), french.len());
        for (e, f) in english.iter().zip(&french) {
            assert_eq!(
                (&e[0], &e[1], &e[3]),
                (&f[0], &f[1], &f[3]),
                "figure, value, filters"
            );
            assert_ne!(e[2], f[2], "{}: the rule is French", e[0]);
        }
    }
}
