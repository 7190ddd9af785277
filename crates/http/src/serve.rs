//! Serving connections: hyper's HTTP/1 server through hyper-util's tokio glue (axum's own
//! `serve` exposes no timeouts), with
//! - a header read timeout, which hyper 1.x runs from the moment a connection opens and again
//!   from the end of each answer, so it is also the keep-alive idle timeout;
//! - a request-body deadline (`tower-http`), which only a body being read can trip: a GET such
//!   as the event stream is never cut;
//! - a send timeout: a connection whose answer has waited that long for the client to read
//!   it is dropped (`stalled_writes`), so clients that stop reading cannot hold places;
//! - a cap on open connections: past it, new ones wait in the listen backlog while open ones
//!   keep being served;
//! - the client address (`ConnectInfo<SocketAddr>`) in every request, for the rate limiter;
//! - graceful shutdown: no new connections, event streams end, in-flight requests finish.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::{ServiceBuilder, ServiceExt};
use tower_http::timeout::RequestBodyDeadlineLayer;

use crate::open_files::raise_limit_and_cap;
use crate::stalled_writes::WatchedIo;
use crate::{AppState, router};

/// How long in-flight requests may take to finish once shutdown begins: an import of a
/// million rows commits in well under this.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);
/// Pause after a failed accept (e.g. out of file descriptors), so the loop does not spin.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

/// Serves the application on `listener` until `shutdown` resolves, then finishes in-flight
/// requests (for at most [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let settings = state.settings.clone();
    let cap = raise_limit_and_cap(settings.max_connections);
    tracing::info!(
        max_connections = cap.connections,
        open_file_limit = cap.open_file_limit,
        header_timeout_secs = settings.header_timeout.as_secs_f64(),
        body_timeout_secs = settings.body_timeout.as_secs_f64(),
        send_timeout_secs = settings.send_timeout.as_secs_f64(),
        "accepting connections"
    );
    let app = ServiceBuilder::new()
        .layer(RequestBodyDeadlineLayer::new(settings.body_timeout))
        .service(router(state.clone()));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout);
    let permits = Arc::new(Semaphore::new(cap.connections));
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        // A free place first, then a connection: past the cap, clients wait in the backlog.
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(ACCEPT_RETRY).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = Connection {
            stream,
            peer,
            permit,
        };
        connection.spawn(&http, app.clone(), &graceful, settings.send_timeout);
    }
    drop(listener);
    state.live_streams().end_all();
    tokio::select! {
        () = graceful.shutdown() => {},
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("some requests were still running after {SHUTDOWN_GRACE:?}; stopping anyway");
        }
    }
    Ok(())
}

/// An accepted connection and its place under the cap.
struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    permit: OwnedSemaphorePermit,
}

impl Connection {
    /// Serves the connection on its own task; its place is freed when it closes.
    fn spawn<S>(
        self,
        http: &http1::Builder,
        app: S,
        graceful: &GracefulShutdown,
        send_timeout: Duration,
    ) where
        S: tower::Service<
                Request<Incoming>,
                Response = axum::response::Response,
                Error = std::convert::Infallible,
            > + Clone
            + Send
            + 'static,
        S::Future: Send + 'static,
    {
        let Self {
            stream,
            peer,
            permit,
        } = self;
        // Answers are written whole or streamed; waiting for more to coalesce only adds delay.
        let _ = stream.set_nodelay(true);
        let service = tower::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request)
        });
        let (io, stall) = WatchedIo::new(stream);
        let connection = http.serve_connection(TokioIo::new(io), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            tokio::select! {
                ended = connection => if let Err(e) = ended {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                },
                () = stall.exceeded(send_timeout) => {
                    tracing::info!(%peer, "closing a connection whose client stopped reading");
                }
            }
            drop(permit);
        });
    }
}
