use sea_orm::entity::prelude::*;

/// A milestone recorded on a pledge; `deleted_at` marks one an admin deleted (kept, so the
/// pledge's history keeps its reason).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pledge_milestones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub pledge_id: i64,
    pub kind: String,
    pub reached_on: Date,
    pub mission: Option<String>,
    pub note: Option<String>,
    pub source_ref: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
    /// The pledge version its recording made.
    pub pledge_version: i32,
    /// What the recording did to the pledge, in words.
    pub reason: String,
    pub deleted_at: Option<DateTimeUtc>,
    pub deleted_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
