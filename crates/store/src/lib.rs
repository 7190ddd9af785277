//! Pledgeboard's store: the only crate that knows tables. Public functions take and return
//! domain types; sea-orm entities stay private.
//!
//! One URL picks the backend: `sqlite://file.db` (the default, one file in WAL mode) or
//! `postgres://…` (for several server instances behind a load balancer).

mod access;
mod audit;
mod backup;
mod change_feed;
mod clock;
mod columns;
mod connect;
mod data_version;
mod entities;
mod error;
mod import;
mod lineage;
mod lookup_batch;
mod milestones;
mod pledges;
mod reference;
mod reports;
mod requirement_import;
mod requirements;
mod setup;
mod shared_read;
#[cfg(feature = "testing")]
pub mod testing;
mod write_queue;
mod writer_gate;

pub use access::live_credentials::SessionKey;
pub use access::sessions::SESSION_HOURS;
pub use access::tokens::{TOKEN_PREFIX, TokenInfo};
pub use audit::{AuditEntry, AuditFilter};
pub use change_feed::{ChangeListener, Heard};
pub use connect::{Backend, DEFAULT_POOL_CONNECTIONS, DEFAULT_POOL_TIMEOUT, PoolSettings, Store};
pub use error::StoreError;
pub use import::{BATCH_ROWS, ImportOptions};
pub use lineage::{ConferencePledge, PledgeLineage};
pub use milestones::DeletedMilestone;
pub use pledges::change::{CommittedPledge, PledgeChange};
pub use pledges::export::PledgePager;
pub use pledges::history::{PledgeAsOf, PledgeVersion};
pub use pledges::read::{PledgeFilter, PledgePage, PledgeTotals};
pub use pledges::table::{PledgeSort, PledgeTable};
pub use reference::fixtures;
pub use reports::query::CountryFilter;
pub use reports::renewals::RenewalFilter;
