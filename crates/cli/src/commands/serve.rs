//! `pledgeboard serve [--db URL] [--bind ADDR] [--demo] [limits]`: builds the settings and
//! hands serving to `pledgeboard_http::serve`.

use anyhow::Context;
use pledgeboard_http::AppState;

use crate::commands::{demo, open_store};
use crate::config::Config;

/// Migrates, optionally loads the demo, and serves until Ctrl-C or SIGTERM.
pub async fn run(config: &Config, with_demo: bool) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    if with_demo {
        demo::report(&store).await?;
        demo::admin_token(&store).await?;
    }
    let state = AppState::with_settings(store, config.http.clone()).await?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let address = listener.local_addr()?;
    println!("Pledgeboard is serving on http://{address}/");
    tracing::info!(%address, db = %config.db_url, "serving");
    pledgeboard_http::serve(listener, state, shutdown_signal())
        .await
        .context("the server stopped with an error")?;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
