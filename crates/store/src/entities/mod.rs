//! sea-orm entities: the tables as Rust structs. Private to the store crate; nothing outside
//! sees them.

pub(crate) mod api_token;
pub(crate) mod audit_entry;
pub(crate) mod capability;
pub(crate) mod conference;
pub(crate) mod gender_target;
pub(crate) mod member_state;
pub(crate) mod mission;
pub(crate) mod pledge;
pub(crate) mod pledge_equipment;
pub(crate) mod pledge_partner;
pub(crate) mod pledge_version;
pub(crate) mod requirement;
