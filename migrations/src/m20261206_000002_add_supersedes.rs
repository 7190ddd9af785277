//! `supersedes_ref` on pledges and their versions: the reference of the earlier pledge of the
//! same member state that a pledge re-announces (its lineage). The key rather than the id, so
//! that an import can write rows that name rows of the same file, as it writes their cells.
//! `pledges_supersedes_idx` answers "is this pledge superseded?", which every current figure
//! asks of each pledge it counts.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pledges {
    Table,
    MemberState,
    SupersedesRef,
}

#[derive(DeriveIden)]
enum PledgeVersions {
    Table,
    SupersedesRef,
}

const INDEX: &str = "pledges_supersedes_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Pledges::Table)
                    .add_column(string_null(Pledges::SupersedesRef))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PledgeVersions::Table)
                    .add_column(string_null(PledgeVersions::SupersedesRef))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Pledges::Table)
                    .col(Pledges::MemberState)
                    .col(Pledges::SupersedesRef)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Pledges::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(PledgeVersions::Table)
                    .drop_column(PledgeVersions::SupersedesRef)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Pledges::Table)
                    .drop_column(Pledges::SupersedesRef)
                    .to_owned(),
            )
            .await
    }
}
