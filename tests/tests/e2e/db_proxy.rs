//! A TCP proxy between a server and PostgreSQL that a test can cut and restore, to play a
//! database outage without touching the real server: cut, every connection through it is
//! closed and new ones are closed as soon as they arrive; restored, it forwards again.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A running proxy; it stops with the test's runtime.
pub struct DbProxy {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    /// Raised at each cut; a forwarding connection ends when it changes.
    cuts: watch::Sender<u64>,
}

impl DbProxy {
    /// Starts forwarding a free local port to `target` (`host:port`).
    pub async fn start(target: String) -> DbProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("proxy: {e}"));
        let address = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("proxy: {e}"));
        let up = Arc::new(AtomicBool::new(true));
        let (cuts, _) = watch::channel(0);
        let (accepting, cut_seen) = (Arc::clone(&up), cuts.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if !accepting.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                tokio::spawn(forward(client, target.clone(), cut_seen.subscribe()));
            }
        });
        DbProxy { address, up, cuts }
    }

    /// `url` (a `postgres://` URL) with its host and port replaced by the proxy's.
    pub fn url(&self, url: &str) -> String {
        let (scheme, rest) = url
            .split_once("://")
            .unwrap_or_else(|| panic!("not a URL: {url}"));
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let user = authority
            .rsplit_once('@')
            .map_or(String::new(), |(user, _)| format!("{user}@"));
        format!("{scheme}://{user}{}/{path}", self.address)
    }

    /// Closes every connection through the proxy and refuses new ones.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.cuts.send_modify(|n| *n += 1);
    }

    /// Forwards new connections again.
    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// Copies bytes both ways until either side closes or the proxy is cut.
async fn forward(mut client: TcpStream, target: String, mut cut: watch::Receiver<u64>) {
    let Ok(mut server) = TcpStream::connect(&target).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = cut.changed() => {}
    }
}
