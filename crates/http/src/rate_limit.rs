//! Failed log-ins and bearer-token failures, limited per client address with `governor`.
//!
//! Only failures count: a live token is never refused, whoever else fails from wherever. The
//! state lives in this process, so behind a load balancer each instance counts on its own.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// Failed attempts an address may make in a minute by default: a planner who mistypes a
/// token a few times is never held up; a script trying tokens is slowed to one a minute.
pub const DEFAULT_FAILED_ATTEMPTS_PER_MINUTE: u32 = 20;
/// Addresses tracked before the fully recovered ones are forgotten: about 100 bytes each,
/// so a flood from many addresses costs at most a few megabytes.
const MAX_TRACKED_ADDRESSES: usize = 100_000;
/// How much of an IPv6 address names one client: a /64 is one subscriber's network, and its
/// holder can pick any of its 2^64 addresses.
const IPV6_CLIENT_PREFIX: u32 = 64;

/// Counts failed authentication attempts per client address.
#[derive(Clone)]
pub struct FailedAuthLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
}

impl std::fmt::Debug for FailedAuthLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FailedAuthLimiter")
            .field("tracked", &self.limiter.len())
            .finish()
    }
}

impl FailedAuthLimiter {
    /// A limiter allowing `per_minute` failures at once from an address, then one a minute.
    pub fn new(per_minute: NonZeroU32) -> Self {
        let quota = Quota::with_period(Duration::from_secs(60))
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(per_minute);
        Self {
            limiter: Arc::new(DefaultKeyedRateLimiter::keyed(quota)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one failed attempt from `client`; over the limit, how long it must wait.
    pub fn record_failure(&self, client: Option<IpAddr>) -> Result<(), Duration> {
        if self.limiter.len() > MAX_TRACKED_ADDRESSES {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        let key = client.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), client_key);
        self.limiter
            .check_key(&key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

/// The address a request came from, when it came over a socket.
pub fn client_address(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip())
}

/// Whole seconds to announce in `Retry-After` (rounded up, at least one).
pub fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

/// The key one client is counted under: IPv4 as it is, IPv6 by its /64 network.
fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mask = u128::MAX << (128 - IPV6_CLIENT_PREFIX);
                IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(n: u32) -> FailedAuthLimiter {
        FailedAuthLimiter::new(NonZeroU32::new(n).unwrap())
    }

    #[test]
    fn the_twenty_first_failure_within_a_minute_is_refused() {
        let limiter = limiter(20);
        let client = Some("192.0.2.7".parse().unwrap());
        for attempt in 1..=20 {
            assert!(limiter.record_failure(client).is_ok(), "attempt {attempt}");
        }
        let wait = limiter.record_failure(client).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60));
    }

    #[test]
    fn other_addresses_are_counted_apart() {
        let limiter = limiter(2);
        let noisy = Some("192.0.2.7".parse().unwrap());
        for _ in 0..5 {
            let _ = limiter.record_failure(noisy);
        }
        assert!(
            limiter
                .record_failure(Some("192.0.2.8".parse().unwrap()))
                .is_ok()
        );
    }

    #[test]
    fn one_ipv6_network_is_one_client() {
        let limiter = limiter(2);
        for host in ["2001:db8::1", "2001:db8::2"] {
            assert!(limiter.record_failure(Some(host.parse().unwrap())).is_ok());
        }
        assert!(
            limiter
                .record_failure(Some("2001:db8::ffff:1".parse().unwrap()))
                .is_err()
        );
        assert!(
            limiter
                .record_failure(Some("2001:db8:0:1::1".parse().unwrap()))
                .is_ok()
        );
    }

    #[test]
    fn an_ipv4_mapped_address_counts_as_its_ipv4_address() {
        assert_eq!(
            client_key("::ffff:192.0.2.7".parse().unwrap()),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(2500)), 3);
        assert_eq!(retry_after_secs(Duration::from_secs(60)), 60);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
    }
}
