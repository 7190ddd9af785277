use sea_orm::entity::prelude::*;

/// `Deserialize` reads a row from SQLite's `json_array(…)` of its columns in order (see
/// `import/sqlite/mod.rs`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "pledges")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub category: String,
    pub quantity: i32,
    pub personnel: i32,
    pub female_personnel: i32,
    /// The personnel figure is an estimate (standard size × quantity), not a stated one.
    #[serde(deserialize_with = "crate::entities::sqlite_bool")]
    pub personnel_estimated: bool,
    pub readiness: String,
    pub available_from: Option<Date>,
    pub duration_months: Option<i16>,
    pub mission: Option<String>,
    pub conference: Option<String>,
    pub status: String,
    pub caveats: Option<String>,
    /// Estimated monthly cost in US cents (money is whole cents, exact on SQLite too).
    pub monthly_cost_cents: Option<i64>,
    pub notes: Option<String>,
    pub registered_on: Date,
    pub renewed_on: Option<Date>,
    /// The reference of the earlier pledge of the same member state this one re-announces.
    pub supersedes_ref: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The name of the token that made the current version.
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
