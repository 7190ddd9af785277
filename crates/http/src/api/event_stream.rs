//! `GET /api/v1/events`: one server-sent event per pledge or requirement change, so boards
//! update without polling; those committed through the other instances on a PostgreSQL
//! database included (`event_relay.rs`). A `resync` event tells a board it may have missed
//! changes (it was too slow to read them, or the link to the other instances was lost). A stream ends, with an `ended` event, when its token is revoked or its
//! session ends (`live_streams`), and when the server stops.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{Stream, StreamExt};
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::AppState;
use crate::auth::{Authenticated, credential_of};
use crate::events::{ChangeEvent, LiveEvent};

/// How often an idle stream sends a comment so proxies keep it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Streams change events (`text/event-stream`); the event name is the entity.
#[utoipa::path(
    get, path = "/events", tag = "events",
    responses(
        (status = 200, description = "A stream of server-sent events, one per change; `data` is a ChangeEvent", content_type = "text/event-stream", body = ChangeEvent),
        (status = 401, body = crate::error::Problem),
    ),
    security(("bearer" = []))
)]
pub async fn stream_events(
    State(state): State<AppState>,
    Authenticated(reader): Authenticated,
    parts: Parts,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changes = BroadcastStream::new(state.subscribe_live()).map(|received| match received {
        Ok(LiveEvent::Resync(reason)) => Event::default().event("resync").data(reason),
        Ok(LiveEvent::Change(change)) => Event::default()
            .event(change.entity)
            .id(format!("{}-{}", change.id, change.version))
            .json_data(&change)
            .unwrap_or_else(|_| Event::default().comment("unserialisable event")),
        // A slow board missed events: tell it to reload rather than show a wrong picture.
        Err(BroadcastStreamRecvError::Lagged(n)) => {
            Event::default().event("resync").data(n.to_string())
        }
    });
    let (ticket, ended) = state.live_streams().open(credential_of(&parts, &reader));
    // Changes until the stream must end; then one `ended` event saying why, and the end.
    let stream = futures_util::stream::unfold(
        (changes, Some(ended), ticket),
        |(mut changes, ended, ticket)| async move {
            let mut ended = ended?;
            tokio::select! {
                reason = &mut ended => {
                    let reason = reason.unwrap_or(crate::live_streams::ENDED_SHUTDOWN);
                    Some((Event::default().event("ended").data(reason), (changes, None, ticket)))
                }
                change = changes.next() => change.map(|event| (event, (changes, Some(ended), ticket))),
            }
        },
    )
    .map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
}
