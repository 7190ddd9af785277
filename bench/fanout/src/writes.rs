//! The pledges recorded during the run: W a second through `POST /api/v1/pledges`, each on
//! its own task (a slow answer does not delay the next write), and the data version each
//! committed as, read from the change events on a stream of the writer's own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::Client;

use crate::sse::{self, Auth, EventParser};

/// One write's answer: when it came (since the start) and the pledge it created.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub answered: Duration,
    pub pledge_id: i64,
}

/// Data versions of the pledges created, by pledge id, as the events told them.
#[derive(Clone, Default)]
pub struct Versions(Arc<Mutex<HashMap<i64, i64>>>);

impl Versions {
    /// The data version the pledge `id` committed as, if its event has come.
    pub fn of(&self, id: i64) -> Option<i64> {
        self.lock().get(&id).copied()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, i64>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Follows the event stream, noting each created pledge's data version, until aborted.
pub async fn follow_versions(client: Client, base: String, token: String, versions: Versions) {
    let Ok(mut response) = sse::open(&client, &base, &Auth::Bearer(token)).await else {
        return;
    };
    let mut parser = EventParser::default();
    while let Ok(Some(chunk)) = response.chunk().await {
        for event in parser.feed(&chunk) {
            if event.name != "pledge" {
                continue;
            }
            if let (Some(id), Some(version)) = (event.entity_id(), event.data_version()) {
                versions.lock().insert(id, version);
            }
        }
    }
}

async fn write_one(client: &Client, base: &str, token: &str, reference: &str) -> Result<i64> {
    let body = serde_json::json!({
        "pledge_ref": reference, "member_state": "GHA", "capability": "INF-COY",
        "quantity": 1, "personnel": 150, "female_personnel": 10, "mission": "UNMISS",
    });
    let response = client
        .post(format!("{base}/api/v1/pledges"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await?;
    if response.status().as_u16() != 201 {
        bail!("a write answered {}", response.status());
    }
    let pledge: serde_json::Value = response.json().await?;
    pledge
        .get("id")
        .and_then(serde_json::Value::as_i64)
        .context("a written pledge without an id")
}

/// Records `per_second` pledges a second for `seconds`; every answer, in the order sent.
pub async fn record(
    client: &Client,
    base: &str,
    token: &str,
    per_second: u32,
    seconds: u32,
    started: Instant,
) -> Result<Vec<Written>> {
    let mut ticks = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(per_second)));
    let run = std::process::id();
    let mut tasks = Vec::new();
    for i in 0..per_second * seconds {
        ticks.tick().await;
        let (client, base, token) = (client.clone(), base.to_owned(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let pledge_id = write_one(&client, &base, &token, &format!("FAN{run}-{i}")).await?;
            Ok::<_, anyhow::Error>(Written {
                answered: started.elapsed(),
                pledge_id,
            })
        }));
    }
    let mut written = Vec::with_capacity(tasks.len());
    for task in tasks {
        written.push(task.await??);
    }
    Ok(written)
}
