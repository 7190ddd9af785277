//! The JSON API, one module per resource.

pub mod health;
pub mod pledge_json;
pub mod pledge_query;
pub mod pledges;
pub mod reference;
