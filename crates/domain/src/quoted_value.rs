//! Values quoted back to a planner in an error, cut to a readable length: a 50 MB cell is
//! quoted by its first 100 characters and its length, never in full.

use std::borrow::Cow;

use crate::table_limits::grouped;

/// Characters of a value quoted in an error; the rest is replaced by its length.
pub const MAX_QUOTED_CHARS: usize = 100;
/// Characters of an error message: the longest a rule writes (the list of every column) is
/// under 400; past this a message can only be repeating a value.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// The value's first `keep` characters, or `None` when it has no more than that.
fn prefix(value: &str, keep: usize) -> Option<(&str, usize)> {
    if value.len() <= keep {
        return None;
    }
    let end = value.char_indices().nth(keep).map(|(i, _)| i)?;
    Some((&value[..end], value.chars().count()))
}

/// `value` as an error quotes it: whole when short, else its first [`MAX_QUOTED_CHARS`]
/// characters, an ellipsis and its length — `xxxx… (52,428,800 characters)`.
pub fn cut(value: &str) -> Cow<'_, str> {
    match prefix(value, MAX_QUOTED_CHARS) {
        None => Cow::Borrowed(value),
        Some((start, chars)) => {
            Cow::Owned(format!("{start}… ({} characters)", grouped(chars as u64)))
        }
    }
}

/// A message that may quote `value`: the value, quoted or not, is cut as [`cut`] does
/// (`'xxxx…' (52,428,800 characters)`), and the message itself is held to
/// [`MAX_MESSAGE_CHARS`].
pub fn cut_message(message: String, value: &str) -> String {
    let message = match prefix(value, MAX_QUOTED_CHARS) {
        Some((start, chars)) if message.contains(value) => {
            let length = grouped(chars as u64);
            message
                .replace(
                    &format!("'{value}'"),
                    &format!("'{start}…' ({length} characters)"),
                )
                .replace(value, &format!("{start}… ({length} characters)"))
        }
        _ => message,
    };
    match prefix(&message, MAX_MESSAGE_CHARS) {
        None => message,
        Some((start, chars)) => format!("{start}… ({} characters)", grouped(chars as u64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_value_is_quoted_whole() {
        assert_eq!(cut("Pakistn"), "Pakistn");
        let hundred = "é".repeat(MAX_QUOTED_CHARS);
        assert_eq!(cut(&hundred), hundred);
    }

    #[test]
    fn a_long_value_is_cut_to_a_hundred_characters_and_its_length() {
        let value = "x".repeat(52_428_800);
        let quoted = cut(&value);
        assert_eq!(
            quoted,
            format!("{}… (52,428,800 characters)", "x".repeat(100))
        );
    }

    #[test]
    fn characters_are_counted_not_bytes_and_never_split() {
        let value = "ô".repeat(150);
        assert_eq!(
            cut(&value),
            format!("{}… (150 characters)", "ô".repeat(100))
        );
    }

    #[test]
    fn a_message_quoting_a_long_value_quotes_it_cut() {
        let value = "9".repeat(5000);
        let message = cut_message(format!("quantity '{value}' is not a whole number"), &value);
        assert_eq!(
            message,
            format!(
                "quantity '{}…' (5,000 characters) is not a whole number",
                "9".repeat(100)
            )
        );
    }

    #[test]
    fn a_message_that_repeats_a_changed_value_is_still_bounded() {
        let value = "A".repeat(5000);
        let message = cut_message(
            format!("column '{}' appears twice", value.to_lowercase()),
            &value,
        );
        assert!(
            message.chars().count() < MAX_MESSAGE_CHARS + 30,
            "{}",
            message.len()
        );
        assert!(message.ends_with("… (5,023 characters)"), "{message:.40}");
    }
}
