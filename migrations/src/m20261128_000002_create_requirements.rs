//! Mission requirements: one per (mission, capability).

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_create_reference_tables::{Capabilities, Missions};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Requirements {
    Table,
    Id,
    Mission,
    Capability,
    Quantity,
    Personnel,
    NeededBy,
    Priority,
    Version,
    CreatedAt,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Requirements::Table)
                    .col(big_pk_auto(Requirements::Id))
                    .col(string_len(Requirements::Mission, 16))
                    .col(string_len(Requirements::Capability, 24))
                    .col(integer(Requirements::Quantity))
                    .col(integer(Requirements::Personnel))
                    .col(date(Requirements::NeededBy))
                    .col(string_len(Requirements::Priority, 8))
                    .col(integer(Requirements::Version))
                    .col(timestamp_with_time_zone(Requirements::CreatedAt))
                    .col(timestamp_with_time_zone(Requirements::UpdatedAt))
                    .col(string(Requirements::UpdatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Requirements::Table, Requirements::Mission)
                            .to(Missions::Table, Missions::Acronym),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Requirements::Table, Requirements::Capability)
                            .to(Capabilities::Table, Capabilities::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("requirements_mission_capability_key")
                    .table(Requirements::Table)
                    .col(Requirements::Mission)
                    .col(Requirements::Capability)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Requirements::Table).to_owned())
            .await
    }
}
