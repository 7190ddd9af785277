//! End-to-end tests: the real `pledgeboard` binary, a real server on a free port, real
//! databases (SQLite always, PostgreSQL when `PLEDGEBOARD_TEST_POSTGRES` is set).

mod browser;
mod cli;
mod db_proxy;
mod login;
mod server;
mod sse;

mod auth_matrix;
mod backup;
mod busy_import;
mod cli_manners;
mod concurrency;
mod connections;
mod database_outage;
mod event_streams;
mod failed_logins;
mod follow_through_matches_api;
mod hostile_uploads;
mod outcome_matches_api;
mod serve_demo;
mod several_instances;
mod summary_matches_api;
mod summary_money;
mod summary_snapshot;
mod token_storage;
