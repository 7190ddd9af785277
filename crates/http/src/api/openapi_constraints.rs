//! What the query, path and header parameters accept, stated in the served OpenAPI document.
//! The parameter structs read every value as text (so that each bad one is reported by name
//! with the others); this fills in, by parameter name and in one place, the vocabulary, range
//! or format the handlers then enforce — the codes of reference data from the live catalog,
//! so that a mission an admin adds is listed at once.

use pledgeboard_domain::country_report::COUNTRY_CSV_COLUMNS;
use pledgeboard_domain::follow_through::MAX_STALLED_DAYS;
use pledgeboard_domain::lineage::{LineageClass, LineageState};
use pledgeboard_domain::{Catalog, Category, PledgeStatus, Readiness};
use serde_json::{Value, json};

use crate::api::pledges::query::MAX_LIMIT;

/// The path whose `cursor` is a non-negative audit entry id (pledge cursors are any id).
const AUDIT_PATH: &str = "/api/v1/audit";

/// What `If-Match` accepts: `*`, or a version, quoted or not, weak or not (`"3"`, `W/"3"`, `3`).
const IF_MATCH_PATTERN: &str = r#"^\s*(\*|(W/)*"*[+-]?[0-9]{1,9}"*)\s*$"#;

/// Sets the schema of every parameter whose accepted values are known by its name.
pub fn constrain_parameters(doc: &mut Value, catalog: &Catalog) {
    // `get_mut`, not indexing: indexing a JSON object inserts `null` for a missing key.
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for operation in operations.values_mut() {
            let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for parameter in parameters {
                let name = parameter["name"].as_str().unwrap_or_default();
                // A required query parameter (the outcome's and the follow-through's `conference`)
                // may not be sent empty: empty is "not sent", which it may not be.
                let optional_query = parameter["in"] == "query" && parameter["required"] != true;
                if let Some(schema) = schema_for(name, path, catalog) {
                    parameter["schema"] = if optional_query {
                        or_empty(schema)
                    } else {
                        schema
                    };
                }
            }
        }
    }
}

/// What a member-state parameter reads beyond the codes its schema lists.
const LENIENT_STATES: &str = "An alpha-3 code; alpha-2 codes and English names \
     (Türkiye or Turkey, Côte d'Ivoire or Ivory Coast), in any case, are read as well.";

fn with_description(mut schema: Value, description: &str) -> Value {
    schema["description"] = Value::from(description);
    schema
}

/// A query parameter sent empty (`?mission=`) is read as not sent: no filter, the default.
fn or_empty(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "string", "maxLength": 0 }] })
}

fn one_of_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Value {
    let words: Vec<&str> = words.into_iter().collect();
    json!({ "type": "string", "enum": words })
}

/// The schema of the parameter `name` on `path`, when its values are known.
fn schema_for(name: &str, path: &str, catalog: &Catalog) -> Option<Value> {
    let states = || {
        catalog
            .member_states()
            .all()
            .iter()
            .map(|s| s.code.as_str())
    };
    Some(match name {
        // The codes are listed; alpha-2 codes and English names, in any case, are read too
        // (DESIGN.md), which no JSON Schema short of every spelling could list.
        "member_state" => with_description(one_of_words(states()), LENIENT_STATES),
        "iso3" => {
            let codes: Vec<String> = states()
                .flat_map(|c| [c.to_owned(), format!("{c}.csv")])
                .collect();
            with_description(
                one_of_words(codes.iter().map(String::as_str)),
                LENIENT_STATES,
            )
        }
        "mission" => one_of_words(catalog.missions().map(|m| m.acronym.as_str())),
        "capability" => one_of_words(catalog.capabilities().map(|c| c.code.as_str())),
        "conference" => one_of_words(catalog.conferences().map(|c| c.code.as_str())),
        "category" => one_of_words(Category::ALL.iter().map(|c| c.as_str())),
        "readiness" | "readiness_min" => one_of_words(Readiness::ALL.iter().map(|r| r.as_str())),
        "status" => one_of_words(PledgeStatus::ALL.iter().map(|s| s.as_str())),
        "order" => one_of_words(["asc", "desc"]),
        "lineage" => one_of_words(LineageState::ALL.iter().map(|s| s.as_str())),
        "class" => one_of_words(LineageClass::ALL.iter().map(|c| c.as_str())),
        "joint" | "earmarked" | "withdrawn" | "formed_units" => one_of_words(["true", "false"]),
        "sort" => one_of_words(COUNTRY_CSV_COLUMNS),
        "limit" => json!({ "type": "integer", "minimum": 1, "maximum": MAX_LIMIT }),
        "stalled_days" => json!({ "type": "integer", "minimum": 1, "maximum": MAX_STALLED_DAYS }),
        "cursor" if path == AUDIT_PATH => {
            json!({ "type": "integer", "format": "int64", "minimum": 0 })
        }
        "cursor" => json!({ "type": "integer", "format": "int64" }),
        "as_of" => json!({ "anyOf": [
            { "type": "string", "format": "date-time" },
            { "type": "string", "format": "date" },
        ] }),
        "since" => json!({ "type": "string", "format": "date-time" }),
        "If-Match" => json!({ "type": "string", "pattern": IF_MATCH_PATTERN }),
        _ => return None,
    })
}
