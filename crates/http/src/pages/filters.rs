//! Template filters shared by every page. A page module brings them into scope with
//! `use crate::pages::filters;`, which askama resolves as `filters::NAME`.

use std::fmt::Display;

use crate::i18n::{self, Lang, PageContext};

/// The key under which a page's [`PageContext`] reaches its template's filters.
pub const PAGE_VALUE: &str = "page";

/// The page a template is rendered for, from the values it was given.
fn page(values: &dyn askama::Values) -> PageContext {
    askama::get_value::<PageContext>(values, PAGE_VALUE)
        .cloned()
        .unwrap_or_default()
}

/// Groups the digits of a number in the page's language: `4139896.00` → `4,139,896.00`, or
/// `4 139 896,00` in French. Anything that is not a plain decimal number is written unchanged.
#[askama::filter_fn]
pub fn thousands<T: Display>(value: T, values: &dyn askama::Values) -> askama::Result<String> {
    Ok(page(values).lang.number(&value.to_string()))
}

/// The message `key` in the page's language: `{{ "nav-board"|t }}`.
#[askama::filter_fn]
pub fn t<T: Display>(key: T, values: &dyn askama::Values) -> askama::Result<String> {
    Ok(page(values).lang.t(&key.to_string()))
}

/// This page in language `code`: `{{ "fr"|page_in }}`.
#[askama::filter_fn]
pub fn page_in<T: Display>(code: T, values: &dyn askama::Values) -> askama::Result<String> {
    let lang = Lang::parse(&code.to_string()).unwrap_or_default();
    Ok(page(values).address_in(lang))
}

/// Whether `code` is the page's language (the switch marks it).
#[askama::filter_fn]
pub fn is_page_lang<T: Display>(code: T, values: &dyn askama::Values) -> askama::Result<bool> {
    Ok(page(values).lang.code() == code.to_string())
}

/// The grouping behind [`thousands`], in English (the command line's tables).
pub fn group_digits(text: &str) -> String {
    i18n::group_digits(text, Lang::En)
}

/// The names a message's arguments may have when a template fills them (`{ $count }`):
/// Fluent wants them `'static`, and a template's literal is matched to one of these.
const ARGUMENT_NAMES: &[&str] = &[
    "count",
    "total",
    "share",
    "moment",
    "date",
    "mission",
    "state",
    "year",
    "target",
    "conference",
    "when",
    "capability",
    "required",
    "pledged",
    "needed",
    "version",
    "by",
    "at",
    "label",
    "to",
    "pledge",
    "women",
];

fn argument(name: &str, value: String) -> (&'static str, String) {
    let name = ARGUMENT_NAMES
        .iter()
        .find(|n| **n == name)
        .copied()
        .unwrap_or("unknown");
    (name, value)
}

/// The message `key` with one argument: `{{ "board-past"|t1("moment", m) }}`.
#[askama::filter_fn]
pub fn t1<T: Display, N: Display, V: Display>(
    key: T,
    values: &dyn askama::Values,
    name: N,
    value: V,
) -> askama::Result<String> {
    let args = [argument(&name.to_string(), value.to_string())];
    Ok(page(values).lang.t_with(&key.to_string(), &args))
}

/// The message `key` with two arguments: `{{ "of"|t2("count", a, "total", b) }}`.
#[askama::filter_fn]
pub fn t2<T: Display, N: Display, V: Display, M: Display, W: Display>(
    key: T,
    values: &dyn askama::Values,
    name: N,
    value: V,
    other_name: M,
    other_value: W,
) -> askama::Result<String> {
    let args = [
        argument(&name.to_string(), value.to_string()),
        argument(&other_name.to_string(), other_value.to_string()),
    ];
    Ok(page(values).lang.t_with(&key.to_string(), &args))
}
