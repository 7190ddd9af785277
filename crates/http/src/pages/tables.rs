//! The all-states table (sortable by any column) and the renewals list.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Utc;
use pledgeboard_domain::country_report::{CountryRow, CountryTotals, RenewalLine, sort_rows};
use pledgeboard_store::CountryFilter;
use serde::Deserialize;

use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::session::{Nav, PageUser, render};
use crate::{ApiError, AppState};

/// Column names and headings of the all-states table, in order.
const COLUMNS: [(&str, &str); 10] = [
    ("member_state", "State"),
    ("name", "Name"),
    ("pledges", "Pledges"),
    ("quantity", "Quantity"),
    ("personnel", "Personnel"),
    ("female_personnel", "Women"),
    ("female_share_pct", "Women %"),
    ("monthly_cost_usd", "Monthly cost (USD)"),
    ("partnerships", "Partner in"),
    ("renewals_due", "Renewals due"),
];

#[derive(Template)]
#[template(path = "countries.html")]
struct CountriesPage {
    nav: Nav,
    columns: Vec<(&'static str, &'static str)>,
    sort: String,
    descending: bool,
    rows: Vec<CountryRow>,
    totals: CountryTotals,
}

/// How the table is sorted.
#[derive(Deserialize)]
pub struct SortQuery {
    sort: Option<String>,
    order: Option<String>,
}

/// `GET /countries`
pub async fn show_countries(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Query(query): Query<SortQuery>,
) -> Result<Response, PageError> {
    let catalog = state.catalog();
    let mut report = state
        .store
        .countries_report(&catalog, &CountryFilter::default(), Utc::now().date_naive())
        .await?;
    let sort = query.sort.unwrap_or_else(|| "member_state".into());
    let descending = query.order.as_deref() == Some("desc");
    sort_rows(&mut report.rows, &sort, descending)
        .map_err(|e| ApiError::invalid_field("sort", &sort, e))?;
    Ok(render(&CountriesPage {
        nav: Nav::of(&actor),
        columns: COLUMNS.to_vec(),
        sort,
        descending,
        rows: report.rows,
        totals: report.totals,
    }))
}

#[derive(Template)]
#[template(path = "renewals.html")]
struct RenewalsPage {
    nav: Nav,
    items: Vec<RenewalLine>,
}

/// `GET /renewals`
pub async fn show_renewals(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
) -> Result<Response, PageError> {
    let items = state.store.renewals(Utc::now().date_naive(), None).await?;
    Ok(render(&RenewalsPage {
        nav: Nav::of(&actor),
        items,
    }))
}
