//! Names in the page's language. Member states in French come from Unicode CLDR (compiled
//! into the binary), except where UN usage names a state otherwise, as the English names do
//! (`domain::member_state`); capabilities and pledge categories are Fluent messages
//! (`capability-<CODE>`, `category-<name>`), English being the catalog's own names.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use icu_experimental::displaynames::{DisplayNamesOptions, multi::RegionDisplayNames};
use icu_locale::locale;
use pledgeboard_domain::{Catalog, Category};

use super::Lang;

/// French names shown instead of CLDR's short forms, following UN usage.
const UN_FRENCH_NAMES: &[(&str, &str)] = &[
    ("BOL", "Bolivie"),
    ("CIV", "Côte d'Ivoire"),
    ("COD", "République démocratique du Congo"),
    ("COG", "Congo"),
    ("FSM", "Micronésie"),
    ("IRN", "Iran"),
    ("KOR", "République de Corée"),
    ("LAO", "République démocratique populaire lao"),
    ("MDA", "République de Moldova"),
    ("PRK", "République populaire démocratique de Corée"),
    ("RUS", "Fédération de Russie"),
    ("SYR", "République arabe syrienne"),
    ("TUR", "Türkiye"),
    ("TZA", "République-Unie de Tanzanie"),
    ("USA", "États-Unis"),
    ("VEN", "Venezuela"),
    ("VNM", "Viet Nam"),
];

/// CLDR's French name of the region with ISO 3166 alpha-2 code `alpha2`, read once per code.
fn french_region(alpha2: &str) -> Option<String> {
    static NAMES: OnceLock<Mutex<HashMap<String, Option<String>>>> = OnceLock::new();
    let names = NAMES.get_or_init(Mutex::default);
    let mut names = names.lock().unwrap_or_else(PoisonError::into_inner);
    names
        .entry(alpha2.to_owned())
        .or_insert_with(|| {
            let cldr =
                RegionDisplayNames::try_new(locale!("fr").into(), DisplayNamesOptions::default())
                    .ok()?;
            cldr.of(alpha2.parse().ok()?).map(|n| n.replace('’', "'"))
        })
        .clone()
}

/// The name of member state `code` (alpha-3) in `lang`; the catalog's English name when no
/// French one is known, the code when the state is unknown.
pub fn member_state_name(catalog: &Catalog, code: &str, lang: Lang) -> String {
    let Ok(state) = catalog.member_state(code) else {
        return code.to_owned();
    };
    if lang == Lang::En {
        return state.name.clone();
    }
    if let Some((_, name)) = UN_FRENCH_NAMES.iter().find(|(c, _)| *c == code) {
        return (*name).to_owned();
    }
    french_region(&state.alpha2).unwrap_or_else(|| state.name.clone())
}

/// The name of capability `code` in `lang` (the catalog's name in English), with its code.
pub fn capability_name(catalog: &Catalog, code: &str, lang: Lang) -> String {
    match lang {
        Lang::En => catalog.capability_label(code),
        Lang::Fr => {
            let key = format!("capability-{code}");
            match lang.t(&key) {
                name if name == key => catalog.capability_label(code),
                name => format!("{name} ({code})"),
            }
        }
    }
}

/// The name of conference `code` in `lang`, with its code: the reference conferences have
/// names in both languages; one added later keeps the name it was given.
pub fn conference_name(catalog: &Catalog, code: &str, lang: Lang) -> String {
    let Ok(conference) = catalog.conference(code) else {
        return code.to_owned();
    };
    let key = format!("conference-{}", conference.code);
    let name = match lang.t(&key) {
        name if name == key => conference.name.clone(),
        name => name,
    };
    format!("{name} ({})", conference.code)
}

/// The name of pledge category `category` in `lang` (its label in English).
pub fn category_name(category: Category, lang: Lang) -> String {
    match lang {
        Lang::En => category.label().to_owned(),
        Lang::Fr => lang.t(&format!("category-{category}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pledgeboard_domain::reference_csv::{parse_capabilities, parse_missions};

    fn catalog() -> Catalog {
        let capabilities = include_str!("../../../../fixtures/capabilities.csv");
        let missions = include_str!("../../../../fixtures/missions.csv");
        Catalog::new(
            pledgeboard_domain::MemberStates::load(),
            parse_capabilities(capabilities).unwrap_or_else(|e| panic!("{e:?}")),
            parse_missions(missions).unwrap_or_else(|e| panic!("{e:?}")),
            vec![],
            vec![],
        )
    }

    #[test]
    fn member_states_have_french_names_from_cldr_or_un_usage() {
        let catalog = catalog();
        assert_eq!(member_state_name(&catalog, "JPN", Lang::Fr), "Japon");
        assert_eq!(member_state_name(&catalog, "JPN", Lang::En), "Japan");
        assert_eq!(
            member_state_name(&catalog, "KOR", Lang::Fr),
            "République de Corée"
        );
        assert_eq!(member_state_name(&catalog, "DEU", Lang::Fr), "Allemagne");
    }

    #[test]
    fn every_capability_and_category_has_a_french_name() {
        let catalog = catalog();
        for capability in catalog.capabilities() {
            let key = format!("capability-{}", capability.code);
            assert_ne!(
                Lang::Fr.t(&key),
                key,
                "no French name for {}",
                capability.code
            );
            let key = format!("category-{}", capability.category);
            assert_ne!(Lang::Fr.t(&key), key, "no French name for {key}");
            assert_eq!(Lang::En.t(&key), capability.category.label(), "{key}");
        }
    }
}
