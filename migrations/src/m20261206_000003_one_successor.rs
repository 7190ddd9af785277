//! One successor per pledge, held by the database: `pledges_one_successor_idx`, unique on
//! `(member_state, supersedes_ref)`, takes the place of `pledges_supersedes_idx` (the same
//! columns, not unique), answering the same look-ups. The domain's `StateLineage::check`
//! refuses a second successor before a write, but two writes checked at the same moment (two
//! planners re-announcing the same pledge, on two PostgreSQL connections or queued together on
//! SQLite) could both pass it; the index refuses the second. A pledge superseding nothing has
//! a NULL `supersedes_ref`, which a unique index never counts as equal on either backend.
//!
//! The new index is made before the old one is dropped, in one batch on one connection, so no
//! step depends on another connection having seen the one before.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &str = "CREATE UNIQUE INDEX pledges_one_successor_idx \
     ON pledges (member_state, supersedes_ref); \
     DROP INDEX pledges_supersedes_idx";

const DOWN: &str = "CREATE INDEX pledges_supersedes_idx \
     ON pledges (member_state, supersedes_ref); \
     DROP INDEX pledges_one_successor_idx";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(UP).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(DOWN).await?;
        Ok(())
    }
}
