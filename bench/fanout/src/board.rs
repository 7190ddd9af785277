//! One live board, behaving as `crates/http/assets/board.js` does in a browser: it listens to
//! `/api/v1/events`, and fetches the board page again only when an event's data version is
//! newer than the one shown, one fetch in flight; events during a fetch raise the version
//! wanted, so the fetch is followed by one more. After a fetch that made no progress (an
//! error, a server behind) it waits `RETRY` or the next event. The browser's HTTP cache is
//! played too: the page's `ETag` is sent back as `If-None-Match`, and a 304 shows the page
//! kept.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::header::{COOKIE, ETAG, IF_NONE_MATCH};
use reqwest::{Client, StatusCode};
use tokio::sync::mpsc;

use crate::sse::{self, Auth, EventParser};

/// board.js's `RETRY_MS`.
const RETRY: Duration = Duration::from_secs(2);

/// What a board heard on its stream.
enum Heard {
    /// A change of this data version (0 when the event carried none: fetch whatever).
    Change(i64),
    /// Events were missed: fetch once whatever the versions say.
    Resync,
}

/// What one board did: when it showed each new version, and how its fetches went.
#[derive(Debug, Default)]
pub struct BoardRecord {
    /// (time since the start, version now shown), in order; versions rise.
    pub shown: Vec<(Duration, i64)>,
    /// When each fetch began (since the start).
    pub fetched: Vec<Duration>,
    pub not_modified: u64,
    pub failed: u64,
}

impl BoardRecord {
    /// The version shown last.
    pub fn last_version(&self) -> i64 {
        self.shown.last().map_or(0, |&(_, v)| v)
    }

    /// When the board first showed `version` or a later one.
    pub fn first_showing(&self, version: i64) -> Option<Duration> {
        let at = self.shown.partition_point(|&(_, v)| v < version);
        self.shown.get(at).map(|&(t, _)| t)
    }
}

/// The data version on a board page (`<section id="board" … data-version="N">`).
pub fn version_on_page(html: &str) -> Option<i64> {
    let board = html.find("id=\"board\"")?;
    let rest = &html[board..];
    let start = rest.find("data-version=\"")? + "data-version=\"".len();
    let end = rest[start..].find('"')?;
    rest[start..start + end].parse().ok()
}

/// A board page as the browser holds it: its version and its ETag.
struct Page {
    version: i64,
    etag: Option<String>,
}

struct Board {
    client: Client,
    url: String,
    cookie: String,
    page: Page,
    started: Instant,
    record: BoardRecord,
}

impl Board {
    /// `GET /` as the browser sends it; the page now held.
    async fn fetch(&mut self) -> Result<()> {
        self.record.fetched.push(self.started.elapsed());
        let mut request = self.client.get(&self.url).header(COOKIE, &self.cookie);
        if let Some(etag) = &self.page.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        let response = request.send().await?;
        if response.status() == StatusCode::NOT_MODIFIED {
            self.record.not_modified += 1;
            return Ok(());
        }
        if response.status() != StatusCode::OK {
            bail!("the board answered {}", response.status());
        }
        let etag = response
            .headers()
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let html = response.text().await?;
        let version = version_on_page(&html).context("no data-version on the board")?;
        self.page = Page { version, etag };
        Ok(())
    }

    fn note_shown(&mut self, shown: i64) {
        if shown > self.record.last_version() {
            self.record.shown.push((self.started.elapsed(), shown));
        }
    }

