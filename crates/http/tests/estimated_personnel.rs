//! Personnel left out is estimated (standard size × quantity), marked `personnel_estimated`,
//! through the API, the form and imports (CSV and `.xlsx`), on every backend: an estimate
//! follows the quantity until someone states a figure, and a stated figure is kept. Also the
//! import preview: the estimated count, the rows listed, errors by line and as CSV.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use support::pages::{log_in, page, post_multipart, submit};
use support::shortcuts::{create, csv_rows, json_ok, text};
use support::{Answer, TestApp, apps};

async fn upload(app: &TestApp, query: &str, body: Vec<u8>, content_type: &str) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/imports/pledges{query}"))
        .header("authorization", format!("Bearer {}", app.planner))
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"));
    app.send(request).await
}

async fn import_csv(app: &TestApp, csv: &str, dry_run: bool) -> Answer {
    let answer = upload(
        app,
        &format!("?dry_run={dry_run}"),
        csv.as_bytes().to_vec(),
        "text/csv",
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}: {}",
        app.backend,
        answer.json
    );
    answer
}

/// The one pledge of `state` with reference `reference`.
async fn pledge_of(app: &TestApp, state: &str, reference: &str) -> Value {
    let items = json_ok(
        app,
        &format!("/api/v1/pledges?member_state={state}&limit=1000"),
    )
    .await;
    items["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["pledge_ref"] == reference)
        .cloned()
        .unwrap_or_else(|| panic!("{}: no pledge {state} {reference}", app.backend))
}

fn figures(p: &Value) -> (u64, u64, bool) {
    (
        p["personnel"].as_u64().unwrap_or(u64::MAX),
        p["female_personnel"].as_u64().unwrap_or(u64::MAX),
        p["personnel_estimated"].as_bool().unwrap_or_default(),
    )
}

#[tokio::test]
async fn personnel_left_out_of_the_api_is_estimated_and_follows_the_quantity_until_stated() {
    for app in apps(false).await {
        let id = create(
            &app,
            json!({"pledge_ref": "EST-1", "member_state": "PAK", "capability": "INF-BN",
                   "quantity": 2, "female_personnel": 100}),
        )
        .await;
        let path = format!("/api/v1/pledges/{id}");
        assert_eq!(
            figures(&json_ok(&app, &path).await),
            (1700, 100, true),
            "{}: 2 × 850, marked estimated",
            app.backend
        );

        let change = |body: Value| {
            let (app, path) = (&app, &path);
            async move {
                let answer = app.patch(path, &app.planner, None, body).await;
                assert_eq!(answer.status, StatusCode::OK, "{}", answer.json);
                figures(&answer.json)
            }
        };
        assert_eq!(
            change(json!({"quantity": 3})).await,
            (2550, 100, true),
            "a quantity change re-estimates"
        );
        assert_eq!(
            change(json!({"personnel": 2000})).await,
            (2000, 100, false),
            "a stated figure ends the estimate"
        );
        assert_eq!(
            change(json!({"quantity": 1})).await,
            (2000, 100, false),
            "a stated figure is kept when the quantity changes"
        );
        assert_eq!(
            change(json!({"personnel": null})).await,
            (850, 100, true),
            "null returns to the estimate"
        );

        let history = json_ok(&app, &format!("{path}/history")).await;
        let flags: Vec<bool> = history
            .as_array()
            .or_else(|| history["items"].as_array())
            .into_iter()
            .flatten()
            .filter_map(|v| {
                v["values"]["personnel_estimated"]
                    .as_bool()
                    .or_else(|| v["personnel_estimated"].as_bool())
            })
            .collect();
        assert_eq!(
            flags,
            [true, true, false, false, true],
            "{}: {history}",
            app.backend
        );

        let too_many = app
            .post(
                "/api/v1/pledges",
                &app.planner,
                json!({"pledge_ref": "EST-2", "member_state": "PAK", "capability": "FPU",
                       "quantity": 1, "female_personnel": 141}),
            )
            .await;
        assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
        let error = &too_many.json["errors"][0];
        assert_eq!(error["field"], "female_personnel", "{}", too_many.json);
        assert!(
            error["message"]
                .as_str()
                .unwrap_or_default()
                .contains("estimated personnel (140 = 1 × 140 for FPU)"),
            "{}",
            too_many.json
        );
    }
}

#[tokio::test]
async fn personnel_left_out_of_the_form_is_estimated() {
    for app in apps(false).await {
        let cookie = log_in(&app, &app.planner).await;
        let fields = [
            ("member_state", "Ghana"),
            ("capability", "FPU"),
            ("quantity", "2"),
            ("readiness", "L2"),
            ("pledge_ref", "GHA-FORM-1"),
        ];
        let (saved, html) = submit(&app, "/pledges/new", &fields, &cookie).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "{}: {html}",
            app.backend
        );
        assert_eq!(
            figures(&pledge_of(&app, "GHA", "GHA-FORM-1").await),
            (280, 0, true),
            "2 × 140"
        );
        let stated = [
            ("member_state", "Ghana"),
            ("capability", "FPU"),
            ("quantity", "2"),
            ("personnel", "250"),
            ("pledge_ref", "GHA-FORM-2"),
        ];
        let (saved, _) = submit(&app, "/pledges/new", &stated, &cookie).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert_eq!(
            figures(&pledge_of(&app, "GHA", "GHA-FORM-2").await),
            (250, 0, false)
        );

        // The pages mark the estimate, and only it.
        let estimated = pledge_of(&app, "GHA", "GHA-FORM-1").await;
        let stated = pledge_of(&app, "GHA", "GHA-FORM-2").await;
        let mark = "<abbr class=\"estimate\"";
        let detail = |p: &Value| format!("/pledges/{}", p["id"]);
        let (_, html) = page(&app, &detail(&estimated), Some(&cookie)).await;
        assert!(
            html.contains(&format!("<dd id=\"personnel\">{mark}")) && html.contains("280"),
            "{html}"
        );
        let (_, html) = page(&app, &detail(&stated), Some(&cookie)).await;
        assert!(html.contains("<dd id=\"personnel\">250"), "{html}");
        let (_, html) = page(&app, "/pledges?member_state=GHA", Some(&cookie)).await;
        assert_eq!(html.matches(mark).count(), 1, "one estimated row: {html}");
        let (_, html) = page(&app, "/countries/GHA", Some(&cookie)).await;
        assert_eq!(html.matches(mark).count(), 1, "one estimated row: {html}");
        let summary = app.get("/api/v1/reports/countries/GHA").await.json;
        assert!(
            html.contains(&format!(
                "id=\"total-personnel-estimated\">{}</td>",
                summary["personnel_estimated"]
            )),
            "{html}"
        );
        assert!(summary["personnel_estimated"].as_u64() >= Some(280));
    }
}

