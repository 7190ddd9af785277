//! The JSON API. Resources with several routes have a folder (`pledges/`, `reference/`,
//! `reports/`); single-route resources are one file.

pub mod audit;
pub mod etag;
pub mod event_stream;
pub mod exports;
pub mod health;
pub mod imports;
pub mod openapi;
pub mod openapi_constraints;
pub mod pledges;
pub mod reference;
pub mod reports;
