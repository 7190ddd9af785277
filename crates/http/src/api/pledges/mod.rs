//! Pledges: the routes that read them (`read`), the filters of lists and exports (`query`),
//! the bodies that create and change them (`request`), the JSON a pledge is answered as
//! (`response`), the routes that write them (`writes`), and their milestones (`milestones`).

pub mod milestones;
pub mod query;
pub mod read;
pub mod request;
pub mod response;
pub mod writes;
