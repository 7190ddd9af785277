//! Numbers as each language writes them, grouped by num-format's CLDR locales: `4,139,896.00`
//! in English, `4 139 896,00` in French (a narrow no-break space groups the digits).

use num_format::{Buffer, Locale};

use super::Lang;

/// Groups the digits of a plain decimal number (`4139896.00`, `-1200`) in `lang`'s way;
/// anything else is written unchanged.
pub fn group_digits(text: &str, lang: Lang) -> String {
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
    let locale = match lang {
        Lang::En => Locale::en,
        Lang::Fr => Locale::fr,
    };
    let mut grouped = Buffer::default();
    grouped.write_formatted(&n, &locale);
    let mut out = format!("{sign}{}", grouped.as_str());
    if let Some(f) = fraction {
        out.push_str(locale.decimal());
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_counts_get_the_language_s_separators() {
        assert_eq!(group_digits("4139896.00", Lang::En), "4,139,896.00");
        assert_eq!(
            group_digits("4139896.00", Lang::Fr),
            "4\u{202f}139\u{202f}896,00"
        );
        assert_eq!(group_digits("1564", Lang::En), "1,564");
        assert_eq!(group_digits("999", Lang::Fr), "999");
        assert_eq!(group_digits("-1200.5", Lang::En), "-1,200.5");
        assert_eq!(group_digits("0.0", Lang::Fr), "0,0");
    }

    #[test]
    fn words_and_odd_shapes_are_left_alone() {
        for text in ["", "n/a", "1.2.3", "+5", "1e9", "12a", ".5", "5."] {
            assert_eq!(group_digits(text, Lang::En), text);
            assert_eq!(group_digits(text, Lang::Fr), text);
        }
    }
}
