//! Reference data: member states, capabilities, missions, conferences, gender targets.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum MemberStates {
    Table,
    Code,
    Alpha2,
    Name,
}

#[derive(DeriveIden)]
pub enum Capabilities {
    Table,
    Code,
    Name,
    Category,
    UnitOfMeasure,
    StandardPersonnel,
    GenderCategory,
}

#[derive(DeriveIden)]
pub enum Missions {
    Table,
    Acronym,
    Name,
    Location,
    EstablishedOn,
}

#[derive(DeriveIden)]
pub enum Conferences {
    Table,
    Code,
    Name,
    Hosts,
    Location,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden)]
enum GenderTargets {
    Table,
    Category,
    Year,
    PercentTenths,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MemberStates::Table)
                    .col(string_len(MemberStates::Code, 3).primary_key())
                    .col(string_len(MemberStates::Alpha2, 2))
                    .col(string(MemberStates::Name))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Capabilities::Table)
                    .col(string_len(Capabilities::Code, 24).primary_key())
                    .col(string(Capabilities::Name))
                    .col(string_len(Capabilities::Category, 24))
                    .col(string_len(Capabilities::UnitOfMeasure, 16))
                    .col(integer(Capabilities::StandardPersonnel))
                    .col(string_len_null(Capabilities::GenderCategory, 24))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Missions::Table)
                    .col(string_len(Missions::Acronym, 16).primary_key())
                    .col(string(Missions::Name))
                    .col(string(Missions::Location))
                    .col(date_null(Missions::EstablishedOn))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Conferences::Table)
                    .col(string_len(Conferences::Code, 24).primary_key())
                    .col(string(Conferences::Name))
                    .col(string(Conferences::Hosts))
                    .col(string(Conferences::Location))
                    .col(date(Conferences::StartsOn))
                    .col(date(Conferences::EndsOn))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(GenderTargets::Table)
                    .col(string_len(GenderTargets::Category, 24))
                    .col(integer(GenderTargets::Year))
                    .col(integer(GenderTargets::PercentTenths))
                    .primary_key(
                        Index::create()
                            .col(GenderTargets::Category)
                            .col(GenderTargets::Year),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            GenderTargets::Table.into_iden(),
            Conferences::Table.into_iden(),
            Missions::Table.into_iden(),
            Capabilities::Table.into_iden(),
            MemberStates::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
