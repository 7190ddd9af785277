//! What handlers and pages call to get something done: record and change pledges and
//! requirements (`recording`), record and delete milestones (`milestones`), run an import (`importing`), and receive an uploaded file
//! (`upload`). Rules come from the domain and writes from the store; these coordinate them and
//! publish [`crate::events::ChangeEvent`]s.

pub mod importing;
pub mod milestones;
pub mod recording;
pub mod upload;
