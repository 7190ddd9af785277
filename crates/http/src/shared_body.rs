//! A response body of a few buffers sent one after the other as they are, so that a buffer
//! shared between requests (a rendered board section kept in the report cache) goes out
//! without being copied into each request's page. Its length is known: `Content-Length`.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use hyper::body::{Frame, SizeHint};

/// Buffers sent in order.
struct Parts {
    parts: VecDeque<Bytes>,
    remaining: u64,
}

impl hyper::body::Body for Parts {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let next = self.parts.pop_front();
        if let Some(part) = &next {
            self.remaining -= part.len() as u64;
        }
        Poll::Ready(next.map(|part| Ok(Frame::data(part))))
    }

    fn is_end_stream(&self) -> bool {
        self.parts.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

/// A body of `parts`, in order (empty ones left out).
pub fn body_of(parts: impl IntoIterator<Item = Bytes>) -> Body {
    let parts: VecDeque<Bytes> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    let remaining = parts.iter().map(|p| p.len() as u64).sum();
    Body::new(Parts { parts, remaining })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_parts_arrive_in_order_with_their_length_known() {
        let shared = Bytes::from_static(b"<section>figures</section>");
        let body = body_of([
            Bytes::from("<main>"),
            shared.clone(),
            Bytes::new(),
            Bytes::from("</main>"),
        ]);
        assert_eq!(
            hyper::body::Body::size_hint(&body).exact(),
            Some(6 + shared.len() as u64 + 7)
        );
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        assert_eq!(bytes, "<main><section>figures</section></main>");
    }
}
