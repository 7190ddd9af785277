//! Column lists for SQL text, written from the one list of names each table's file keeps.

/// `names` as an SQL column list, `a, b, …`, each prefixed by `prefix` (`""`, or a table alias
/// and its dot such as `"p."`).
pub(crate) fn column_list<'a>(prefix: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|name| format!("{prefix}{name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::column_list;

    #[test]
    fn names_are_joined_with_their_prefix() {
        assert_eq!(column_list("r.", ["id", "version"]), "r.id, r.version");
        assert_eq!(column_list("", ["id"]), "id");
    }
}