    /// board.js's `refresh` loop, until the stream ends.
    async fn run(mut self, mut heard: mpsc::UnboundedReceiver<Heard>) -> BoardRecord {
        let mut shown = self.page.version;
        self.note_shown(shown);
        let mut wanted = shown;
        let mut unsure = false;
        let absorb = |h: Heard, wanted: &mut i64, unsure: &mut bool| match h {
            Heard::Change(0) | Heard::Resync => *unsure = true,
            Heard::Change(v) => *wanted = (*wanted).max(v),
        };
        loop {
            while !(wanted > shown || unsure) {
                match heard.recv().await {
                    Some(h) => absorb(h, &mut wanted, &mut unsure),
                    None => return self.record,
                }
            }
            let was_unsure = std::mem::take(&mut unsure);
            let before = shown;
            let failed = match self.fetch().await {
                Ok(()) => {
                    if self.page.version >= shown {
                        shown = self.page.version;
                        self.note_shown(shown);
                    }
                    false
                }
                Err(_) => {
                    self.record.failed += 1;
                    unsure = unsure || was_unsure;
                    true
                }
            };
            while let Ok(h) = heard.try_recv() {
                absorb(h, &mut wanted, &mut unsure);
            }
            let progress = !failed && (shown > before || unsure);
            if (wanted > shown || unsure) && !progress {
                // setTimeout(refresh, RETRY_MS); an event meanwhile refreshes at once.
                tokio::select! {
                    () = tokio::time::sleep(RETRY) => {}
                    h = heard.recv() => match h {
                        Some(h) => absorb(h, &mut wanted, &mut unsure),
                        None => return self.record,
                    },
                }
            }
        }
    }
}

/// Reads the board's event stream into `heard` until it ends.
async fn listen(response: reqwest::Response, heard: mpsc::UnboundedSender<Heard>) {
    let mut response = response;
    let mut parser = EventParser::default();
    while let Ok(Some(chunk)) = response.chunk().await {
        for event in parser.feed(&chunk) {
            let h = match event.name.as_str() {
                "pledge" | "requirement" => Heard::Change(event.data_version().unwrap_or(0)),
                "resync" => Heard::Resync,
                "ended" => return,
                _ => continue,
            };
            if heard.send(h).is_err() {
                return;
            }
        }
    }
}

/// Opens a board as a browser does (the page, then its event stream) and runs it; the
/// returned task ends with the board's record once `stop` is dropped or the stream ends.
pub async fn open(
    client: Client,
    base: &str,
    cookie: String,
    started: Instant,
    stop: tokio::sync::watch::Receiver<()>,
) -> Result<tokio::task::JoinHandle<BoardRecord>> {
    let mut board = Board {
        client: client.clone(),
        url: format!("{base}/"),
        cookie: cookie.clone(),
        page: Page {
            version: 0,
            etag: None,
        },
        started,
        record: BoardRecord::default(),
    };
    board.fetch().await.context("loading the board page")?;
    board.record = BoardRecord::default();
    let stream = sse::open(&client, base, &Auth::Cookie(cookie)).await?;
    let (tx, rx) = mpsc::unbounded_channel();
    let listener = tokio::spawn(listen(stream, tx));
    Ok(tokio::spawn(async move {
        let mut stop = stop;
        let run = board.run(rx);
        tokio::pin!(run);
        // The record is wanted even when stopped mid-fetch: stopping ends the stream, and the
        // loop returns once its events are read.
        tokio::select! {
            record = &mut run => { listener.abort(); record }
            _ = stop.changed() => { listener.abort(); run.await }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_read_from_the_board_section() {
        let html =
            r#"<html data-version="1"><section id="board" aria-live="polite" data-version="42">"#;
        assert_eq!(version_on_page(html), Some(42));
        assert_eq!(version_on_page("<p>no board</p>"), None);
    }

    #[test]
    fn the_first_showing_of_a_version_counts_later_versions_too() {
        let record = BoardRecord {
            shown: vec![(Duration::from_millis(1), 5), (Duration::from_millis(9), 8)],
            ..BoardRecord::default()
        };
        assert_eq!(record.first_showing(5), Some(Duration::from_millis(1)));
        assert_eq!(record.first_showing(7), Some(Duration::from_millis(9)));
        assert_eq!(record.first_showing(9), None);
    }
}
