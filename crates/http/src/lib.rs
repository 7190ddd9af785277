//! Pledgeboard's HTTP face: the JSON API, problem details, and (later) the pages.
//!
//! The only crate that knows status codes and JSON shapes. [`router`] is a plain function so
//! tests drive the app without a socket.

mod api;
mod auth;
mod cached_answers;
mod error;
mod event_relay;
mod events;
mod extract;
pub mod i18n;
mod live_streams;
mod open_files;
mod pages;
mod params;
pub mod pledge_workbook;
mod public_origin;
mod rate_limit;
mod report_cache;
mod routes;
mod security_headers;
mod serve;
mod services;
mod shared_body;
mod shared_catalog;
mod stalled_writes;
mod state;
mod telemetry;
mod uniform_errors;
mod uri_limit;

pub use api::reports::countries::CountriesReportResponse;
pub use api::reports::country::CountrySummaryResponse;
pub use api::reports::coverage::CoverageReportResponse;
pub use api::reports::follow_through::FollowThroughResponse;
pub use api::reports::outcome::OutcomeResponse;
pub use error::ApiError;
pub use events::{ChangeEvent, Changes};
pub use pages::filters::group_digits;
pub use params::parse_as_of;
pub use public_origin::PublicOrigin;
pub use rate_limit::DEFAULT_FAILED_ATTEMPTS_PER_MINUTE;
pub use routes::{router, router_with_openapi};
pub use serve::serve;
pub use state::{
    AppState, DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
    DEFAULT_SEND_TIMEOUT, HttpSettings, IMPORT_TURN_WAIT, MAX_CONCURRENT_IMPORTS,
};
