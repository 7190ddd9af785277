//! End-to-end tests: the real `pledgeboard` binary, a real server on a free port, real
//! databases (SQLite always, PostgreSQL when `PLEDGEBOARD_TEST_POSTGRES` is set).

mod server;

mod serve_demo;
mod summary_matches_api;
