//! Pledgeboard's HTTP face: the JSON API, problem details, and (later) the pages.
//!
//! The only crate that knows status codes and JSON shapes. [`router`] is a plain function so
//! tests drive the app without a socket.

mod api;
mod auth;
mod error;
mod extract;
mod importing;
mod pages;
mod recording;
mod routes;
mod state;
mod telemetry;
mod upload;

pub use api::events::ChangeEvent;
pub use error::ApiError;
pub use routes::{router, router_with_openapi};
pub use state::{AppState, HttpSettings, IMPORT_TURN_WAIT, MAX_CONCURRENT_IMPORTS};
