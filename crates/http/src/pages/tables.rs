//! The all-states table (sortable by any column, for one conference when asked) and the
//! renewals list (for one state or mission when asked).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use pledgeboard_domain::Catalog;
use pledgeboard_domain::country_report::{CountryRow, CountryTotals, RenewalLine, sort_rows};
use serde::Deserialize;

use crate::api::reports::countries::CountryQuery as ReportQuery;
use crate::api::reports::renewals::RenewalQuery;
use crate::i18n::{self, Lang};
use crate::pages::choices::Lists;
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::form::FieldErrors;
use crate::pages::session::{Nav, PageUser, render};
use crate::{ApiError, AppState};

/// Column names and headings of the all-states table, in order, and whether they hold numbers.
/// The heading is a message key.
const COLUMNS: [(&str, &str, bool); 11] = [
    ("member_state", "countries-col-state", false),
    ("name", "countries-col-name", false),
    ("pledges", "countries-col-pledges", true),
    ("quantity", "countries-col-quantity", true),
    ("personnel", "countries-col-personnel", true),
    ("personnel_estimated", "countries-col-estimated", true),
    ("female_personnel", "countries-col-women", true),
    ("female_share_pct", "countries-col-women-share", true),
    ("monthly_cost_usd", "countries-col-cost", true),
    ("partnerships", "countries-col-partner", true),
    ("renewals_due", "countries-col-renewals", true),
];

/// A heading of the all-states table: its sort link and how it sorts the table now.
struct Heading {
    label: String,
    href: String,
    numeric: bool,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    state: &'static str,
}

#[derive(Template)]
#[template(path = "countries.html")]
struct CountriesPage {
    nav: Nav,
    headings: Vec<Heading>,
    sort: String,
    descending: bool,
    conferences: Vec<(String, String)>,
    conference: String,
    /// `?conference=…` for the CSV and JSON links, or empty.
    query: String,
    rows: Vec<CountryRow>,
    totals: CountryTotals,
}

/// How the table is sorted, and for which conference.
#[derive(Deserialize)]
pub struct SortQuery {
    sort: Option<String>,
    order: Option<String>,
    #[serde(default)]
    conference: String,
}

/// `GET /countries`
pub async fn show_countries(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Query(query): Query<SortQuery>,
) -> Result<Response, PageError> {
    let catalog = state.catalog();
    let filter = ReportQuery {
        conference: Some(query.conference.trim().to_owned()).filter(|c| !c.is_empty()),
        ..ReportQuery::default()
    }
    .to_filter(&state)?;
    let mut report = state
        .store
        .countries_report(&catalog, &filter, Utc::now().date_naive())
        .await?;
    let lang = i18n::current();
    // Named in the page's language before sorting, so a sort by name follows that language.
    for row in &mut report.rows {
        row.name = i18n::member_state_name(&catalog, row.member_state.as_str(), lang);
    }
    let sort = query.sort.unwrap_or_else(|| "member_state".into());
    let descending = query.order.as_deref() == Some("desc");
    sort_rows(&mut report.rows, &sort, descending)
        .map_err(|e| ApiError::invalid_field("sort", &sort, e))?;
    let conference = filter.conference.map(|c| c.to_string()).unwrap_or_default();
    let keep = if conference.is_empty() {
        String::new()
    } else {
        format!("conference={conference}&")
    };
    let headings = COLUMNS
        .iter()
        .map(|&(column, label, numeric)| {
            let current = column == sort;
            let order = if current && !descending {
                "desc"
            } else {
                "asc"
            };
            Heading {
                label: lang.t(label),
                href: format!("/countries?{keep}sort={column}&order={order}"),
                numeric,
                state: match (current, descending) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
            }
        })
        .collect();
    Ok(render(&CountriesPage {
        nav: Nav::of(&actor),
        headings,
        sort,
        descending,
        conferences: conference_choices(&catalog, lang),
        query: if conference.is_empty() {
            String::new()
        } else {
            format!("?conference={conference}")
        },
        conference,
        rows: report.rows,
        totals: report.totals,
    }))
}

/// Every conference as a choice: its code, and its name in `lang`.
pub fn conference_choices(catalog: &Catalog, lang: Lang) -> Vec<(String, String)> {
    catalog
        .conferences()
        .map(|c| {
            let code = c.code.to_string();
            let named = i18n::conference_name(catalog, &code, lang);
            let name = named
                .strip_suffix(&format!(" ({code})"))
                .map_or_else(|| c.name.clone(), str::to_owned);
            (code, name)
        })
        .collect()
}

/// A renewal line with its capability named.
struct RenewalRow {
    line: RenewalLine,
    capability: String,
}

#[derive(Template)]
#[template(path = "renewals.html")]
struct RenewalsPage {
    nav: Nav,
    lists: Lists,
    errors: FieldErrors,
    member_state: String,
    mission: String,
    items: Vec<RenewalRow>,
    /// The filters as the CSV and workbook links carry them (`?…`, or empty).
    download_query: String,
}

/// The renewals list's filters, as typed.
#[derive(Deserialize)]
pub struct RenewalsPageQuery {
    #[serde(default)]
    member_state: String,
    #[serde(default)]
    mission: String,
}

/// `GET /renewals`
pub async fn show_renewals(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Query(query): Query<RenewalsPageQuery>,
) -> Result<Response, PageError> {
    let catalog = state.catalog();
    let given = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let asked = RenewalQuery {
        member_state: given(&query.member_state),
        mission: given(&query.mission),
        ..RenewalQuery::default()
    };
    let (lines, errors) = match asked.to_filter(&catalog) {
        Ok(filter) => (
            state
                .store
                .renewals(Utc::now().date_naive(), &filter)
                .await?,
            FieldErrors::default(),
        ),
        Err(errors) => (Vec::new(), FieldErrors::new(errors)),
    };
    let items = lines
        .into_iter()
        .map(|line| RenewalRow {
            capability: i18n::capability_name(&catalog, &line.capability, i18n::current()),
            line,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let filters: Vec<(&str, String)> = [
        ("member_state", asked.member_state),
        ("mission", asked.mission),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let download_query = match serde_urlencoded::to_string(&filters) {
        Ok(q) if !q.is_empty() => format!("?{q}"),
        _ => String::new(),
    };
    let page = RenewalsPage {
        nav: Nav::of(&actor),
        lists: Lists::of(&catalog),
        errors,
        download_query,
        member_state: query.member_state,
        mission: query.mission,
        items,
    };
    Ok((status, render(&page)).into_response())
}
