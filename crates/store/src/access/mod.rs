//! Who may do what: API tokens, browser sessions, and the live credentials cache.

pub(crate) mod actors;
pub(crate) mod live_credentials;
pub(crate) mod sessions;
pub(crate) mod tokens;
