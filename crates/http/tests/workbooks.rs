//! Every report table's `.xlsx` twin holds its CSV's figures exactly, read back with calamine:
//! numbers as numbers, dates as dates, text as text, and an About sheet naming the filters.

mod support;

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, header};
use calamine::{Data, Reader, Xlsx};
use http_body_util::BodyExt;
use pledgeboard_domain::cell_kind::{CellKind, kind_of_column};
use support::{TestApp, apps, pledge_body};
use tower::ServiceExt;

/// The routes of report tables, CSV form, with filters a planner uses.
const TABLES: [&str; 13] = [
    "/api/v1/reports/coverage.csv",
    "/api/v1/reports/coverage.csv?mission=UNMISS",
    "/api/v1/reports/countries.csv",
    "/api/v1/reports/countries.csv?conference=ISB-2023",
    "/api/v1/reports/countries/PAK.csv",
    "/api/v1/reports/countries/PAK.csv?conference=ISB-2023&as_of=2025-06-30",
    "/api/v1/reports/follow-through.csv?conference=ISB-2023",
    "/api/v1/reports/follow-through.csv?conference=BER-2025&stalled_days=90",
    "/api/v1/reports/allocation.csv",
    "/api/v1/reports/allocation.csv?mission=MINUSCA",
    "/api/v1/reports/renewals.csv?member_state=PAK",
    "/api/v1/exports/pledges.csv",
    "/api/v1/exports/pledges.csv?member_state=PAK&readiness_min=L2",
];

async fn download(app: &TestApp, path: &str) -> (String, Vec<u8>) {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", app.viewer))
        .body(Body::empty())
        .unwrap_or_else(|e| panic!("{e}"));
    let response = app
        .router
        .clone()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    assert_eq!(response.status(), 200, "{}: {path}", app.backend);
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    (content_type, body)
}

fn csv_rows(text: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text)
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{e}"))
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

/// Whether the workbook's `cell` holds exactly the CSV's `text` as a value of `kind`.
fn same(kind: CellKind, text: &str, cell: &Data) -> bool {
    match (kind, cell) {
        (_, Data::Empty) => text.is_empty(),
        (CellKind::Number, Data::Float(f)) => text.parse::<f64>().is_ok_and(|t| t == *f),
        (CellKind::Number, Data::Int(i)) => text.parse::<i64>().is_ok_and(|t| t == *i),
        (CellKind::Date, Data::DateTime(d)) => d
            .as_datetime()
            .is_some_and(|d| d.date().format("%Y-%m-%d").to_string() == text),
        // Text, or a value its column did not expect (kept as written).
        (_, Data::String(s)) => {
            s == text && (kind == CellKind::Text || text.parse::<f64>().is_err())
        }
        _ => false,
    }
}

#[tokio::test]
async fn every_report_workbook_holds_its_csvs_figures_typed_with_an_about_sheet() {
    for app in apps(true).await {
        // A pledge whose PCRS renewal is long overdue, so the renewals table has a line.
        let mut overdue = pledge_body("PAK", "WB-OVERDUE");
        overdue["registered_on"] = "2024-01-10".into();
        let made = app.post("/api/v1/pledges", &app.planner, overdue).await;
        assert_eq!(made.status, 201, "{}", made.json);
        for csv_path in TABLES {
            let xlsx_path = csv_path.replacen(".csv", ".xlsx", 1);
            println!("{}: {xlsx_path}", app.backend);
            let (_, csv) = download(&app, csv_path).await;
            let (content_type, xlsx) = download(&app, &xlsx_path).await;
            assert!(
                content_type.contains("spreadsheetml"),
                "{xlsx_path}: {content_type}"
            );
            let mut book =
                Xlsx::new(Cursor::new(xlsx)).unwrap_or_else(|e| panic!("{xlsx_path}: {e}"));
            let sheet = book
                .worksheet_range("Report")
                .unwrap_or_else(|e| panic!("{xlsx_path}: {e}"));
            let rows = csv_rows(&csv);
            assert_eq!(sheet.height(), rows.len(), "{xlsx_path}: rows");
            let header = &rows[0];
            let mut numbers = 0;
            for (r, row) in rows.iter().enumerate() {
                for (c, text) in row.iter().enumerate() {
                    let cell = sheet.get((r, c)).cloned().unwrap_or(Data::Empty);
                    let kind = if r == 0 {
                        CellKind::Text
                    } else {
                        kind_of_column(&header[c])
                    };
                    assert!(
                        same(kind, text, &cell),
                        "{}: {xlsx_path} row {r} column {}: CSV {text:?}, workbook {cell:?}",
                        app.backend,
                        header[c]
                    );
                    numbers += usize::from(matches!(
                        cell,
                        Data::Float(_) | Data::Int(_) | Data::DateTime(_)
                    ));
                }
            }
            let typed = header.iter().any(|h| kind_of_column(h) != CellKind::Text);
            assert!(
                rows.len() > 1 && (numbers > 0 || !typed),
                "{xlsx_path}: no rows, or no typed cell"
            );

            let about = book
                .worksheet_range("About")
                .unwrap_or_else(|e| panic!("{xlsx_path}: {e}"));
            let said: Vec<String> = about
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(": ")
                })
                .collect();
            let said = said.join("\n");
            assert!(
                said.contains("Figures are indicative, as pledged by member states"),
                "{said}"
            );
            if xlsx_path.contains("follow-through") {
                // The follow-through's counting rules travel with its figures.
                assert!(
                    said.contains("stages: A pledge that is not withdrawn has reached a stage"),
                    "{xlsx_path}: About lacks the rules: {said}"
                );
            }
            if let Some((_, query)) = xlsx_path.split_once('?') {
                for (key, value) in query.split('&').filter_map(|p| p.split_once('=')) {
                    let shown = if key == "as_of" {
                        value.to_owned()
                    } else {
                        format!("{key} = {value}")
                    };
                    assert!(
                        said.contains(&shown),
                        "{xlsx_path}: About does not say {shown}: {said}"
                    );
                }
            } else {
                assert!(said.contains("Filters: none"), "{said}");
            }
        }
    }
}

