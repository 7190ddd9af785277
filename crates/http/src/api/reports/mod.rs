//! Reports, one file each: coverage, allocation, the all-states table (`countries`), one
//! state's page (`country`), renewals and a conference's outcome (`outcome`). Each holds its route(s) and its typed response
//! structs (`Serialize` + `ToSchema`, built `From` the domain's report): the JSON contract
//! lives here, the figures in `crates/domain`. JSON and CSV render the same report (`csv`).

pub mod allocation;
pub mod countries;
pub mod country;
pub mod coverage;
pub mod csv;
pub mod download;
pub mod follow_through;
pub mod outcome;
pub mod renewals;
pub mod workbook;
