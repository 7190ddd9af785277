//! A batch rendered once as cells, for either backend to write: new pledges (`new.rs`) and
//! changes to stored ones (`updated.rs`).

mod new;
mod updated;

pub(crate) use new::{NewPledges, PLEDGE_CELLS, key_rows, pledge_columns};
pub(crate) use updated::{ChangedColumns, UPDATE_CELLS, UpdatedPledges};
