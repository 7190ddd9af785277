//! One successor per pledge, held by the database: `pledges_supersedes_idx` on
//! `(member_state, supersedes_ref)` becomes unique. The domain's `StateLineage::check` refuses a
//! second successor before a write, but two writes checked at the same moment (two planners
//! re-announcing the same pledge, on two PostgreSQL connections or queued together on SQLite)
//! could both pass it; the index refuses the second. A pledge superseding nothing has a NULL
//! `supersedes_ref`, which a unique index never counts as equal on either backend.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pledges {
    Table,
    MemberState,
    SupersedesRef,
}

/// The index's name, as `m20261206_000002_add_supersedes` made it.
const INDEX: &str = "pledges_supersedes_idx";

async fn index(manager: &SchemaManager<'_>, unique: bool) -> Result<(), DbErr> {
    manager
        .drop_index(Index::drop().name(INDEX).table(Pledges::Table).to_owned())
        .await?;
    let mut create = Index::create();
    create
        .name(INDEX)
        .table(Pledges::Table)
        .col(Pledges::MemberState)
        .col(Pledges::SupersedesRef);
    if unique {
        create.unique();
    }
    manager.create_index(create.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(manager, false).await
    }
}
