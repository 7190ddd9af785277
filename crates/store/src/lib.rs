//! Pledgeboard's store: the only crate that knows tables. Public functions take and return
//! domain types; sea-orm entities stay private.
//!
//! One URL picks the backend: `sqlite://file.db` (the default, one file in WAL mode) or
//! `postgres://…` (for several server instances behind a load balancer).

mod catalog_repo;
mod connect;
mod entities;
mod error;
pub mod fixtures;
mod pledge_repo;
mod pledge_row;
mod requirement_repo;
#[cfg(feature = "testing")]
pub mod testing;

pub use connect::{Backend, Store};
pub use error::StoreError;
pub use pledge_repo::{PledgeFilter, PledgePage};
