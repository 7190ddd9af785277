//! A planner-facing message: a stable key, its named arguments, and its English text.
//!
//! The domain speaks no language but English and knows no localisation library: a rule that
//! refuses a value says so with [`message!`], which keeps the English words (shown by
//! `Display`, so the command line and the logs read as before) together with a key and the
//! values the words quote. The web layer looks the key up in the request's language
//! (`crates/http/locales/<lang>/messages.ftl`) with the same arguments.

use std::fmt;

/// What a rule says, in English and by key (boxed: errors that carry it stay small).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message(Box<Parts>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    key: Option<&'static str>,
    args: Vec<(&'static str, String)>,
    /// Arguments that are messages themselves, said in the same language as this one.
    nested: Vec<(&'static str, Message)>,
    english: String,
}

impl Message {
    /// A keyed message; prefer [`message!`], which writes the English from the same arguments.
    pub fn keyed(key: &'static str, english: String, args: Vec<(&'static str, String)>) -> Self {
        Self(Box::new(Parts {
            key: Some(key),
            args,
            nested: Vec::new(),
            english,
        }))
    }

    /// Words that have no key (a library's own error text, a message from outside the rules):
    /// shown as they are in every language.
    pub fn text(english: impl Into<String>) -> Self {
        Self(Box::new(Parts {
            key: None,
            args: Vec::new(),
            nested: Vec::new(),
            english: english.into(),
        }))
    }

    /// The stable key, when the words have one.
    pub fn key(&self) -> Option<&'static str> {
        self.0.key
    }

    /// The named values the words quote.
    pub fn args(&self) -> &[(&'static str, String)] {
        &self.0.args
    }

    /// The arguments that are messages, to be said in the language of the whole.
    pub fn nested(&self) -> &[(&'static str, Message)] {
        &self.0.nested
    }

    /// This message with its argument `name` (already in its English) said as `inner` in
    /// other languages.
    pub fn quoting(mut self, name: &'static str, inner: Message) -> Self {
        self.0.nested.push((name, inner));
        self
    }

    /// This message with one more argument that the English does not quote (a column's
    /// name for the translation to choose its words by).
    pub fn with_arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.0.args.push((name, value.to_string()));
        self
    }

    /// The English words.
    pub fn english(&self) -> &str {
        &self.0.english
    }

    /// The same message with each argument and the English passed through `f` (cutting a long
    /// quoted value).
    pub(crate) fn map_text(self, f: &dyn Fn(String) -> String) -> Self {
        let parts = *self.0;
        Self(Box::new(Parts {
            key: parts.key,
            args: parts.args.into_iter().map(|(n, v)| (n, f(v))).collect(),
            nested: parts
                .nested
                .into_iter()
                .map(|(n, m)| (n, m.map_text(f)))
                .collect(),
            english: f(parts.english),
        }))
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.english)
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Self::text(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Self {
        Self::text(text)
    }
}

impl From<&String> for Message {
    fn from(text: &String) -> Self {
        Self::text(text.as_str())
    }
}

impl From<&Message> for Message {
    fn from(m: &Message) -> Self {
        m.clone()
    }
}

/// A keyed message: `message!("quantity-range", "quantity must be … not {n}", n = value)`.
/// Each named argument is evaluated once, written into the English with `format!` and kept
/// (as text) for the translation, under the same name.
#[macro_export]
macro_rules! message {
    ($key:literal, $english:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        // `name = name` is the usual call; the binding is then the same value.
        $(#[allow(clippy::redundant_locals)] let $name = $value;)*
        $crate::message::Message::keyed(
            $key,
            format!($english $(, $name = $name)*),
            vec![$((stringify!($name), $name.to_string())),*],
        )
    }};
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_message_keeps_its_english_key_and_arguments() {
        let n = 70;
        let m = message!(
            "quantity-range",
            "quantity from 1 to {max}, not {n}",
            max = 10,
            n = n
        );
        assert_eq!(m.to_string(), "quantity from 1 to 10, not 70");
        assert_eq!(m.key(), Some("quantity-range"));
        assert_eq!(m.args(), [("max", "10".to_owned()), ("n", "70".to_owned())]);
    }
}
