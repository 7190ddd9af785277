//! Logging in through the `/login` form, as a browser does.

use reqwest::{Client, header};

use crate::server::Server;

/// Logs in to `server` with `token` through the form; returns the session cookie
/// (`name=value`).
pub async fn session_cookie(client: &Client, server: &Server, token: &str) -> String {
    let login = client
        .post(server.url("/login"))
        .header(header::ORIGIN, &server.base_url)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("token={token}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    login
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("no session cookie: {}", login.status()))
}
