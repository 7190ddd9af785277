//! The pledge list: filtered by any list filter, sorted by any column, paged, with a link to
//! the CSV export of the same filter.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pledgeboard_domain::{Category, Pledge, PledgeStatus, Readiness};
use pledgeboard_store::{PledgeSort, PledgeTotals};
use serde::Deserialize;

use crate::api::pledges::query::PledgeListQuery;
use crate::pages::choices::Lists;
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::form::FieldErrors;
use crate::pages::session::{Nav, PageUser, render};
use crate::{ApiError, AppState};

/// Pledges on one page.
const PAGE_SIZE: u64 = 50;

/// The list's filters, sort and page, as in its address.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    member_state: String,
    #[serde(default)]
    mission: String,
    #[serde(default)]
    capability: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    readiness: String,
    #[serde(default)]
    readiness_min: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    conference: String,
    #[serde(default)]
    lineage: String,
    #[serde(default)]
    class: String,
    #[serde(default)]
    joint: String,
    #[serde(default)]
    earmarked: String,
    #[serde(default)]
    withdrawn: String,
    #[serde(default)]
    formed_units: String,
    sort: Option<String>,
    order: Option<String>,
    page: Option<u64>,
}

impl ListQuery {
    fn filters(&self) -> [(&'static str, &str); 14] {
        [
            ("member_state", &self.member_state),
            ("mission", &self.mission),
            ("capability", &self.capability),
            ("category", &self.category),
            ("readiness", &self.readiness),
            ("readiness_min", &self.readiness_min),
            ("status", &self.status),
            ("conference", &self.conference),
            ("lineage", &self.lineage),
            ("class", &self.class),
            ("joint", &self.joint),
            ("earmarked", &self.earmarked),
            ("withdrawn", &self.withdrawn),
            ("formed_units", &self.formed_units),
        ]
    }

    /// The filters given, as a query string (without `?`).
    fn filter_query(&self) -> String {
        let given: Vec<(&str, &str)> = self
            .filters()
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        serde_urlencoded::to_string(given).unwrap_or_default()
    }

    fn api_query(&self) -> PledgeListQuery {
        let opt = |v: &str| Some(v.to_owned()).filter(|v| !v.trim().is_empty());
        PledgeListQuery {
            member_state: opt(&self.member_state),
            mission: opt(&self.mission),
            capability: opt(&self.capability),
            category: opt(&self.category),
            readiness: opt(&self.readiness),
            readiness_min: opt(&self.readiness_min),
            status: opt(&self.status),
            conference: opt(&self.conference),
            lineage: opt(&self.lineage),
            class: opt(&self.class),
            joint: opt(&self.joint),
            earmarked: opt(&self.earmarked),
            withdrawn: opt(&self.withdrawn),
            formed_units: opt(&self.formed_units),
            limit: Some(PAGE_SIZE.to_string()),
            cursor: None,
        }
    }
}

/// A column heading that sorts the list.
struct SortLink {
    label: &'static str,
    numeric: bool,
    href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    state: &'static str,
}

#[derive(Template)]
#[template(path = "pledges.html")]
struct PledgesPage {
    nav: Nav,
    query: ListQuery,
    errors: FieldErrors,
    lists: Lists,
    /// Each category's key (the filter's value) and name.
    categories: Vec<(String, String)>,
    readiness: Vec<String>,
    statuses: Vec<String>,
    headings: Vec<SortLink>,
    items: Vec<PledgeRow>,
    /// Sums over every pledge the filter matches, not only this page.
    totals: PledgeTotals,
    /// `(level, words)` for the "at least" filter.
    readiness_min: Vec<(String, String)>,
    pages: u64,
    previous: Option<String>,
    next: Option<String>,
    export_query: String,
    /// "N pledges · page P of Q" in the page's language.
    count_line: String,
}

/// A pledge of the list, its capability named.
struct PledgeRow {
    pledge: Pledge,
    capability: String,
}

/// The sortable columns: name in links, heading, and whether they hold numbers.
const HEADINGS: [(&str, &str, bool); 11] = [
    ("member_state", "col-state", false),
    ("pledge_ref", "col-reference", false),
    ("capability", "col-capability", false),
    ("quantity", "col-quantity", true),
    ("personnel", "col-personnel", true),
    ("female_personnel", "col-women", true),
    ("readiness", "col-readiness", false),
    ("mission", "col-mission", false),
    ("conference", "col-conference", false),
    ("status", "col-status", false),
    ("updated_at", "col-changed", false),
];

/// `GET /pledges`
pub async fn list_pledges(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let catalog = state.catalog();
    let sort_name = query.sort.clone().unwrap_or_else(|| "updated_at".into());
    let sort = PledgeSort::parse(&sort_name).ok_or_else(|| {
        ApiError::invalid_field("sort", &sort_name, "the list cannot be sorted by that")
    })?;
    let descending = match query.order.as_deref() {
        Some("asc") => false,
        Some("desc") => true,
        _ => query.sort.is_none(),
    };
    let page = query.page.unwrap_or(1).max(1);
    let (filter, errors) = match query.api_query().to_filter(&catalog) {
        Ok(filter) => (Some(filter), FieldErrors::default()),
        Err(errors) => (None, FieldErrors::new(errors)),
    };
    let table = match &filter {
        Some(filter) => Some(
            state
                .store
                .pledge_table(filter, sort, descending, (page - 1) * PAGE_SIZE)
                .await?,
        ),
        None => None,
    };
    let (items, total, totals) = table.map_or((Vec::new(), 0, PledgeTotals::default()), |t| {
        (t.items, t.total, t.totals)
    });
    let lang = crate::i18n::current();
    let items = items
        .into_iter()
        .map(|pledge| PledgeRow {
            capability: crate::i18n::capability_name(&catalog, pledge.capability.as_str(), lang),
            pledge,
        })
        .collect();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let filters = query.filter_query();
    let link = |sort: &str, order: &str, page: u64| {
        let mut q = filters.clone();
        if !q.is_empty() {
            q.push('&');
        }
        format!("/pledges?{q}sort={sort}&order={order}&page={page}")
    };
    let order_name = if descending { "desc" } else { "asc" };
    let headings = HEADINGS
        .iter()
        .map(|&(name, label, numeric)| {
            let current = name == sort_name;
            SortLink {
                label,
                numeric,
                href: link(
                    name,
                    if current && !descending {
                        "desc"
                    } else {
                        "asc"
                    },
                    1,
                ),
                state: match (current, descending) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let count_line = lang.t_with(
        "pledges-count",
        &[
            ("count", lang.number(&total.to_string())),
            ("page", lang.number(&page.to_string())),
            ("pages", lang.number(&pages.to_string())),
        ],
    );
    let page_view = PledgesPage {
        count_line,
        nav: Nav::of(&actor),
        errors,
        lists: Lists::of(&catalog),
        categories: Category::ALL
            .iter()
            .map(|c| (c.to_string(), crate::i18n::category_name(*c, lang)))
            .collect(),
        readiness: Readiness::ALL.iter().map(ToString::to_string).collect(),
        statuses: PledgeStatus::ALL.iter().map(ToString::to_string).collect(),
        headings,
        items,
        totals,
        readiness_min: Readiness::ALL
            .iter()
            .skip(1)
            .map(|r| {
                (
                    r.to_string(),
                    lang.t_with("pledges-or-above", &[("level", r.to_string())]),
                )
            })
            .collect(),
        pages,
        previous: (page > 1).then(|| link(&sort_name, order_name, page - 1)),
        next: (page < pages).then(|| link(&sort_name, order_name, page + 1)),
        export_query: if filters.is_empty() {
            String::new()
        } else {
            format!("?{filters}")
        },
        query,
    };
    Ok((status, render(&page_view)).into_response())
}
