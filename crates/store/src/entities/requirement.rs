use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "requirements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mission: String,
    pub capability: String,
    pub quantity: i32,
    pub personnel: i32,
    pub needed_by: Date,
    pub priority: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The name of the token that made the current version.
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
