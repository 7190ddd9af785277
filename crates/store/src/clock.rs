//! The store's notion of now: UTC to the microsecond, the precision both backends keep.

use chrono::{DateTime, SubsecRound, Utc};

/// The current time, truncated to microseconds so it reads back equal on every backend.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
