//! A connection whose client stops reading: the server's writes wait on a full socket buffer
//! and no timeout of hyper's runs meanwhile. [`WatchedIo`] notes when a write started waiting,
//! and [`WriteStall::exceeded`] resolves once one has waited longer than the send timeout, so
//! the connection can be dropped and its place under the cap freed.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Since when a write has been waiting on one connection.
#[derive(Debug)]
pub struct WriteStall {
    start: Instant,
    /// Milliseconds after `start` plus one at which the waiting write began; 0 while none is.
    waiting_since: AtomicU64,
}

impl WriteStall {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            start: Instant::now(),
            waiting_since: AtomicU64::new(0),
        })
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX - 1) + 1
    }

    fn note<T>(&self, poll: &Poll<T>) {
        match poll {
            Poll::Pending => {
                let _ = self.waiting_since.compare_exchange(
                    0,
                    self.now(),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
            Poll::Ready(_) => self.waiting_since.store(0, Ordering::Relaxed),
        }
    }

    /// Resolves once a write has waited longer than `limit` (checked four times per limit).
    pub async fn exceeded(&self, limit: Duration) {
        let limit_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
        loop {
            tokio::time::sleep(limit / 4).await;
            let since = self.waiting_since.load(Ordering::Relaxed);
            if since != 0 && self.now().saturating_sub(since) >= limit_ms {
                return;
            }
        }
    }
}

/// A connection's socket, noting when its writes wait.
pub struct WatchedIo<T> {
    io: T,
    stall: Arc<WriteStall>,
}

impl<T> WatchedIo<T> {
    /// Wraps `io`; the returned [`WriteStall`] tells how long its writes have waited.
    pub fn new(io: T) -> (Self, Arc<WriteStall>) {
        let stall = WriteStall::new();
        (
            Self {
                io,
                stall: Arc::clone(&stall),
            },
            stall,
        )
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WatchedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WatchedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write(cx, buf);
        self.stall.note(&poll);
        poll
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.stall.note(&poll);
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_flush(cx);
        self.stall.note(&poll);
        poll
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    #[tokio::test]
    async fn a_write_nobody_reads_is_noticed_after_the_limit() {
        let (client, _server_side_unread) = tokio::io::duplex(64);
        let (mut watched, stall) = WatchedIo::new(client);
        let writer = tokio::spawn(async move { watched.write_all(&[0u8; 1024]).await });
        let waited = Instant::now();
        tokio::time::timeout(
            Duration::from_secs(5),
            stall.exceeded(Duration::from_millis(200)),
        )
        .await
        .unwrap();
        assert!(waited.elapsed() >= Duration::from_millis(200));
        writer.abort();
    }

    #[tokio::test]
    async fn writes_that_go_through_are_never_a_stall() {
        let (client, mut reader) = tokio::io::duplex(64 * 1024);
        let (mut watched, stall) = WatchedIo::new(client);
        watched.write_all(&[0u8; 1024]).await.unwrap();
        let drain = tokio::spawn(async move {
            let mut sink = Vec::new();
            let _ = tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut sink).await;
        });
        let exceeded = tokio::time::timeout(
            Duration::from_millis(600),
            stall.exceeded(Duration::from_millis(100)),
        )
        .await;
        assert!(exceeded.is_err(), "no write waited");
        drop(watched);
        drain.abort();
    }
}
