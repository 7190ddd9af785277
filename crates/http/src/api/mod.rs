//! The JSON API, one module per resource.

pub mod audit;
pub mod etag;
pub mod events;
pub mod exports;
pub mod health;
pub mod imports;
pub mod openapi;
pub mod openapi_constraints;
pub mod pledge_json;
pub mod pledge_query;
pub mod pledge_request;
pub mod pledge_writes;
pub mod pledges;
pub mod reference;
pub mod reference_writes;
pub mod reports;
pub mod requirements;
