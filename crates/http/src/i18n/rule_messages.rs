//! The domain's messages (`pledgeboard_domain::Message`: a key, named arguments, the English)
//! said in a language. English is the domain's own text, word for word; another language looks
//! the key up in `locales/<lang>/messages.ftl` with the same arguments, says the arguments that
//! are messages in the same language, and writes the figures the domain grouped the English
//! way (`8,192`) as the language writes them. A key the language lacks (which a test forbids)
//! falls back to the English.

use pledgeboard_domain::Message;

use super::{Lang, current, group_digits};

/// Arguments that are figures of a rule (limits, counts), never a value the planner typed:
/// written in the language's way.
const FIGURES: [&str; 8] = [
    "max", "bytes", "rows", "more", "all", "columns", "chars", "cells",
];

/// `message` in `lang`.
pub fn say(lang: Lang, message: &Message) -> String {
    let Some(key) = message.key() else {
        return message.english().to_owned();
    };
    if lang == Lang::En {
        return message.english().to_owned();
    }
    let mut args: Vec<(&'static str, String)> = message
        .args()
        .iter()
        .map(|(name, value)| match FIGURES.contains(name) {
            true => (*name, group_digits(&value.replace(',', ""), lang)),
            false => (*name, value.clone()),
        })
        .collect();
    for (name, inner) in message.nested() {
        let text = say(lang, inner);
        match args.iter_mut().find(|(n, _)| n == name) {
            Some(arg) => arg.1 = text,
            None => args.push((name, text)),
        }
    }
    match lang.t_with(key, &args) {
        text if text == key => message.english().to_owned(),
        text => text,
    }
}

/// `message` in the language of the request being answered.
pub fn said(message: &Message) -> String {
    say(current(), message)
}

#[cfg(test)]
mod tests {
    use pledgeboard_domain::{DomainError, Quantity};

    use super::*;

    #[test]
    fn a_rule_is_said_in_french_with_its_values() {
        let e = Quantity::new(0).unwrap_err();
        assert_eq!(
            say(Lang::En, &e.message()),
            "quantity must be a whole number from 1 to 1000000, not 0"
        );
        assert_eq!(
            say(Lang::Fr, &e.message()),
            "la quantité doit être un nombre entier de 1 à 1\u{202f}000\u{202f}000, et non 0"
        );
    }

    #[test]
    fn words_without_a_key_are_said_as_they_are() {
        let e = DomainError::invalid("plain words");
        assert_eq!(say(Lang::Fr, &e.message()), "plain words");
    }
}

/// Every `"err-…"` key the Rust sources of the workspace name, with the arguments each
/// `message!` gives it (`name = …`, `.with_arg("name"`, `.quoting("name"`).
#[cfg(test)]
fn keys_in_code() -> std::collections::BTreeMap<String, Vec<String>> {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = std::collections::BTreeMap::<String, Vec<String>>::new();
    let mut dirs = vec![crates];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                for part in line
                    .split("\"err-")
                    .skip(1)
                    .map(|p| ("err-", p))
                    .chain(line.split("\"reason-").skip(1).map(|p| ("reason-", p)))
                {
                    let (prefix, part) = part;
                    let Some((rest, after_key)) = part.split_once('"') else {
                        continue;
                    };
                    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    {
                        continue;
                    }
                    let args = found.entry(format!("{prefix}{rest}")).or_default();
                    // A short invocation names its arguments on the key's own line
                    // (`message!("err-…", "… {id}", id = id)`).
                    for piece in after_key.split(", ") {
                        if let Some((name, _)) = piece.trim().split_once(" = ")
                            && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                        {
                            args.push(name.to_owned());
                        }
                    }
                    // The named arguments follow, one a line, until the invocation closes.
                    for (j, next) in lines.iter().enumerate().skip(i + 1).take(12) {
                        let t = next.trim();
                        if t.contains("\"err-")
                            || t.contains("\"reason-")
                            || t.contains("message!(")
                        {
                            break;
                        }
                        let ident =
                            |n: &str| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
                        if let Some((name, _)) = t.split_once(" = ")
                            && ident(name)
                        {
                            args.push(name.to_owned());
                        }
                        for call in [".with_arg(\"", ".quoting(\"", "(\""] {
                            if let Some(after) = t.strip_prefix(call)
                                && let Some((name, _)) = after.split_once('"')
                                && ident(name)
                            {
                                args.push(name.to_owned());
                            }
                        }
                        let continues = lines
                            .get(j + 1)
                            .is_some_and(|l| l.trim_start().starts_with('.'));
                        if t.starts_with(')') && !continues {
                            break;
                        }
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod keys_tests {
    use super::super::{Lang, keys};
    use super::keys_in_code;

    #[test]
    fn every_rule_message_in_code_exists_in_both_languages() {
        let used = keys_in_code();
        assert!(
            used.len() > 60,
            "{} rule messages found in code",
            used.len()
        );
        for lang in Lang::ALL {
            let known = keys(lang);
            for (key, args) in &used {
                let Some(wanted) = known.get(key) else {
                    panic!("{key} is used in code but has no message in {lang:?}");
                };
                for arg in wanted {
                    assert!(
                        args.contains(arg),
                        "{lang:?} {key} names {{ ${arg} }}, which the code does not give ({args:?})"
                    );
                }
            }
        }
    }
}
