//! Every report table's `.xlsx` twin holds its CSV's figures exactly, read back with calamine:
//! numbers as numbers, dates as dates, text as text, and an About sheet naming the filters.

mod support;

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, header};
use calamine::{Data, Reader, Xlsx};
use http_body_util::BodyExt;
use pledgeboard_domain::cell_kind::{CellKind, kind_of_column};
use support::{TestApp, apps};
use tower::ServiceExt;

/// The routes of report tables, CSV form, with filters a planner uses.
const TABLES: [&str; 8] = [
    "/api/v1/reports/coverage.csv",
    "/api/v1/reports/coverage.csv?mission=UNMISS",
    "/api/v1/reports/countries.csv",
    "/api/v1/reports/countries.csv?conference=ISB-2023",
    "/api/v1/reports/countries/PAK.csv",
    "/api/v1/reports/countries/PAK.csv?conference=ISB-2023&as_of=2025-06-30",
    "/api/v1/reports/follow-through.csv?conference=ISB-2023",
    "/api/v1/reports/follow-through.csv?conference=BER-2025&stalled_days=90",
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
        for csv_path in TABLES {
            let xlsx_path = csv_path.replacen(".csv", ".xlsx", 1);
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
                    numbers += usize::from(matches!(cell, Data::Float(_) | Data::Int(_)));
                }
            }
            assert!(numbers > 0, "{xlsx_path}: no numeric cell");

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
