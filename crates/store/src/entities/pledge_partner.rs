use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "pledge_partners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub pledge_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub member_state: String,
    pub role: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
