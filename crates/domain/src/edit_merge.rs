//! A three-way merge of an edit that lost a race: the version the planner started from
//! (base), the version a colleague saved meanwhile (theirs), and what the planner submitted
//! (mine). Only the fields the planner changed are theirs to apply; a colleague's change to
//! a field the planner did not touch is kept; a field both changed differently is a conflict
//! for the planner to decide.
//!
//! Values are compared as a form shows them (text, surrounding spaces ignored), so the merge
//! works for any form whose fields are named.

/// A field both the colleague and the planner changed, to different values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeConflict {
    pub field: String,
    pub base: String,
    pub theirs: String,
    pub mine: String,
}

/// The merged values and what the planner should be told about them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditMerge {
    /// Every field's value after the merge, in the order of the fields given; a conflicting
    /// field holds the planner's value until they choose.
    pub values: Vec<(String, String)>,
    /// Fields only the colleague changed: their values are kept.
    pub kept_theirs: Vec<String>,
    /// Fields only the planner changed: their values are applied.
    pub applied_mine: Vec<String>,
    /// Fields both changed to different values.
    pub conflicts: Vec<MergeConflict>,
}

fn same(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

/// Merges `mine` into `theirs` field by field, for every field of `theirs`. A field missing
/// from `mine` was not on the planner's form (left as theirs); a field missing from `base`
/// has no known starting point, so the planner's value is taken as their change.
pub fn merge_edit(
    theirs: &[(String, String)],
    base: impl Fn(&str) -> Option<String>,
    mine: impl Fn(&str) -> Option<String>,
) -> EditMerge {
    let mut merge = EditMerge::default();
    for (field, theirs) in theirs {
        let base = base(field).unwrap_or_else(|| theirs.clone());
        let mine = mine(field).unwrap_or_else(|| base.clone());
        let value = if same(&mine, &base) {
            if !same(theirs, &base) {
                merge.kept_theirs.push(field.clone());
            }
            theirs.clone()
        } else if same(theirs, &base) || same(theirs, &mine) {
            merge.applied_mine.push(field.clone());
            mine
        } else {
            merge.conflicts.push(MergeConflict {
                field: field.clone(),
                base,
                theirs: theirs.clone(),
                mine: mine.clone(),
            });
            mine
        };
        merge.values.push((field.clone(), value));
    }
    merge
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(f, v)| ((*f).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = values(pairs).into_iter().collect();
        move |f| map.get(f).cloned()
    }

    fn merged(m: &EditMerge, field: &str) -> String {
        m.values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_colleagues_note_survives_an_edit_of_another_field() {
        let base = [("quantity", "2"), ("notes", "")];
        let theirs = values(&[("quantity", "2"), ("notes", "NV received 3 May")]);
        let mine = [("quantity", "5"), ("notes", "")];
        let m = merge_edit(&theirs, lookup(&base), lookup(&mine));
        assert_eq!(merged(&m, "quantity"), "5");
        assert_eq!(merged(&m, "notes"), "NV received 3 May");
        assert_eq!(m.kept_theirs, ["notes"]);
        assert_eq!(m.applied_mine, ["quantity"]);
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn a_field_both_changed_differently_is_a_conflict_holding_both_values() {
        let base = [("quantity", "2")];
        let theirs = values(&[("quantity", "3")]);
        let mine = [("quantity", "5")];
        let m = merge_edit(&theirs, lookup(&base), lookup(&mine));
        assert_eq!(
            m.conflicts,
            [MergeConflict {
                field: "quantity".into(),
                base: "2".into(),
                theirs: "3".into(),
                mine: "5".into()
            }]
        );
        assert_eq!(
            merged(&m, "quantity"),
            "5",
            "the form keeps yours until you choose"
        );
    }

    #[test]
    fn the_same_change_made_twice_is_no_conflict() {
        let m = merge_edit(
            &values(&[("readiness", "L3")]),
            lookup(&[("readiness", "L1")]),
            lookup(&[("readiness", " L3 ")]),
        );
        assert!(m.conflicts.is_empty());
        assert_eq!(m.applied_mine, ["readiness"]);
    }

    #[test]
    fn a_field_off_the_form_stays_theirs_and_one_without_a_base_is_taken_as_changed() {
        let theirs = values(&[("equipment", "2 trucks"), ("caveats", "north only")]);
        let m = merge_edit(
            &theirs,
            lookup(&[("equipment", "1 truck")]),
            lookup(&[("caveats", "none")]),
        );
        assert_eq!(merged(&m, "equipment"), "2 trucks");
        assert_eq!(merged(&m, "caveats"), "none");
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn nothing_changed_by_anyone_leaves_every_value() {
        let both = [("quantity", "2"), ("mission", "MINUSCA")];
        let m = merge_edit(&values(&both), lookup(&both), lookup(&both));
        assert_eq!(m.values, values(&both));
        assert!(m.kept_theirs.is_empty() && m.applied_mine.is_empty() && m.conflicts.is_empty());
    }
}
