//! Pledges with their partners and equipment lines, indexed for a million rows.
//!
//! `pledges_coverage_idx` covers every column the coverage report reads, so that report is
//! answered from the index alone; `(member_state, pledge_ref)` is the natural key imports use.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261128_000001_create_reference_tables::{
    Capabilities, Conferences, MemberStates, Missions,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pledges {
    Table,
    Id,
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
    Version,
    CreatedAt,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum PledgePartners {
    Table,
    PledgeId,
    MemberState,
    Role,
}

#[derive(DeriveIden)]
enum PledgeEquipment {
    Table,
    Id,
    PledgeId,
    Category,
    Description,
    Quantity,
    Lease,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Pledges::Table)
                    .col(big_pk_auto(Pledges::Id))
                    .col(string_len(Pledges::MemberState, 3))
                    .col(string_len(Pledges::PledgeRef, 64))
                    .col(string_len(Pledges::Capability, 24))
                    .col(string_len(Pledges::Category, 24))
                    .col(integer(Pledges::Quantity))
                    .col(integer(Pledges::Personnel))
                    .col(integer(Pledges::FemalePersonnel))
                    .col(string_len(Pledges::Readiness, 3))
                    .col(date_null(Pledges::AvailableFrom))
                    .col(small_integer_null(Pledges::DurationMonths))
                    .col(string_len_null(Pledges::Mission, 16))
                    .col(string_len_null(Pledges::Conference, 24))
                    .col(string_len(Pledges::Status, 10))
                    .col(text_null(Pledges::Caveats))
                    .col(big_integer_null(Pledges::MonthlyCostCents))
                    .col(text_null(Pledges::Notes))
                    .col(date(Pledges::RegisteredOn))
                    .col(date_null(Pledges::RenewedOn))
                    .col(integer(Pledges::Version))
                    .col(timestamp_with_time_zone(Pledges::CreatedAt))
                    .col(timestamp_with_time_zone(Pledges::UpdatedAt))
                    .col(string(Pledges::UpdatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Pledges::Table, Pledges::MemberState)
                            .to(MemberStates::Table, MemberStates::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Pledges::Table, Pledges::Capability)
                            .to(Capabilities::Table, Capabilities::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Pledges::Table, Pledges::Mission)
                            .to(Missions::Table, Missions::Acronym),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Pledges::Table, Pledges::Conference)
                            .to(Conferences::Table, Conferences::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledges_member_state_pledge_ref_key")
                    .table(Pledges::Table)
                    .col(Pledges::MemberState)
                    .col(Pledges::PledgeRef)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledges_coverage_idx")
                    .table(Pledges::Table)
                    .col(Pledges::Mission)
                    .col(Pledges::Capability)
                    .col(Pledges::Status)
                    .col(Pledges::Readiness)
                    .col(Pledges::AvailableFrom)
                    .col(Pledges::Quantity)
                    .col(Pledges::Personnel)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PledgePartners::Table)
                    .col(big_integer(PledgePartners::PledgeId))
                    .col(string_len(PledgePartners::MemberState, 3))
                    .col(string_len(PledgePartners::Role, 8))
                    .primary_key(
                        Index::create()
                            .col(PledgePartners::PledgeId)
                            .col(PledgePartners::MemberState),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PledgePartners::Table, PledgePartners::PledgeId)
                            .to(Pledges::Table, Pledges::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PledgePartners::Table, PledgePartners::MemberState)
                            .to(MemberStates::Table, MemberStates::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledge_partners_member_state_idx")
                    .table(PledgePartners::Table)
                    .col(PledgePartners::MemberState)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PledgeEquipment::Table)
                    .col(big_pk_auto(PledgeEquipment::Id))
                    .col(big_integer(PledgeEquipment::PledgeId))
                    .col(string(PledgeEquipment::Category))
                    .col(text(PledgeEquipment::Description))
                    .col(integer(PledgeEquipment::Quantity))
                    .col(string_len(PledgeEquipment::Lease, 3))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PledgeEquipment::Table, PledgeEquipment::PledgeId)
                            .to(Pledges::Table, Pledges::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("pledge_equipment_pledge_id_idx")
                    .table(PledgeEquipment::Table)
                    .col(PledgeEquipment::PledgeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PledgeEquipment::Table.into_iden(),
            PledgePartners::Table.into_iden(),
            Pledges::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
