//! Template filters shared by every page. A page module brings them into scope with
//! `use crate::pages::filters;`, which askama resolves as `filters::NAME`.

use std::fmt::Display;

use num_format::{Buffer, Locale};

/// Groups the digits of a number as a planner reads it: `4139896.00` → `4,139,896.00`,
/// `-1200` → `-1,200`. Anything that is not a plain decimal number is written unchanged.
#[askama::filter_fn]
pub fn thousands<T: Display>(value: T, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(group_digits(&value.to_string()))
}

/// The grouping behind [`thousands`], in English.
pub fn group_digits(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let Ok(n) = whole.parse::<u128>() else {
        return text.to_owned();
    };
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return text.to_owned();
    }
    let mut grouped = Buffer::default();
    grouped.write_formatted(&n, &Locale::en);
    let mut out = format!("{sign}{}", grouped.as_str());
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::group_digits;

    #[test]
    fn money_and_counts_get_thousands_separators() {
        assert_eq!(group_digits("4139896.00"), "4,139,896.00");
        assert_eq!(group_digits("1564"), "1,564");
        assert_eq!(group_digits("999"), "999");
        assert_eq!(group_digits("-1200.5"), "-1,200.5");
        assert_eq!(group_digits("0.0"), "0.0");
    }

    #[test]
    fn words_and_odd_shapes_are_left_alone() {
        for text in ["", "n/a", "1.2.3", "+5", "1e9", "12a", ".5", "5."] {
            assert_eq!(group_digits(text), text);
        }
    }
}
