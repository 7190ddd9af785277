//! What the board and the mission page share: a requirement's coverage as a planner reads it
//! (names beside codes, a needed-by date gone by said in words, a bar on a 0–100 % scale), and
//! the as-of moment a page is asked for.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use pledgeboard_domain::coverage::coverage_pct;
use pledgeboard_domain::coverage_report::RequirementCoverage;
use pledgeboard_domain::{Catalog, as_of};
use rust_decimal::Decimal;

use crate::ApiError;
use crate::i18n::{self, Lang};
use crate::params::parse_as_of;

/// The labelled ticks under a bar, in percent of what is required (gridlines mark quarters).
pub const SCALE_TICKS: &[u8] = &[0, 25, 50, 75, 100];
/// The labelled ticks over a narrow bar column, where five labels would collide.
pub const NARROW_SCALE_TICKS: &[u8] = &[0, 50, 100];

/// One requirement's row on a page.
pub struct RequirementLine {
    pub requirement_id: i64,
    /// "Utility helicopters (HEL-UTIL)".
    pub capability: String,
    pub priority: String,
    pub required: u64,
    pub pledged: u64,
    pub firm: u64,
    pub in_time: u64,
    pub gap: u64,
    pub coverage_pct: Decimal,
    pub needed_by: NaiveDate,
    /// The needed-by date in words: as the date in English, written out in French.
    pub needed_by_words: String,
    /// The needed-by date is before the day shown and the requirement is still open.
    pub past: bool,
    /// Bar lengths on the 0–100 scale: pledged and firm, capped at 100.
    pub pledged_bar: Decimal,
    pub firm_bar: Decimal,
    /// The row's bar in words, for screen readers.
    pub aria: String,
}

impl RequirementLine {
    /// The row of `r` as it stands on `today`.
    pub fn new(r: &RequirementCoverage, catalog: &Catalog, today: NaiveDate) -> Self {
        let lang = i18n::current();
        let f = &r.figures;
        Self {
            requirement_id: r.requirement_id,
            capability: i18n::capability_name(catalog, &r.capability, lang),
            priority: lang.t(&format!("priority-{}", r.priority)),
            required: f.required,
            pledged: f.pledged,
            firm: f.firm,
            in_time: f.in_time,
            gap: f.gap,
            coverage_pct: f.coverage_pct,
            needed_by: r.needed_by,
            needed_by_words: match lang {
                Lang::En => r.needed_by.to_string(),
                Lang::Fr => lang.long_date(r.needed_by),
            },
            past: r.is_overdue(today),
            pledged_bar: bar(f.pledged, f.required),
            firm_bar: bar(f.firm, f.required),
            aria: lang.t_with(
                "mission-row-aria",
                &[
                    ("share", lang.number(&f.coverage_pct.to_string())),
                    ("count", lang.number(&f.firm.to_string())),
                    ("total", lang.number(&f.required.to_string())),
                ],
            ),
        }
    }
}

/// A mission's name in `lang`: the reference missions' are messages, one added later keeps
/// the name it was given.
pub fn mission_name(catalog: &Catalog, acronym: &str, lang: Lang) -> String {
    let given = catalog
        .mission(acronym)
        .map(|m| m.name.clone())
        .unwrap_or_default();
    message_or(lang, &format!("mission-name-{acronym}"), given)
}

/// Where a mission is, in `lang` (as [`mission_name`]).
pub fn mission_place(catalog: &Catalog, acronym: &str, lang: Lang) -> String {
    let given = catalog
        .mission(acronym)
        .map(|m| m.location.clone())
        .unwrap_or_default();
    message_or(lang, &format!("mission-place-{acronym}"), given)
}

/// The message `key` in French, else `given` (English is always the data's own words).
fn message_or(lang: Lang, key: &str, given: String) -> String {
    match lang {
        Lang::En => given,
        Lang::Fr => match lang.t(key) {
            said if said == key => given,
            said => said,
        },
    }
}

/// A pledge status in `lang` (`pledged`, `annoncé`…).
pub fn status_word(status: impl std::fmt::Display, lang: Lang) -> String {
    let key = format!("status-{status}");
    match lang.t(&key) {
        said if said == key => status.to_string(),
        said => said,
    }
}

/// `part` of `whole` as a bar length from 0 to 100 (over-subscription fills the bar).
pub fn bar(part: u64, whole: u64) -> Decimal {
    coverage_pct(part, whole).min(Decimal::ONE_HUNDRED)
}

/// The moment a page shows: `?as_of=` as the reports read it, or as a `datetime-local` input
/// sends it (`2025-04-15T09:30`, read as UTC). Empty means now.
pub fn page_as_of(text: Option<&str>) -> Result<Option<DateTime<Utc>>, ApiError> {
    let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok());
    let read = match local {
        Some(at) => as_of::past_as_of(at.and_utc(), t, Utc::now()),
        None => parse_as_of(t),
    };
    read.map(Some)
        .map_err(|e| ApiError::Invalid(vec![pledgeboard_domain::FieldError::new("as_of", t, e)]))
}

/// The value a `datetime-local` input shows for a moment (UTC, to the second).
pub fn picker_value(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_picker_value_reads_back_as_the_same_moment() {
        let at = page_as_of(Some("2025-04-15T09:30")).unwrap().unwrap();
        assert_eq!(at.to_rfc3339(), "2025-04-15T09:30:00+00:00");
        assert_eq!(page_as_of(Some(&picker_value(at))).unwrap(), Some(at));
        assert_eq!(page_as_of(Some("2025-04-15T09:30:00Z")).unwrap(), Some(at));
        assert_eq!(page_as_of(Some("  ")).unwrap(), None);
        assert!(page_as_of(Some("yesterday")).is_err());
    }

    #[test]
    fn bars_stop_at_the_end_of_the_scale() {
        assert_eq!(bar(3, 2).to_string(), "100");
        assert_eq!(bar(1, 4).to_string(), "25.0");
        assert_eq!(bar(0, 0).to_string(), "0.0");
    }
}
