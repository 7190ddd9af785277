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

impl Model {
    /// The pledge in a PostgreSQL row whose columns are this entity's, in order
    /// (`Column::iter()`), read by position (see `import/postgres/stored.rs`).
    pub(crate) fn from_postgres_row(
        row: &sea_orm::sqlx::postgres::PgRow,
    ) -> Result<Self, sea_orm::sqlx::Error> {
        use sea_orm::sqlx::Row as _;
        Ok(Self {
            id: row.try_get(0)?,
            member_state: row.try_get(1)?,
            pledge_ref: row.try_get(2)?,
            capability: row.try_get(3)?,
            category: row.try_get(4)?,
            quantity: row.try_get(5)?,
            personnel: row.try_get(6)?,
            female_personnel: row.try_get(7)?,
            personnel_estimated: row.try_get(8)?,
            readiness: row.try_get(9)?,
            available_from: row.try_get(10)?,
            duration_months: row.try_get(11)?,
            mission: row.try_get(12)?,
            conference: row.try_get(13)?,
            status: row.try_get(14)?,
            caveats: row.try_get(15)?,
            monthly_cost_cents: row.try_get(16)?,
            notes: row.try_get(17)?,
            registered_on: row.try_get(18)?,
            renewed_on: row.try_get(19)?,
            supersedes_ref: row.try_get(20)?,
            version: row.try_get(21)?,
            created_at: row.try_get(22)?,
            updated_at: row.try_get(23)?,
            updated_by: row.try_get(24)?,
        })
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