const FIRST: &str = "pledge_ref,member_state,capability,quantity,personnel\n\
E-1,PAK,INF-BN,1,\n\
E-2,PAK,FPU,2,300\n\
E-3,PAK,HEL-UTIL,1,\n";

#[tokio::test]
async fn a_csv_import_estimates_left_out_personnel_and_its_export_reimports_as_a_no_op() {
    for app in apps(false).await {
        let preview = import_csv(&app, FIRST, true).await;
        assert_eq!(preview.json["estimated"], 2, "{}", preview.json);
        let listed: Vec<(u64, String, u64, bool)> = preview.json["preview"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                (
                    r["line"].as_u64().unwrap_or_default(),
                    r["action"].as_str().unwrap_or_default().to_owned(),
                    r["personnel"].as_u64().unwrap_or_default(),
                    r["personnel_estimated"].as_bool().unwrap_or_default(),
                )
            })
            .collect();
        let helicopter = u64::from(
            app.state
                .catalog()
                .capability("HEL-UTIL")
                .map(|c| c.standard_personnel)
                .unwrap_or_default(),
        );
        assert_eq!(
            listed,
            [
                (2, "create".into(), 850, true),
                (3, "create".into(), 300, false),
                (4, "create".into(), helicopter, true),
            ]
        );
        assert_eq!(preview.json["not_previewed"], 0);

        let applied = import_csv(&app, FIRST, false).await;
        assert_eq!(applied.json["estimated"], 2);
        assert_eq!(
            figures(&pledge_of(&app, "PAK", "E-1").await),
            (850, 0, true)
        );
        assert_eq!(
            figures(&pledge_of(&app, "PAK", "E-2").await),
            (300, 0, false)
        );

        // The export marks the estimate; importing it back changes nothing.
        let exported = text(&app, "/api/v1/exports/pledges.csv").await;
        let header = exported.lines().next().unwrap_or_default();
        assert!(
            header.contains(",notes,personnel_estimated,supersedes,"),
            "{header}"
        );
        assert!(
            exported
                .lines()
                .any(|l| l.starts_with("E-1,PAK,INF-BN,1,850,") && l.ends_with(",true,,,,,,,,,")),
            "{exported}"
        );
        let again = import_csv(&app, &exported, false).await;
        assert_eq!(
            (again.json["created"].clone(), again.json["updated"].clone()),
            (json!(0), json!(0)),
            "{}",
            again.json
        );

        // A re-import that changes the quantity re-estimates; one that states a figure keeps it.
        let more = import_csv(
            &app,
            "pledge_ref,member_state,capability,quantity\nE-1,PAK,INF-BN,2\nE-2,PAK,FPU,3\n",
            false,
        )
        .await;
        assert_eq!(more.json["updated"], 2);
        assert_eq!(more.json["estimated"], 1);
        assert_eq!(
            figures(&pledge_of(&app, "PAK", "E-1").await),
            (1700, 0, true)
        );
        assert_eq!(
            figures(&pledge_of(&app, "PAK", "E-2").await),
            (300, 0, false),
            "a stated figure stays"
        );
        import_csv(
            &app,
            "pledge_ref,member_state,capability,quantity,personnel\nE-1,PAK,INF-BN,2,1600\n",
            false,
        )
        .await;
        assert_eq!(
            figures(&pledge_of(&app, "PAK", "E-1").await),
            (1600, 0, false)
        );

        // A figure marked estimated that is not the estimate is refused, in words.
        let wrong = upload(
            &app,
            "?dry_run=true",
            b"pledge_ref,member_state,capability,quantity,personnel,personnel_estimated\nE-3,PAK,HEL-UTIL,1,999,true\n".to_vec(),
            "text/csv",
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let error = &wrong.json["errors"][0];
        assert_eq!(
            (error["line"].clone(), error["column"].clone()),
            (json!(2), json!("personnel"))
        );
        assert!(
            error["message"]
                .as_str()
                .unwrap_or_default()
                .contains("set personnel_estimated to false to state 999"),
            "{}",
            wrong.json
        );

        // Summaries say how much of their personnel is estimated.
        let pak = json_ok(&app, "/api/v1/reports/countries/PAK").await;
        assert_eq!(
            (pak["personnel"].clone(), pak["personnel_estimated"].clone()),
            (json!(1600 + 300 + helicopter), json!(helicopter)),
            "{}",
            app.backend
        );
        let all = json_ok(&app, "/api/v1/reports/countries").await;
        assert_eq!(all["totals"]["personnel_estimated"], json!(helicopter));
        let rows = csv_rows(&app, "/api/v1/reports/countries.csv").await;
        let pak_row = rows
            .iter()
            .find(|r| r[0] == "PAK")
            .cloned()
            .unwrap_or_default();
        assert_eq!(pak_row.last().cloned(), Some(helicopter.to_string()));
    }
}

