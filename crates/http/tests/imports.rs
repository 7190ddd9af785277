//! Imports and exports through the real router, on every backend: the example files planners
//! send, every rule of the pledge CSV contract, all-or-nothing, idempotence, round trips.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;
use support::{Answer, TestApp, apps};

fn example(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../fixtures/import-examples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn upload(
    app: &TestApp,
    path: &str,
    token: &str,
    body: Vec<u8>,
    content_type: &str,
) -> Answer {
    let request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", content_type)
        .body(Body::from(body))
        .unwrap_or_else(|e| panic!("{e}"));
    app.send(request).await
}

async fn import(app: &TestApp, body: Vec<u8>, dry_run: bool) -> Answer {
    upload(
        app,
        &format!("/api/v1/imports/pledges?dry_run={dry_run}"),
        &app.planner,
        body,
        "text/csv",
    )
    .await
}

async fn export(app: &TestApp) -> String {
    let request = Request::get("/api/v1/exports/pledges.csv")
        .header("authorization", format!("Bearer {}", app.viewer))
        .body(Body::empty())
        .unwrap_or_default();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap_or_else(|e| match e {});
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    String::from_utf8(bytes.to_vec()).unwrap_or_default()
}

async fn audit_count(app: &TestApp) -> usize {
    app.get("/api/v1/audit?limit=1000").await.json["items"]
        .as_array()
        .map_or(0, Vec::len)
}

fn counts(answer: &Answer) -> (u64, u64, u64, u64) {
    let n = |k: &str| answer.json[k].as_u64().unwrap_or(u64::MAX);
    (n("rows"), n("created"), n("updated"), n("unchanged"))
}

fn messages(answer: &Answer) -> Vec<(u64, String, String)> {
    answer.json["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or_default(),
                e["column"].as_str().unwrap_or_default().to_owned(),
                e["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_excel_file_with_a_bom_and_semicolons_imports() {
    for app in apps(false).await {
        let answer = import(&app, example("excel_bom_semicolons.csv"), false).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            answer.json
        );
        assert_eq!(counts(&answer), (3, 3, 0, 0));
        assert_eq!(answer.json["applied"], true);
        let bgd = app.get("/api/v1/pledges?member_state=BGD").await.json["items"].clone();
        assert_eq!(bgd[2]["monthly_cost_usd"], "399840.50");
        assert_eq!(bgd[0]["mission"], "MONUSCO");
    }
}

#[tokio::test]
async fn windows_1252_names_are_read_and_matched() {
    for app in apps(false).await {
        let answer = import(&app, example("windows1252_names.csv"), false).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            answer.json
        );
        assert_eq!(counts(&answer), (3, 3, 0, 0));
        let tur = app.get("/api/v1/pledges?member_state=TUR").await.json["items"][0].clone();
        assert_eq!(tur["notes"], "Hôpital de niveau 2");
        assert_eq!(
            app.get("/api/v1/pledges?member_state=SEN").await.json["items"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
    }
}

#[tokio::test]
async fn names_and_variants_instead_of_codes_import() {
    for app in apps(false).await {
        let answer = import(&app, example("names_instead_of_codes.csv"), false).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            answer.json
        );
        assert_eq!(counts(&answer), (4, 4, 0, 0));
        let pak = app.get("/api/v1/pledges?member_state=PAK").await.json["items"][0].clone();
        assert_eq!(
            pak["partners"],
            serde_json::json!([{"member_state": "JPN", "role": "equips"}, {"member_state": "KOR", "role": "trains"}])
        );
        assert_eq!(pak["mission"], "MINUSCA");
        assert_eq!(
            app.get("/api/v1/pledges?member_state=VNM").await.json["items"][0]["readiness"],
            "RDL"
        );
    }
}

#[tokio::test]
async fn quoted_fields_keep_commas_quotes_and_line_breaks() {
    for app in apps(false).await {
        let answer = import(&app, example("quoted_fields.csv"), false).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            answer.json
        );
        assert_eq!(
            counts(&answer),
            (2, 2, 0, 0),
            "trailing empty lines are not rows"
        );
        let npl = app.get("/api/v1/pledges?member_state=NPL").await.json["items"].clone();
        assert_eq!(
            npl[0]["caveats"],
            "No deployment north of Bria, Ndélé or Birao"
        );
        assert_eq!(npl[0]["notes"], "Offered at the \"Islamabad\" meeting");
        assert_eq!(npl[1]["caveats"], "Night patrols only\nwith UN escort");
    }
}

#[tokio::test]
async fn an_xlsx_workbook_imports_by_upload_form() {
    for app in apps(false).await {
        let boundary = "pledgeboard-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"workbook.xlsx\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        .into_bytes();
        body.extend(example("workbook.xlsx"));
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        let answer = upload(
            &app,
            "/api/v1/imports/pledges",
            &app.planner,
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
        assert_eq!(counts(&answer), (2, 2, 0, 0));
        let idn = app.get("/api/v1/pledges?member_state=IDN").await.json["items"].clone();
        assert_eq!(
            idn[0]["available_from"], "2026-03-01",
            "an Excel date cell becomes an ISO date"
        );
        assert_eq!(idn[0]["quantity"], 1);
        assert_eq!(idn[0]["monthly_cost_usd"], "1213800.00");
    }
}

#[tokio::test]
async fn a_file_with_bad_rows_applies_nothing_and_lists_every_problem() {
    for app in apps(true).await {
        let before = export(&app).await;
        let audit_before = audit_count(&app).await;
        let answer = import(&app, example("several_bad_rows.csv"), false).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert_eq!(answer.json["applied"], false);
        let errors = messages(&answer);
        let expect = |line: u64, column: &str, message: &str| {
            assert!(
                errors
                    .iter()
                    .any(|(l, c, m)| *l == line && c == column && m == message),
                "{}: no error on line {line} {column}: {message}\ngot {errors:#?}",
                app.backend
            );
        };
        expect(
            2,
            "member_state",
            "unknown member state 'Pakistn' — did you mean Pakistan (PAK)?",
        );
        expect(3, "quantity", "quantity '1,000' is not a whole number");
        expect(
            4,
            "available_from",
            "'05/06/2026' is not a date written YYYY-MM-DD (e.g. 2025-04-15)",
        );
        expect(
            5,
            "monthly_cost_usd",
            "'$1,250' is not an amount in USD — write digits with at most two decimals, no thousands separator or currency sign (e.g. 1250000.50)",
        );
        expect(
            6,
            "female_personnel",
            "female personnel (120) cannot exceed personnel (100)",
        );
        expect(
            7,
            "readiness",
            "readiness 'L4' is not a PCRS level — use L1, L2, L3 or RDL",
        );
        expect(
            7,
            "duration_months",
            "duration must be from 1 to 60 months, not 72",
        );
        expect(
            7,
            "mission",
            "unknown mission 'MINUSKA' — did you mean MINUSCA?",
        );
        expect(
            7,
            "status",
            "status 'promised' is not one of pledged, verified, deployed, withdrawn",
        );
        expect(
            9,
            "pledge_ref",
            "pledge PAK-B-07 of PAK appears twice in this file",
        );
        assert_eq!(
            export(&app).await,
            before,
            "a failed import changes nothing"
        );
        assert_eq!(audit_count(&app).await, audit_before);
    }
}

#[tokio::test]
async fn an_unknown_column_is_named() {
    for app in apps(false).await {
        let answer = import(&app, example("unknown_column.csv"), false).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        let errors = messages(&answer);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .2
                .starts_with("unknown column 'colour' — the columns are: pledge_ref, member_state"),
            "{errors:?}"
        );
    }
}

/// One row per rule of the contract: (column, bad value, the message a planner reads).
const RULES: &[(&str, &str, &str)] = &[
    (
        "quantity",
        "0",
        "quantity must be a whole number from 1 to 1000000, not 0",
    ),
    ("quantity", "2.5", "quantity '2.5' is not a whole number"),
    (
        "personnel",
        "-1",
        "personnel must be a whole number from 0 to 1000000, not -1",
    ),
    (
        "female_personnel",
        "11",
        "female personnel (11) cannot exceed personnel (10)",
    ),
    (
        "readiness",
        "L0",
        "readiness 'L0' is not a PCRS level — use L1, L2, L3 or RDL",
    ),
    (
        "available_from",
        "2026-13-01",
        "'2026-13-01' is not a date written YYYY-MM-DD (e.g. 2025-04-15)",
    ),
    (
        "available_from",
        "1/2/2026",
        "'1/2/2026' is not a date written YYYY-MM-DD (e.g. 2025-04-15)",
    ),
    (
        "duration_months",
        "0",
        "duration must be from 1 to 60 months, not 0",
    ),
    (
        "duration_months",
        "61",
        "duration must be from 1 to 60 months, not 61",
    ),
    (
        "mission",
        "UNMIS",
        "unknown mission 'UNMIS' — did you mean UNMISS?",
    ),
    (
        "conference",
        "ISB-2024",
        "unknown conference 'ISB-2024' — did you mean ISB-2025?",
    ),
    (
        "status",
        "cancelled",
        "status 'cancelled' is not one of pledged, verified, deployed, withdrawn",
    ),
    (
        "monthly_cost_usd",
        "1,250.00",
        "'1,250.00' is not an amount in USD — write digits with at most two decimals, no thousands separator or currency sign (e.g. 1250000.50)",
    ),
    (
        "monthly_cost_usd",
        "12.345",
        "'12.345' is not an amount in USD — write digits with at most two decimals, no thousands separator or currency sign (e.g. 1250000.50)",
    ),
    (
        "monthly_cost_usd",
        "€100",
        "'€100' is not an amount in USD — write digits with at most two decimals, no thousands separator or currency sign (e.g. 1250000.50)",
    ),
    (
        "partners",
        "JPN",
        "partner 'JPN' should be written ISO3:role, e.g. JPN:equips",
    ),
    (
        "partners",
        "JPN:pays",
        "partner role 'pays' is not one of trains, equips, funds, deploys",
    ),
    (
        "partners",
        "PAK:trains",
        "PAK leads this pledge and cannot also be its partner",
    ),
    (
        "member_state",
        "Pakistn",
        "unknown member state 'Pakistn' — did you mean Pakistan (PAK)?",
    ),
    (
        "capability",
        "INF-BNN",
        "unknown capability 'INF-BNN' — did you mean INF-BN?",
    ),
    (
        "registered_on",
        "2026-02-30",
        "'2026-02-30' is not a date written YYYY-MM-DD (e.g. 2025-04-15)",
    ),
    (
        "renewed_on",
        "2020-01-01",
        "a pledge cannot be renewed (2020-01-01) before it was registered (2025-01-01)",
    ),
];

#[tokio::test]
async fn each_rule_of_the_contract_has_a_clear_message() {
    let apps = apps(false).await;
    let app = &apps[0];
    let header = "pledge_ref,member_state,capability,quantity,personnel,female_personnel,readiness,available_from,duration_months,mission,conference,status,monthly_cost_usd,partners,registered_on,renewed_on";
    let good = [
        "R-1",
        "PAK",
        "INF-BN",
        "1",
        "10",
        "1",
        "L2",
        "2026-01-01",
        "12",
        "MINUSCA",
        "ISB-2023",
        "pledged",
        "100.00",
        "JPN:equips",
        "2025-01-01",
        "",
    ];
    let columns: Vec<&str> = header.split(',').collect();
    let clean = import(
        app,
        format!("{header}\n{}\n", good.join(",")).into_bytes(),
        true,
    )
    .await;
    assert_eq!(
        clean.status,
        StatusCode::OK,
        "the good row is good: {}",
        clean.json
    );
    for (column, value, message) in RULES {
        let mut row = good.map(str::to_owned);
        let i = columns
            .iter()
            .position(|c| c == column)
            .unwrap_or_else(|| panic!("{column}"));
        row[i] = if value.contains(',') {
            format!("\"{value}\"")
        } else {
            (*value).to_owned()
        };
        let answer = import(
            app,
            format!("{header}\n{}\n", row.join(",")).into_bytes(),
            true,
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{column}={value}"
        );
        let errors = messages(&answer);
        assert!(
            errors
                .iter()
                .any(|(line, c, m)| *line == 2 && c == column && m == message),
            "{column}={value}: expected '{message}', got {errors:#?}"
        );
    }
}

#[tokio::test]
async fn a_dry_run_reports_what_the_real_run_does_and_writes_nothing() {
    for app in apps(true).await {
        let before = export(&app).await;
        let audit_before = audit_count(&app).await;
        let mut file = example("names_instead_of_codes.csv");
        file.extend(b"PAK-2023-001,PAK,HEL-ATK,3,67,3,L2,MINUSCA,ISB-2023,\n");
        let preview = import(&app, file.clone(), true).await;
        assert_eq!(
            preview.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            preview.json
        );
        assert_eq!(
            (
                preview.json["dry_run"].clone(),
                preview.json["applied"].clone()
            ),
            (Value::Bool(true), Value::Bool(false))
        );
        assert_eq!(export(&app).await, before, "a dry run writes nothing");
        assert_eq!(audit_count(&app).await, audit_before);
        let real = import(&app, file, false).await;
        assert_eq!(
            counts(&real),
            counts(&preview),
            "the preview matches the real run"
        );
        assert_eq!(counts(&real), (5, 4, 1, 0));
    }
}

#[tokio::test]
async fn reimporting_the_same_file_changes_nothing() {
    for app in apps(false).await {
        let first = import(&app, example("names_instead_of_codes.csv"), false).await;
        assert_eq!(counts(&first), (4, 4, 0, 0), "{}", app.backend);
        let exported = export(&app).await;
        let audit_before = audit_count(&app).await;
        let mut events = app.state.subscribe();
        let again = import(&app, example("names_instead_of_codes.csv"), false).await;
        assert_eq!(counts(&again), (4, 0, 0, 4));
        assert_eq!(export(&app).await, exported);
        assert_eq!(audit_count(&app).await, audit_before, "no audit entry");
        assert!(events.try_recv().is_err(), "no event");
        let id = app.get("/api/v1/pledges?member_state=PAK").await.json["items"][0]["id"]
            .as_i64()
            .unwrap_or_default();
        assert_eq!(
            app.get(&format!("/api/v1/pledges/{id}/history")).await.json["items"]
                .as_array()
                .map(Vec::len),
            Some(1),
            "no new version"
        );
    }
}

#[tokio::test]
async fn export_then_import_is_a_no_op_on_the_demo_data() {
    for app in apps(true).await {
        let exported = export(&app).await;
        let answer = import(&app, exported.clone().into_bytes(), false).await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            answer.json
        );
        let (rows, created, updated, unchanged) = counts(&answer);
        assert_eq!(
            (created, updated, unchanged),
            (0, 0, rows),
            "{}",
            app.backend
        );
        assert!(rows >= 300);
        assert_eq!(export(&app).await, exported);
    }
}

