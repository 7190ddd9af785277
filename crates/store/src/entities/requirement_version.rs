use sea_orm::entity::prelude::*;

/// A superseded (or deleted) version of a requirement, valid over `[valid_from, valid_to)`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requirement_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub requirement_id: i64,
    pub version: i32,
    pub valid_from: DateTimeUtc,
    pub valid_to: DateTimeUtc,
    pub changed_by: String,
    pub mission: String,
    pub capability: String,
    pub quantity: i32,
    pub personnel: i32,
    pub needed_by: Date,
    pub priority: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
