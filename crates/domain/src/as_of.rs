//! `as_of`: the moment a report shows the board as it stood. Only a moment already past can
//! be shown so: the history says nothing of the future, and a board dated 2031 with today's
//! figures would be read as a forecast. A date means the end of that day (UTC), so "as of
//! today" reaches past now, and a planner east of UTC may already be on tomorrow's date: the
//! latest moment accepted is the end of the latest date that is already today somewhere on
//! earth ([`latest_today`], as for a milestone's date).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::error::DomainError;
use crate::message;
use crate::milestone_rules::latest_today;

/// The last instant of `day` (UTC): what a date given as `as_of` means.
fn end_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap_or(NaiveTime::MIN))
        .and_utc()
}

/// The latest `as_of` accepted at `now`: the end (UTC) of the latest date that is already
/// today somewhere on earth.
pub fn latest_as_of(now: DateTime<Utc>) -> DateTime<Utc> {
    end_of(latest_today(now))
}

/// `at`, read from the text `given`, if it is no later than [`latest_as_of`] at `now`.
pub fn past_as_of(
    at: DateTime<Utc>,
    given: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, DomainError> {
    if at > latest_as_of(now) {
        return Err(DomainError::invalid(message!(
            "err-as-of-future",
            "as_of '{text}' is in the future: a report shows the board as it stood at a moment already past (leave as_of out for the board as it stands now)",
            text = given.trim()
        )));
    }
    Ok(at)
}

/// Reads `as_of` at `now`: an RFC 3339 timestamp, or a date meaning the end of that day (UTC),
/// no later than [`latest_as_of`].
pub fn parse_as_of(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, DomainError> {
    let t = text.trim();
    let at = DateTime::parse_from_rfc3339(t)
        .map(|at| at.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .filter(|_| t.len() == 10)
                .map(end_of)
        })
        .ok_or_else(|| {
            DomainError::invalid(message!(
                "err-as-of-format",
                "as_of '{text}' is not a timestamp like 2025-04-15T09:30:00Z or a date like 2025-04-15",
                text = t
            ))
        })?;
    past_as_of(at, t, now)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 21, 30, 0).unwrap()
    }

    #[test]
    fn timestamps_and_dates_are_read_dates_as_the_end_of_the_day() {
        assert_eq!(
            parse_as_of("2025-04-15T09:30:00+02:00", now()).map(|t| t.to_rfc3339()),
            Ok("2025-04-15T07:30:00+00:00".to_owned())
        );
        assert_eq!(
            parse_as_of(" 2025-04-15 ", now()).map(|t| t.format("%F %H:%M:%S").to_string()),
            Ok("2025-04-15 23:59:59".to_owned())
        );
        for bad in ["15/04/2025", "2025-4-15", "soon", ""] {
            let e = parse_as_of(bad, now()).unwrap_err();
            assert_eq!(e.message().key(), Some("err-as-of-format"), "{bad}");
        }
    }

    #[test]
    fn today_and_tomorrow_are_accepted_and_later_days_refused() {
        assert!(
            parse_as_of("2026-12-07", now()).is_ok(),
            "today, ending after now"
        );
        assert!(
            parse_as_of("2026-12-08", now()).is_ok(),
            "tomorrow: at 21:30 UTC already today east of UTC"
        );
        assert!(parse_as_of("2026-12-08T23:59:59Z", now()).is_ok());
        let early = Utc.with_ymd_and_hms(2026, 12, 7, 8, 0, 0).unwrap();
        let e = parse_as_of("2026-12-08", early).unwrap_err();
        assert_eq!(
            e.message().key(),
            Some("err-as-of-future"),
            "at 08:00 UTC no one is on the 8th yet"
        );
        for future in ["2026-12-09", "2026-12-09T00:00:00Z", "2031-01-01"] {
            let e = parse_as_of(future, now()).unwrap_err();
            assert_eq!(e.message().key(), Some("err-as-of-future"), "{future}");
            assert!(e.to_string().contains(future), "{e}");
        }
    }

    proptest! {
        /// Whatever the moment, an `as_of` is refused exactly when it lies beyond
        /// [`latest_as_of`], never when it is now or earlier; and that bound is the end of
        /// today or of tomorrow (UTC), 14 to 38 hours ahead.
        #[test]
        fn refused_exactly_beyond_the_end_of_the_latest_today(
            now_s in 0i64..4_000_000_000,
            offset_s in -400_000_000i64..400_000_000,
        ) {
            let now = Utc.timestamp_opt(now_s, 0).unwrap();
            let at = Utc.timestamp_opt(now_s + offset_s, 0).unwrap();
            let text = at.to_rfc3339();
            let read = parse_as_of(&text, now);
            prop_assert_eq!(read.is_err(), at > latest_as_of(now));
            if offset_s <= 0 {
                prop_assert_eq!(read, Ok(at));
            }
            let ahead = latest_as_of(now) - now;
            prop_assert!(ahead >= chrono::TimeDelta::hours(14), "{ahead}");
            prop_assert!(ahead < chrono::TimeDelta::hours(38), "{ahead}");
        }
    }
}