#[tokio::test]
async fn a_reimport_updates_in_place_keeping_columns_the_file_lacks() {
    for app in apps(false).await {
        import(&app, example("excel_bom_semicolons.csv"), false).await;
        let changed = "pledge_ref,member_state,capability,quantity\nBGD-X-01,BGD,INF-BN,2\n";
        let answer = import(&app, changed.as_bytes().to_vec(), false).await;
        assert_eq!(
            counts(&answer),
            (1, 0, 1, 0),
            "{}: {}",
            app.backend,
            answer.json
        );
        let p = app.get("/api/v1/pledges?member_state=BGD").await.json["items"][0].clone();
        assert_eq!(
            (
                p["quantity"].clone(),
                p["mission"].clone(),
                p["version"].clone()
            ),
            (2.into(), "MONUSCO".into(), 2.into())
        );
        let audit = app.get("/api/v1/audit?entity=pledge").await.json["items"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(audit.iter().any(|e| e["action"] == "import"
            && e["before"]["quantity"] == 1
            && e["after"]["quantity"] == 2));
    }
}

#[tokio::test]
async fn formulas_are_neutralised_on_export_and_restored_on_import() {
    for app in apps(false).await {
        let file = "pledge_ref,member_state,capability,quantity,caveats,notes\n'=HYPERLINK(1),PAK,INF-BN,1,+cmd,@SUM(A1)\n";
        assert_eq!(
            import(&app, file.as_bytes().to_vec(), false).await.status,
            StatusCode::OK
        );
        let p = app.get("/api/v1/pledges").await.json["items"][0].clone();
        assert_eq!(
            (
                p["pledge_ref"].clone(),
                p["caveats"].clone(),
                p["notes"].clone()
            ),
            ("=HYPERLINK(1)".into(), "+cmd".into(), "@SUM(A1)".into()),
            "{}",
            app.backend
        );
        let exported = export(&app).await;
        assert!(
            exported.contains("'=HYPERLINK(1)")
                && exported.contains("'+cmd")
                && exported.contains("'@SUM(A1)"),
            "{exported}"
        );
        let again = import(&app, exported.into_bytes(), false).await;
        assert_eq!(counts(&again), (1, 0, 0, 1));
    }
}

#[tokio::test]
async fn who_may_import() {
    for app in apps(false).await {
        let file = example("names_instead_of_codes.csv");
        let viewer = upload(
            &app,
            "/api/v1/imports/pledges",
            &app.viewer,
            file.clone(),
            "text/csv",
        )
        .await;
        assert_eq!(viewer.status, StatusCode::FORBIDDEN);
        let delegate = upload(
            &app,
            "/api/v1/imports/pledges",
            &app.delegate,
            file,
            "text/csv",
        )
        .await;
        assert_eq!(
            delegate.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a PAK delegate cannot import other states' rows"
        );
        assert!(
            messages(&delegate)
                .iter()
                .any(|(_, _, m)| m == "a delegate of PAK may record only PAK's pledges, not KOR's")
        );
        let planner_requirements = upload(
            &app,
            "/api/v1/imports/requirements",
            &app.planner,
            b"mission,capability,quantity,needed_by,priority\n".to_vec(),
            "text/csv",
        )
        .await;
        assert_eq!(planner_requirements.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn requirements_import_creates_updates_and_leaves_alone() {
    for app in apps(false).await {
        let file = "Mission;Capability;Quantity;Personnel;Needed By;Priority\nUNMISS;HEL-UTIL;4;160;2026-06-30;critical\nunifil;EOD-COY;1;100;2026-09-30;high\n";
        let first = upload(
            &app,
            "/api/v1/imports/requirements",
            &app.admin,
            file.as_bytes().to_vec(),
            "text/csv",
        )
        .await;
        assert_eq!(
            first.status,
            StatusCode::OK,
            "{}: {}",
            app.backend,
            first.json
        );
        assert_eq!(counts(&first), (2, 2, 0, 0));
        let changed = file.replace("UNMISS;HEL-UTIL;4", "UNMISS;HEL-UTIL;6");
        let second = upload(
            &app,
            "/api/v1/imports/requirements",
            &app.admin,
            changed.into_bytes(),
            "text/csv",
        )
        .await;
        assert_eq!(counts(&second), (2, 0, 1, 1));
        let bad = upload(
            &app,
            "/api/v1/imports/requirements",
            &app.admin,
            b"mission,capability,quantity,needed_by,priority\nUNMISS,TRN-MTT,1,2026-01-01,urgent\n"
                .to_vec(),
            "text/csv",
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(messages(&bad).len(), 2);
    }
}

#[tokio::test]
async fn the_template_has_the_header_and_an_example_that_imports() {
    for app in apps(false).await {
        let request = Request::get("/api/v1/imports/pledges/template.csv")
            .header("authorization", format!("Bearer {}", app.viewer))
            .body(Body::empty())
            .unwrap_or_default();
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .unwrap_or_else(|e| match e {});
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/csv; charset=utf-8")
        );
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let preview = import(&app, bytes.to_vec(), true).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.json);
        assert_eq!(counts(&preview), (1, 1, 0, 0));
    }
}

#[tokio::test]
async fn an_upload_over_the_limit_is_413() {
    let settings = pledgeboard_http::HttpSettings {
        max_import_bytes: 1024,
        ..Default::default()
    };
    for app in support::apps_with(false, settings).await {
        let answer = import(&app, vec![b'x'; 4096], false).await;
        assert_eq!(
            answer.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "{}",
            app.backend
        );
        assert_eq!(answer.content_type, "application/problem+json");
    }
}

#[tokio::test]
async fn an_import_past_the_imports_at_once_waits_then_gets_503_with_retry_after() {
    use pledgeboard_http::{IMPORT_TURN_WAIT, MAX_CONCURRENT_IMPORTS};
    let file = b"pledge_ref,member_state,capability,quantity\nTURN-1,PAK,QRF-COY,1\n";
    for app in apps(false).await {
        let mut running = Vec::new();
        for _ in 0..MAX_CONCURRENT_IMPORTS {
            running.push(
                app.state
                    .import_turn()
                    .await
                    .unwrap_or_else(|_| panic!("a turn")),
            );
        }
        let started = std::time::Instant::now();
        let busy = import(&app, file.to_vec(), true).await;
        assert_eq!(
            busy.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            app.backend
        );
        assert!(
            started.elapsed() >= IMPORT_TURN_WAIT,
            "it waited for a turn first"
        );
        assert_eq!(busy.header("retry-after").as_deref(), Some("5"));
        assert_eq!(busy.json["type"], "urn:pledgeboard:problem:busy");
        assert!(
            busy.json["detail"]
                .as_str()
                .is_some_and(|d| d.contains("imports are running already")),
            "{}",
            busy.json
        );
        let cookie = support::pages::log_in(&app, &app.planner).await;
        let (page, html) = support::pages::post_multipart(
            &app,
            "/import",
            &[("file", Some("p.csv"), file), ("action", None, b"preview")],
            &cookie,
        )
        .await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(page.header("retry-after").as_deref(), Some("5"));
        assert!(html.contains("imports are running already"));

        running.pop();
        let turn = import(&app, file.to_vec(), true).await;
        assert_eq!(
            turn.status,
            StatusCode::OK,
            "a turn is free again: {}",
            turn.json
        );
    }
}

#[tokio::test]
async fn a_long_bad_value_is_quoted_cut_in_the_report() {
    let value = "9".repeat(5_000);
    let csv = format!("pledge_ref,member_state,capability,quantity\nA-1,PAK,QRF-COY,{value}\n");
    for app in apps(false).await {
        let answer = import(&app, csv.clone().into_bytes(), true).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        let error = &answer.json["errors"][0];
        assert_eq!(error["column"], "quantity", "{}", answer.json);
        assert_eq!(
            error["value"],
            format!("{}… (5,000 characters)", "9".repeat(100))
        );
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.len() < 400 && m.contains("…' (5,000 characters) is not")),
            "{error}"
        );
    }
}
