//! English and French. Every word a page shows is a Fluent message (`crates/http/locales/<lang>/`,
//! embedded at build time); numbers are grouped as the language writes them; member-state names
//! in French come from Unicode CLDR. The language of a page is chosen once per request
//! (`choose`: `?lang=`, then the remembered switch, then `Accept-Language`) and held for the
//! request in [`current`], which templates read through askama's runtime values.

mod choose;
mod names;
mod numbers;
mod report_words;
mod rule_messages;

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, static_loader};

pub use choose::{LANG_COOKIE, page_language};
pub use names::{capability_name, category_name, conference_name, member_state_name, mission_name};
pub use numbers::group_digits;
pub use report_words::{
    follow_through_row_label, follow_through_rule, last_step_label, milestone_label, outcome_rule,
    outcome_rule_of, stage_label,
};
pub use rule_messages::{said, say};

static_loader! {
    static MESSAGES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: pages and slips are left-to-right.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the pages speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The code `?lang=`, the cookie and `<html lang>` use.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
        }
    }

    /// The language a code names (`en`, `fr`, `fr-CA`, `FR`…), if it is one the pages speak.
    pub fn parse(code: &str) -> Option<Self> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Self::ALL.into_iter().find(|l| l.code() == primary)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Self::En => fluent_templates::langid!("en"),
            Self::Fr => fluent_templates::langid!("fr"),
        }
    }

    /// The message `key` in this language (English where French lacks it, which a test
    /// forbids; the key itself where both lack it, which a test forbids too).
    pub fn t(self, key: &str) -> String {
        MESSAGES
            .try_lookup(&self.id(), key)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` with its arguments.
    pub fn t_with(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.as_str())))
            .collect();
        MESSAGES
            .try_lookup_with_args(&self.id(), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message `key` about `count` things, with its other arguments: `key-one` for one
    /// thing, `key` for any other count, either given `count` written as this language writes
    /// numbers (`$count`).
    pub fn t_count(self, key: &str, count: u64, args: &[(&'static str, String)]) -> String {
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(("count", self.number(&count.to_string())));
        all.extend_from_slice(args);
        match count {
            1 => self.t_with(&format!("{key}-one"), &all),
            _ => self.t_with(key, &all),
        }
    }

    /// A date written out: `6 December 2026`, `6 décembre 2026`.
    pub fn long_date(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        self.t_with(
            "date-long",
            &[
                ("day", date.day().to_string()),
                ("month", self.t(&format!("month-{}", date.month()))),
                ("year", date.year().to_string()),
            ],
        )
    }

    /// A number as this language writes it: `4,139,896.00` or `4 139 896,00`.
    pub fn number(self, text: &str) -> String {
        group_digits(text, self)
    }
}

/// What a page needs to know of the request it answers: its language, and its address (for
/// the language switch, which links to the same page in the other language).
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    pub lang: Lang,
    /// The path and query asked for.
    pub address: String,
}

impl PageContext {
    /// This page's address in `lang`: the same path and query, `lang` set.
    pub fn address_in(&self, lang: Lang) -> String {
        let (path, query) = self
            .address
            .split_once('?')
            .unwrap_or((self.address.as_str(), ""));
        let mut pairs: Vec<&str> = query
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let lang_pair = format!("lang={}", lang.code());
        pairs.push(&lang_pair);
        format!("{path}?{}", pairs.join("&"))
    }
}

tokio::task_local! {
    /// The page being answered.
    static PAGE: PageContext;
}

/// The request being answered (English and no address outside a request).
pub fn page() -> PageContext {
    PAGE.try_with(Clone::clone).unwrap_or_default()
}

/// The language of the request being answered (English outside a request).
pub fn current() -> Lang {
    PAGE.try_with(|p| p.lang).unwrap_or_default()
}

/// Runs `answer` as the answer to the page `context`.
pub async fn with_page<F: Future>(context: PageContext, answer: F) -> F::Output {
    PAGE.scope(context, answer).await
}

/// Every message key of a language's files, each with the arguments its text names
/// (`{ $date }`), for the tests that both languages have the same messages.
#[cfg(test)]
fn keys(lang: Lang) -> std::collections::BTreeMap<String, Vec<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(lang.code());
    let mut values = std::collections::BTreeMap::<String, String>::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let mut last: Option<String> = None;
        for line in text.lines() {
            if let Some((key, value)) = line.split_once(" =")
                && !key.starts_with([' ', '#', '-'])
                && !key.is_empty()
            {
                values.insert(key.trim().to_owned(), value.to_owned());
                last = Some(key.trim().to_owned());
            } else if line.starts_with(' ')
                && let Some(key) = &last
            {
                // A value continued on indented lines (a selection by argument).
                values.entry(key.clone()).or_default().push_str(line);
            } else {
                last = None;
            }
        }
    }
    values
        .into_iter()
        .map(|(key, value)| {
            let mut args: Vec<String> = value
                .split("{ $")
                .skip(1)
                .filter_map(|a| a.split_once(' ').map(|(name, _)| name.to_owned()))
                .collect();
            args.sort();
            args.dedup();
            (key, args)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_of_one_takes_the_singular_message_and_others_the_plural_with_grouped_digits() {
        let args = [("name", "f.csv".to_owned())];
        assert_eq!(
            Lang::En.t_count("import-refused", 1, &args),
            "f.csv cannot be imported: 1 problem. Nothing was saved."
        );
        assert_eq!(
            Lang::En.t_count("import-refused", 0, &args),
            "f.csv cannot be imported: 0 problems. Nothing was saved."
        );
        assert_eq!(
            Lang::Fr.t_count("import-more-would", 2500, &[]),
            "… et 2\u{202f}500\u{a0}autres lignes à créer ou mettre à jour."
        );
    }

    #[test]
    fn both_languages_have_every_message() {
        let english = keys(Lang::En);
        let french = keys(Lang::Fr);
        assert!(english.len() > 50, "{} English messages", english.len());
        let missing_fr: Vec<_> = english
            .keys()
            .filter(|k| !french.contains_key(*k))
            .collect();
        let missing_en: Vec<_> = french
            .keys()
            .filter(|k| !english.contains_key(*k))
            .collect();
        assert!(missing_fr.is_empty(), "missing in French: {missing_fr:?}");
        assert!(missing_en.is_empty(), "missing in English: {missing_en:?}");
        for (key, args) in &english {
            assert_eq!(Some(args), french.get(key), "{key}: the same arguments");
            let args: Vec<(&'static str, String)> = args
                .iter()
                .map(|a| (&*a.clone().leak(), "x".to_owned()))
                .collect();
            for lang in Lang::ALL {
                let said = lang.t_with(key, &args);
                assert!(
                    said != *key && !said.is_empty(),
                    "{key} does not resolve in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn every_key_a_template_uses_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let english = keys(Lang::En);
        let mut used = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for part in text
                .split("{{ \"")
                .skip(1)
                .chain(text.split("{{\"").skip(1))
            {
                let Some((key, rest)) = part.split_once('"') else {
                    continue;
                };
                if rest.trim_start().starts_with("|t") {
                    used += 1;
                    assert!(
                        english.contains_key(key),
                        "{}: no message {key}",
                        entry.path().display()
                    );
                }
            }
        }
        assert!(used > 10, "{used} messages used by templates");
    }

    #[test]
    fn languages_are_read_from_codes_and_tags() {
        assert_eq!(Lang::parse("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::parse("FR"), Some(Lang::Fr));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }
}
