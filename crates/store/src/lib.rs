//! Pledgeboard's store: the only crate that knows tables. Public functions take and return
//! domain types; sea-orm entities stay private.
//!
//! One URL picks the backend: `sqlite://file.db` (the default, one file in WAL mode) or
//! `postgres://…` (for several server instances behind a load balancer).

mod audit_repo;
mod backup;
mod catalog_repo;
mod clock;
mod connect;
mod cost_sum;
mod entities;
mod error;
pub mod fixtures;
mod import;
mod live_credentials;
mod pledge_export;
mod pledge_history;
mod pledge_repo;
mod pledge_row;
mod pledge_table;
mod pledge_write;
mod reference_write;
mod reports;
mod requirement_import;
mod requirement_repo;
mod session_repo;
#[cfg(feature = "testing")]
pub mod testing;
mod token_repo;
mod writer_gate;

pub use audit_repo::{AuditEntry, AuditFilter};
pub use connect::{Backend, Store};
pub use error::StoreError;
pub use import::{BATCH_ROWS, ImportOptions};
pub use live_credentials::SessionKey;
pub use pledge_export::PledgePager;
pub use pledge_history::{PledgeAsOf, PledgeVersion};
pub use pledge_repo::{PledgeFilter, PledgePage};
pub use pledge_table::{PledgeSort, PledgeTable};
pub use pledge_write::PledgeChange;
pub use reports::CountryFilter;
pub use session_repo::SESSION_HOURS;
pub use token_repo::{TOKEN_PREFIX, TokenInfo};
