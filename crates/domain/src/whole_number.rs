//! Whole numbers as planners type them: `1000`, and with thousands separators `1,000` or
//! `1 000` (also the no-break spaces a spreadsheet or a word processor puts there).
//!
//! Only unambiguous groupings are read: one to three digits, then groups of exactly three,
//! all separated by the same mark. `1,5` or `1,00` could be a decimal and `1.000` is a
//! thousand in some countries and one in others, so those are refused with a message rather
//! than guessed. The pledge form reads its numbers so; files keep the plain rule (a CSV's
//! `1,000` is refused), and money keeps its stricter one (DESIGN.md).

use crate::message;
use crate::message::Message;

/// Marks read as a thousands separator.
const SEPARATORS: [char; 4] = [',', ' ', '\u{a0}', '\u{202f}'];

/// Reads a whole number, with or without thousands separators; the error is a planner's
/// sentence naming the `column` ("quantity", "female_personnel") in words.
pub fn parse_whole_number(text: &str, column: &str) -> Result<i64, Message> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n);
    }
    grouped(text).ok_or_else(|| {
        if text.contains('.') || text.contains(',') {
            message!(
                "err-not-whole-number-grouped",
                "{what} '{value}' is not a whole number (thousands may be written 1,000 or \
                 1 000; no decimals)",
                what = column.replace('_', " "),
                value = text
            )
            .with_arg("column", column)
        } else {
            crate::pledge_csv::not_whole_number(column, text)
        }
    })
}

/// `1,000,000` or `-1 000`: the digits when every group after the first has three digits and
/// one separator is used throughout.
fn grouped(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let separator = digits.chars().find(|c| SEPARATORS.contains(c))?;
    let mut groups = digits.split(separator);
    let first = groups.next()?;
    let first_ok = (1..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_digit());
    let mut joined = String::from(first);
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        joined.push_str(group);
    }
    if !first_ok {
        return None;
    }
    let n = joined.parse::<i64>().ok()?;
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn thousands_separators_are_read() {
        for (typed, n) in [
            ("1,000", 1_000),
            ("1 000", 1_000),
            ("12,345,678", 12_345_678),
            ("1\u{a0}500", 1_500),
            ("1\u{202f}500", 1_500),
            (" 850 ", 850),
            ("-1,000", -1_000),
        ] {
            assert_eq!(parse_whole_number(typed, "quantity"), Ok(n), "{typed}");
        }
    }

    #[test]
    fn a_number_past_an_i64_is_refused_with_or_without_separators() {
        for text in [
            "9223372036854775808",
            "9,223,372,036,854,775,808",
            "99 999 999 999 999 999 999",
        ] {
            let message = parse_whole_number(text, "quantity").unwrap_err();
            assert!(
                message.english().contains("is not a whole number"),
                "{text}: {message}"
            );
        }
        assert_eq!(
            parse_whole_number("9,223,372,036,854,775,807", "quantity"),
            Ok(i64::MAX)
        );
    }

    #[test]
    fn ambiguous_or_broken_groupings_are_refused_in_words() {
        for typed in [
            "1,5",
            "1,00",
            "1.000",
            "1,0000",
            "1,000 000",
            "1,,000",
            ",100",
            "1000,000",
            "ten",
            "1.5",
            "",
        ] {
            assert!(parse_whole_number(typed, "quantity").is_err(), "{typed}");
        }
        assert_eq!(
            parse_whole_number("1,5", "quantity").map_err(|m| m.to_string()),
            Err(
                "quantity '1,5' is not a whole number (thousands may be written 1,000 or 1 000; \
                 no decimals)"
                    .to_owned()
            )
        );
        assert_eq!(
            parse_whole_number("ten", "quantity").map_err(|m| m.to_string()),
            Err("quantity 'ten' is not a whole number".to_owned())
        );
    }

    proptest! {
        #[test]
        fn a_number_written_with_separators_reads_back(n in -1_000_000_000_000i64..1_000_000_000_000, sep in 0usize..4) {
            let plain = n.unsigned_abs().to_string();
            let mut written = String::new();
            for (i, c) in plain.chars().enumerate() {
                if i > 0 && (plain.len() - i) % 3 == 0 {
                    written.push(SEPARATORS[sep]);
                }
                written.push(c);
            }
            if n < 0 {
                written.insert(0, '-');
            }
            prop_assert_eq!(parse_whole_number(&written, "x"), Ok(n));
        }

        #[test]
        fn reading_never_panics(text in ".*") {
            let _ = parse_whole_number(&text, "x");
        }
    }
}