/// The About sheet's lines, label and text joined.
fn about_lines(xlsx: Vec<u8>) -> String {
    let mut book = Xlsx::new(Cursor::new(xlsx)).unwrap_or_else(|e| panic!("{e}"));
    let about = book
        .worksheet_range("About")
        .unwrap_or_else(|e| panic!("{e}"));
    about
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn lang_fr_writes_the_about_sheet_in_french_and_english_stays_english() {
    for app in apps(true).await {
        let path = "/api/v1/reports/countries/PAK.xlsx?conference=ISB-2023";
        let (_, french) = download(&app, &format!("{path}&lang=fr")).await;
        let said = about_lines(french);
        for expected in [
            "Rapport: Engagements de Pakistan (PAK)",
            "Filtres: conference = ISB-2023",
            "Chiffres indicatifs, tels qu'annoncés par les États Membres.",
        ] {
            assert!(
                said.contains(expected),
                "{}: {expected} in {said}",
                app.backend
            );
        }
        // The same answer in English is not the French one kept in the cache.
        let (_, english) = download(&app, path).await;
        let said = about_lines(english);
        assert!(
            said.contains("Report: Pledges of Pakistan (PAK)")
                && said.contains("Figures are indicative"),
            "{}: {said}",
            app.backend
        );
    }
}

/// The first sheet's cells as text, row by row.
fn first_sheet(xlsx: &[u8]) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(Cursor::new(xlsx.to_vec())).unwrap_or_else(|e| panic!("{e}"));
    let range = book
        .worksheet_range_at(0)
        .unwrap_or_else(|| panic!("no sheet"))
        .unwrap_or_else(|e| panic!("{e}"));
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn outcome_and_follow_through_workbooks_word_their_rules_and_labels_in_french() {
    for app in apps(true).await {
        let path = "/api/v1/reports/follow-through.xlsx?conference=ISB-2023";
        let (_, english) = download(&app, path).await;
        let (_, french) = download(&app, &format!("{path}&lang=fr")).await;
        let (en_rows, fr_rows) = (first_sheet(&english), first_sheet(&french));
        assert_eq!(en_rows[0], fr_rows[0], "the same column names");
        assert_eq!(en_rows.len(), fr_rows.len(), "the same rows");
        let stage = |rows: &[Vec<String>], key: &str| {
            rows.iter()
                .find(|r| r[0] == "stage" && r[1] == key)
                .map(|r| (r[2].clone(), r[3].clone()))
                .unwrap_or_default()
        };
        assert_eq!(stage(&en_rows, "nv_received").0, "Note verbale received");
        assert_eq!(stage(&fr_rows, "nv_received").0, "Note verbale reçue");
        assert_eq!(
            stage(&en_rows, "nv_received").1,
            stage(&fr_rows, "nv_received").1,
            "the same figure"
        );
        let about = about_lines(french);
        assert!(
            about.contains("Suivi des engagements annoncés — "),
            "{about}"
        );
        assert!(
            about.contains("stalled: Un engagement ni retiré ni déployé"),
            "{about}"
        );

        let path = "/api/v1/reports/outcome.xlsx?conference=ISB-2023";
        let (_, english) = download(&app, path).await;
        let (_, french) = download(&app, &format!("{path}&lang=fr")).await;
        let (en_rows, fr_rows) = (first_sheet(&english), first_sheet(&french));
        assert_eq!(en_rows[0], fr_rows[0], "the same column names");
        for (en, fr) in en_rows.iter().zip(&fr_rows).skip(1) {
            assert_eq!((&en[0], &en[1]), (&fr[0], &fr[1]), "the same figures");
        }
        let pledges = fr_rows.iter().find(|r| r[0] == "pledges").cloned();
        assert!(
            pledges.is_some_and(|r| r[2].starts_with("Engagements dont la conférence")),
            "{fr_rows:?}"
        );
        assert!(about_lines(french).contains("pledges: Engagements dont la conférence"));
    }
}
