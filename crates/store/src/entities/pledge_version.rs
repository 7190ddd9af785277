use sea_orm::entity::prelude::*;

/// A superseded version of a pledge, valid over `[valid_from, valid_to)`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pledge_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pledge_id: i64,
    pub version: i32,
    pub valid_from: DateTimeUtc,
    pub valid_to: DateTimeUtc,
    pub changed_by: String,
    pub member_state: String,
    pub pledge_ref: String,
    pub capability: String,
    pub category: String,
    pub quantity: i32,
    pub personnel: i32,
    pub female_personnel: i32,
    /// The personnel figure is an estimate (standard size × quantity), not a stated one.
    pub personnel_estimated: bool,
    pub readiness: String,
    pub available_from: Option<Date>,
    pub duration_months: Option<i16>,
    pub mission: Option<String>,
    pub conference: Option<String>,
    pub status: String,
    pub caveats: Option<String>,
    pub monthly_cost_cents: Option<i64>,
    pub notes: Option<String>,
    pub registered_on: Date,
    pub renewed_on: Option<Date>,
    /// The reference of the earlier pledge of the same member state this one re-announces.
    pub supersedes_ref: Option<String>,
    /// `ISO3:role` entries joined by `;`.
    pub partners: String,
    /// The equipment lines as JSON.
    pub equipment: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
