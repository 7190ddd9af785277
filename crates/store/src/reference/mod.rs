//! Reference data: the catalog read from its tables, admin changes to it, and the fixtures
//! put in place by `migrate`.

pub(crate) mod catalog;
pub(crate) mod demo_milestones;
pub mod fixtures;
pub(crate) mod rows;
pub(crate) mod write;
