//! sea-orm entities: the tables as Rust structs. Private to the store crate; nothing outside
//! sees them.

pub(crate) mod api_token;
pub(crate) mod audit_entry;
pub(crate) mod capability;
pub(crate) mod conference;
pub(crate) mod gender_target;
pub(crate) mod member_state;
pub(crate) mod mission;
pub(crate) mod pledge;
pub(crate) mod pledge_equipment;
pub(crate) mod pledge_milestone;
pub(crate) mod pledge_partner;
pub(crate) mod pledge_version;
pub(crate) mod requirement;

/// Reads a boolean column from SQLite's `json_array(…)` of a row, where it is `0` or `1`
/// (PostgreSQL's rows are not read through JSON, but `true`/`false` are accepted too).
pub(crate) fn sqlite_bool<'de, D>(d: D) -> Result<bool, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Int(i64),
    }
    Ok(match serde::Deserialize::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Int(n) => n != 0,
    })
}
