//! Pledges: reading, the web table, recording and changing, history, export, and the one
//! mapping between pledge rows and domain pledges.

pub(crate) mod as_of;
pub(crate) mod change;
pub(crate) mod export;
pub(crate) mod history;
pub(crate) mod read;
pub(crate) mod row;
pub(crate) mod table;
pub(crate) mod write;
