//! End-to-end tests: the real `pledgeboard` binary, a real server on a free port, real
//! databases (SQLite always, PostgreSQL when `PLEDGEBOARD_TEST_POSTGRES` is set).

mod browser;
mod cli;
mod server;

mod auth_matrix;
mod busy_import;
mod concurrency;
mod serve_demo;
mod summary_matches_api;
mod token_storage;
