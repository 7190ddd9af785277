//! What changed between two versions of a record, field by field, in words for a page.

use serde_json::Value;

/// Fields that change with every version and say nothing to a planner.
const BOOKKEEPING: [&str; 2] = ["id", "version"];

/// One field that differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A value as a page shows it: empty values as a dash.
pub fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) if s.is_empty() => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) if a.is_empty() => "—".into(),
        // A list of records (partners, equipment lines): each record's values in words.
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item.as_object() {
                Some(record) => record
                    .values()
                    .map(|v| shown(Some(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
                None => shown(Some(item)),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    }
}

/// The fields of `after` (an object) whose values differ from `before`, by field name.
pub fn changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let Some(fields) = after.as_object() else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|(name, _)| !BOOKKEEPING.contains(&name.as_str()))
        .filter(|(name, value)| before.get(name.as_str()) != Some(*value))
        .map(|(name, value)| FieldChange {
            field: name.clone(),
            before: shown(before.get(name.as_str())),
            after: shown(Some(value)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_list_of_records_is_shown_in_words() {
        let partners = json!([{"member_state": "JPN", "role": "equips"},
                              {"member_state": "KOR", "role": "trains"}]);
        assert_eq!(shown(Some(&partners)), "JPN equips; KOR trains");
    }

    #[test]
    fn lists_only_the_fields_that_differ() {
        let before = json!({"id": 1, "version": 1, "quantity": 2, "mission": null, "notes": "a"});
        let after =
            json!({"id": 1, "version": 2, "quantity": 3, "mission": "UNIFIL", "notes": "a"});
        assert_eq!(
            changes(&before, &after),
            vec![
                FieldChange {
                    field: "mission".into(),
                    before: "—".into(),
                    after: "UNIFIL".into()
                },
                FieldChange {
                    field: "quantity".into(),
                    before: "2".into(),
                    after: "3".into()
                },
            ]
        );
    }
}
