//! `personnel_estimated` on pledges and their versions: whether the personnel figure is the
//! capability's standard size × the quantity because nobody stated one. Rows stored before
//! are stated figures (false).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pledges {
    Table,
    PersonnelEstimated,
}

#[derive(DeriveIden)]
enum PledgeVersions {
    Table,
    PersonnelEstimated,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Pledges::Table)
                    .add_column(boolean(Pledges::PersonnelEstimated).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PledgeVersions::Table)
                    .add_column(boolean(PledgeVersions::PersonnelEstimated).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PledgeVersions::Table)
                    .drop_column(PledgeVersions::PersonnelEstimated)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Pledges::Table)
                    .drop_column(Pledges::PersonnelEstimated)
                    .to_owned(),
            )
            .await
    }
}
