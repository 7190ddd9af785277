//! What the run measured: per write, the time from its answer until every board showed its
//! version or a later one; boards still behind at the end; fetches a second; the server's CPU.

use std::time::Duration;

use anyhow::{Context, Result};

use crate::board::BoardRecord;
use crate::writes::{Versions, Written};

/// Percentile `p` (0–100) of sorted `values`, nearest rank.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Each write's time to reach every board; `None` for a write some board never showed.
pub fn visibility(
    written: &[Written],
    versions: &Versions,
    boards: &[BoardRecord],
) -> Vec<Option<Duration>> {
    written
        .iter()
        .map(|w| {
            let version = versions.of(w.pledge_id)?;
            let mut last = Duration::ZERO;
            for board in boards {
                last = last.max(board.first_showing(version)?);
            }
            // A board may show it before the writer has read its answer: that is no wait.
            Some(last.saturating_sub(w.answered))
        })
        .collect()
}

/// CPU seconds (user + system) a process has used so far, from `/proc/PID/stat`.
pub fn cpu_seconds(pid: u32, ticks_per_second: f64) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("reading /proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) start at field 3; utime is 14.
    let after = stat.rsplit_once(')').context("a /proc stat without ')'")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| -> Result<f64> {
        Ok(fields
            .get(i)
            .context("a short /proc stat")?
            .parse::<f64>()?)
    };
    Ok((ticks(11)? + ticks(12)?) / ticks_per_second)
}

/// Milliseconds, for printing.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&v, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&v, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&v, 100.0), Duration::from_millis(100));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn this_process_has_used_some_cpu() {
        assert!(cpu_seconds(std::process::id(), 100.0).unwrap() >= 0.0);
    }
}
