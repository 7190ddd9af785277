//! `pledge_milestones`: the dated facts recorded on a pledge after its announcement (note
//! verbale received, accepted, AAV completed, …). Each row names the pledge version its
//! recording made and, in words, why (`reason`, which the pledge's history shows). An admin's
//! deletion marks the row (`deleted_at`, `deleted_by`) rather than removing it, so the
//! history keeps its reason; a live pledge holds at most one milestone of each kind.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_create_reference_tables::Missions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PledgeMilestones {
    Table,
    Id,
    PledgeId,
    Kind,
    ReachedOn,
    Mission,
    Note,
    SourceRef,
    RecordedBy,
    RecordedAt,
    PledgeVersion,
    Reason,
    DeletedAt,
    DeletedBy,
}

#[derive(DeriveIden)]
enum Pledges {
    Table,
    Id,
}

/// One live milestone of a kind per pledge (deleted ones aside): the same partial index on
/// both backends, which sea-query's index builder cannot state.
const ONE_PER_KIND: &str = "CREATE UNIQUE INDEX pledge_milestones_one_per_kind \
     ON pledge_milestones (pledge_id, kind) WHERE deleted_at IS NULL";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PledgeMilestones::Table)
                    .col(big_pk_auto(PledgeMilestones::Id))
                    .col(big_integer(PledgeMilestones::PledgeId))
                    .col(string_len(PledgeMilestones::Kind, 16))
                    .col(date(PledgeMilestones::ReachedOn))
                    .col(string_len_null(PledgeMilestones::Mission, 16))
                    .col(text_null(PledgeMilestones::Note))
                    .col(string_len_null(PledgeMilestones::SourceRef, 120))
                    .col(string(PledgeMilestones::RecordedBy))
                    .col(timestamp_with_time_zone(PledgeMilestones::RecordedAt))
                    .col(integer(PledgeMilestones::PledgeVersion))
                    .col(text(PledgeMilestones::Reason))
                    .col(timestamp_with_time_zone_null(PledgeMilestones::DeletedAt))
                    .col(string_null(PledgeMilestones::DeletedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PledgeMilestones::Table, PledgeMilestones::PledgeId)
                            .to(Pledges::Table, Pledges::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PledgeMilestones::Table, PledgeMilestones::Mission)
                            .to(Missions::Table, Missions::Acronym),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledge_milestones_pledge_version_idx")
                    .table(PledgeMilestones::Table)
                    .col(PledgeMilestones::PledgeId)
                    .col(PledgeMilestones::PledgeVersion)
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(ONE_PER_KIND)
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PledgeMilestones::Table).to_owned())
            .await
    }
}
