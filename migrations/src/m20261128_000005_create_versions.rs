//! Superseded versions of pledges and requirements, each valid over `[valid_from, valid_to)`.
//!
//! The current version lives in `pledges` / `requirements` (valid from its `updated_at`); a
//! change copies the version it replaces here. The board as of T is then one query: current
//! rows updated at or before T, plus version rows valid at T.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PledgeVersions {
    Table,
    Id,
    PledgeId,
    Version,
    ValidFrom,
    ValidTo,
    ChangedBy,
    MemberState,
    PledgeRef,
    Capability,
    Category,
    Quantity,
    Personnel,
    FemalePersonnel,
    Readiness,
    AvailableFrom,
    DurationMonths,
    Mission,
    Conference,
    Status,
    Caveats,
    MonthlyCostCents,
    Notes,
    RegisteredOn,
    RenewedOn,
    Partners,
    Equipment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RequirementVersions {
    Table,
    Id,
    RequirementId,
    Version,
    ValidFrom,
    ValidTo,
    ChangedBy,
    Mission,
    Capability,
    Quantity,
    Personnel,
    NeededBy,
    Priority,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PledgeVersions::Table)
                    .col(big_pk_auto(PledgeVersions::Id))
                    .col(big_integer(PledgeVersions::PledgeId))
                    .col(integer(PledgeVersions::Version))
                    .col(timestamp_with_time_zone(PledgeVersions::ValidFrom))
                    .col(timestamp_with_time_zone(PledgeVersions::ValidTo))
                    .col(string(PledgeVersions::ChangedBy))
                    .col(string_len(PledgeVersions::MemberState, 3))
                    .col(string_len(PledgeVersions::PledgeRef, 64))
                    .col(string_len(PledgeVersions::Capability, 24))
                    .col(string_len(PledgeVersions::Category, 24))
                    .col(integer(PledgeVersions::Quantity))
                    .col(integer(PledgeVersions::Personnel))
                    .col(integer(PledgeVersions::FemalePersonnel))
                    .col(string_len(PledgeVersions::Readiness, 3))
                    .col(date_null(PledgeVersions::AvailableFrom))
                    .col(small_integer_null(PledgeVersions::DurationMonths))
                    .col(string_len_null(PledgeVersions::Mission, 16))
                    .col(string_len_null(PledgeVersions::Conference, 24))
                    .col(string_len(PledgeVersions::Status, 10))
                    .col(text_null(PledgeVersions::Caveats))
                    .col(big_integer_null(PledgeVersions::MonthlyCostCents))
                    .col(text_null(PledgeVersions::Notes))
                    .col(date(PledgeVersions::RegisteredOn))
                    .col(date_null(PledgeVersions::RenewedOn))
                    .col(text(PledgeVersions::Partners))
                    .col(text(PledgeVersions::Equipment))
                    .col(timestamp_with_time_zone(PledgeVersions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledge_versions_pledge_version_key")
                    .table(PledgeVersions::Table)
                    .col(PledgeVersions::PledgeId)
                    .col(PledgeVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledge_versions_valid_to_idx")
                    .table(PledgeVersions::Table)
                    .col(PledgeVersions::ValidTo)
                    .col(PledgeVersions::ValidFrom)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RequirementVersions::Table)
                    .col(big_pk_auto(RequirementVersions::Id))
                    .col(big_integer(RequirementVersions::RequirementId))
                    .col(integer(RequirementVersions::Version))
                    .col(timestamp_with_time_zone(RequirementVersions::ValidFrom))
                    .col(timestamp_with_time_zone(RequirementVersions::ValidTo))
                    .col(string(RequirementVersions::ChangedBy))
                    .col(string_len(RequirementVersions::Mission, 16))
                    .col(string_len(RequirementVersions::Capability, 24))
                    .col(integer(RequirementVersions::Quantity))
                    .col(integer(RequirementVersions::Personnel))
                    .col(date(RequirementVersions::NeededBy))
                    .col(string_len(RequirementVersions::Priority, 8))
                    .col(timestamp_with_time_zone(RequirementVersions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("requirement_versions_requirement_version_key")
                    .table(RequirementVersions::Table)
                    .col(RequirementVersions::RequirementId)
                    .col(RequirementVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RequirementVersions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PledgeVersions::Table).to_owned())
            .await
    }
}
