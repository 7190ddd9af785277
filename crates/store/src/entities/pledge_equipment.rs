use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "pledge_equipment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pledge_id: i64,
    pub category: String,
    pub description: String,
    pub quantity: i32,
    pub lease: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
