//! Pledgeboard's schema as sea-orm migrations: one file per change, backend-neutral, each
//! with a `down()`. Reference and demo data are never loaded here (see `fixtures/`).

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_reference_tables;
mod m20261128_000002_create_requirements;
mod m20261128_000003_create_pledges;
mod m20261128_000004_create_tokens_and_audit;
mod m20261128_000005_create_versions;
mod m20261128_000006_create_sessions;
mod m20261201_000001_add_personnel_estimated;
mod m20261201_000002_create_data_version;
mod m20261206_000001_create_pledge_milestones;
mod m20261206_000002_add_supersedes;
mod m20261206_000003_one_successor;
mod m20261206_000004_set_pledges_fillfactor;
mod m20261207_000001_coverage_index_with_keys;
mod m20261207_000002_successor_index_partial;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_reference_tables::Migration),
            Box::new(m20261128_000002_create_requirements::Migration),
            Box::new(m20261128_000003_create_pledges::Migration),
            Box::new(m20261128_000004_create_tokens_and_audit::Migration),
            Box::new(m20261128_000005_create_versions::Migration),
            Box::new(m20261128_000006_create_sessions::Migration),
            Box::new(m20261201_000001_add_personnel_estimated::Migration),
            Box::new(m20261201_000002_create_data_version::Migration),
            Box::new(m20261206_000001_create_pledge_milestones::Migration),
            Box::new(m20261206_000002_add_supersedes::Migration),
            Box::new(m20261206_000003_one_successor::Migration),
            Box::new(m20261206_000004_set_pledges_fillfactor::Migration),
            Box::new(m20261207_000001_coverage_index_with_keys::Migration),
            Box::new(m20261207_000002_successor_index_partial::Migration),
        ]
    }
}