#[tokio::test]
async fn an_xlsx_import_estimates_left_out_personnel() {
    for app in apps(false).await {
        let path = format!(
            "{}/../../fixtures/import-examples/workbook_without_personnel.xlsx",
            env!("CARGO_MANIFEST_DIR")
        );
        let workbook = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let boundary = "pledgeboard-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.xlsx\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        .into_bytes();
        body.extend(workbook);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        let answer = upload(
            &app,
            "",
            body,
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            answer.json
        );
        assert_eq!(answer.json["estimated"], 2);
        assert_eq!(
            figures(&pledge_of(&app, "IDN", "IDN-E-01").await),
            (1700, 40, true)
        );
        assert_eq!(
            figures(&pledge_of(&app, "IDN", "IDN-E-02").await),
            (140, 0, true)
        );
    }
}

#[tokio::test]
async fn the_preview_lists_fifty_rows_counts_the_rest_and_sorts_errors_by_line() {
    for app in apps(false).await {
        let mut csv = String::from("pledge_ref,member_state,capability,quantity\n");
        for i in 0..60 {
            csv.push_str(&format!("MANY-{i},PAK,SO,{}\n", i + 1));
        }
        let answer = import_csv(&app, &csv, true).await;
        let preview = answer.json["preview"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(preview.len(), 50, "{}", app.backend);
        assert_eq!(preview[0]["line"], 2);
        assert_eq!(preview[49]["pledge_ref"], "MANY-49");
        assert_eq!(answer.json["not_previewed"], 10);
        assert_eq!(answer.json["estimated"], 60);

        // A repeated key is found while reading, a bad capability while planning: the
        // answer lists them by line all the same.
        let bad = "pledge_ref,member_state,capability,quantity\n\
                   B-1,PAK,NOPE,1\n\
                   B-2,PAK,INF-BN,1\n\
                   B-2,PAK,INF-BN,1\n\
                   B-3,PAK,NOPE,1\n";
        let answer = upload(&app, "?dry_run=true", bad.as_bytes().to_vec(), "text/csv").await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        let lines: Vec<u64> = answer.json["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["line"].as_u64())
            .collect();
        assert_eq!(lines, [2, 4, 5], "{}", answer.json);
    }
}

#[tokio::test]
async fn the_import_page_shows_the_estimates_the_rows_and_offers_the_errors_as_csv() {
    for app in apps(false).await {
        let cookie = log_in(&app, &app.planner).await;
        let (answer, html) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("pledges.csv"), FIRST.as_bytes()),
                ("action", None, b"preview"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}: {html}", app.backend);
        assert!(html.contains("id=\"import-estimated\">2</td>"), "{html}");
        assert!(html.contains("2 rows give no personnel"), "{html}");
        assert!(html.contains("<caption>Rows it would create or update</caption>"));
        assert!(
            html.contains(
                "<td role=\"cell\" class=\"capability\" data-label=\"Capability\">Infantry battalion (INF-BN)</td>\
                 <td role=\"cell\" class=\"num\" data-label=\"Quantity\">1</td>\
                 <td role=\"cell\" class=\"num\" data-label=\"Personnel\"><abbr class=\"estimate\" \
                 title=\"estimated: the capability&#39;s standard size × quantity\">≈</abbr>&nbsp;850</td>"
            ),
            "{html}"
        );
        assert!(
            html.contains("data-label=\"Personnel\">300</td>"),
            "a stated figure has no sign"
        );

        let bad = "pledge_ref,member_state,capability,quantity\nX-1,Pakistn,INF-BN,1\nX-2,PAK,INF-BN,=1+1\n";
        let (answer, html) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("delegation file.csv"), bad.as_bytes()),
                ("action", None, b"preview"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("value=\"errors\" id=\"import-errors-csv\""),
            "{html}"
        );
        let (download, body) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("delegation file.csv"), bad.as_bytes()),
                ("action", None, b"errors"),
            ],
            &cookie,
        )
        .await;
        assert_eq!(download.status, StatusCode::OK, "{body}");
        assert!(download.content_type.starts_with("text/csv"));
        assert_eq!(
            download.header("content-disposition").as_deref(),
            Some("attachment; filename=\"delegationfile-errors.csv\"")
        );
        let rows: Vec<Vec<String>> = csv::Reader::from_reader(body.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| r.iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows.len(), 2, "{body}");
        assert_eq!(
            (rows[0][0].as_str(), rows[0][1].as_str()),
            ("2", "member_state")
        );
        assert_eq!(rows[0][2], "Pakistn");
        assert!(rows[0][3].contains("did you mean"), "{body}");
        assert_eq!(
            (rows[1][0].as_str(), rows[1][2].as_str()),
            ("3", "'=1+1"),
            "a formula is neutralised"
        );
        assert_eq!(
            app.get("/api/v1/pledges?member_state=PAK").await.json["items"]
                .as_array()
                .map(Vec::len),
            Some(0),
            "a preview or a download saves nothing"
        );
    }
}
