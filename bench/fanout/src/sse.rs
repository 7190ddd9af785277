//! Reading a server-sent event stream as a browser's `EventSource` does: lines into events
//! (`event:` names it, `data:` lines carry it, a blank line ends it; comments are ignored).

use anyhow::{Context, Result, bail};
use reqwest::header::COOKIE;
use reqwest::{Client, Response};

/// One event: its name (`message` when unnamed) and its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEvent {
    pub name: String,
    pub data: String,
}

impl ServerEvent {
    /// The data version a change event carries (`data_version` in its JSON), if any.
    pub fn data_version(&self) -> Option<i64> {
        serde_json::from_str::<serde_json::Value>(&self.data)
            .ok()?
            .get("data_version")?
            .as_i64()
    }

    /// The pledge or requirement id a change event names.
    pub fn entity_id(&self) -> Option<i64> {
        serde_json::from_str::<serde_json::Value>(&self.data)
            .ok()?
            .get("id")?
            .as_i64()
    }
}

/// Splits the bytes of a stream into events, keeping a partial line between chunks.
#[derive(Default)]
pub struct EventParser {
    pending: Vec<u8>,
    name: String,
    data: Vec<String>,
}

impl EventParser {
    /// Feeds a chunk; returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<ServerEvent> {
        self.pending.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() {
                    events.push(ServerEvent {
                        name: if self.name.is_empty() {
                            "message".to_owned()
                        } else {
                            std::mem::take(&mut self.name)
                        },
                        data: self.data.join("\n"),
                    });
                }
                self.name.clear();
                self.data.clear();
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => self.name = value.to_owned(),
                "data" => self.data.push(value.to_owned()),
                _ => {}
            }
        }
        events
    }
}

/// Opens `GET /api/v1/events` with a session cookie or a bearer token.
pub async fn open(client: &Client, base: &str, auth: &Auth) -> Result<Response> {
    let request = client.get(format!("{base}/api/v1/events"));
    let response = match auth {
        Auth::Cookie(cookie) => request.header(COOKIE, cookie),
        Auth::Bearer(token) => request.bearer_auth(token),
    }
    .send()
    .await
    .context("opening the event stream")?;
    if !response.status().is_success() {
        bail!("the event stream answered {}", response.status());
    }
    Ok(response)
}

/// How a client proves who it is.
#[derive(Debug, Clone)]
pub enum Auth {
    /// A page's session cookie (`name=value`).
    Cookie(String),
    /// An API token.
    Bearer(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_are_read_whole_and_comments_skipped() {
        let mut parser = EventParser::default();
        assert!(
            parser
                .feed(b": keep-alive\n\nevent: pledge\nid: 1-1\nda")
                .is_empty()
        );
        let events = parser.feed(b"ta: {\"id\":4,\"data_version\":12}\n\n");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].name, "pledge");
        assert_eq!(events[0].data_version(), Some(12));
        assert_eq!(events[0].entity_id(), Some(4));
    }
}
