//! Where browsers reach the service: `--public-url https://…` names the scheme, host and
//! port. It decides whether the session cookie is `Secure` and what `Origin` a form must
//! carry. Without it the service is taken to be reached as `http://` + the `Host` header.

use std::fmt;
use std::str::FromStr;

/// The scheme, host and port browsers use to reach the service (an RFC 6454 origin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicOrigin {
    https: bool,
    /// `host` or `host:port`, lower case, without the scheme's default port.
    authority: String,
}

impl PublicOrigin {
    /// Reads `http://host[:port]` or `https://host[:port]` (a trailing `/` is allowed).
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let example = "write it as https://pledges.example.org or http://10.0.0.5:8080";
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| format!("'{url}' is not a URL: {example}"))?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            other => return Err(format!("'{other}' is not http or https: {example}")),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty()
            || authority
                .chars()
                .any(|c| matches!(c, '/' | '?' | '#' | '@') || c.is_whitespace() || c.is_control())
        {
            return Err(format!(
                "'{url}' must name only the scheme, host and port (no path, query or user): {example}"
            ));
        }
        let authority = normalise_authority(authority, https).ok_or_else(|| {
            format!("'{url}' needs a host, and a port (if any) that is a number up to 65535")
        })?;
        Ok(Self { https, authority })
    }

    /// Whether browsers reach the service over TLS (the session cookie is then `Secure`).
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// Whether an `Origin` header value names this origin.
    pub fn matches(&self, origin: &str) -> bool {
        Self::parse(origin).is_ok_and(|o| o == *self)
    }

    /// The origin browsers send for a plain-HTTP request to `host` (the `Host` header).
    pub fn plain_http(host: &str) -> Option<Self> {
        let authority = normalise_authority(host.trim(), false)?;
        (!authority.is_empty()).then_some(Self {
            https: false,
            authority,
        })
    }
}

impl fmt::Display for PublicOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.https { "https" } else { "http" };
        write!(f, "{scheme}://{}", self.authority)
    }
}

impl FromStr for PublicOrigin {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Lower case, with `:443` (https) or `:80` (http) dropped; `None` without a host or with a
/// bad port.
fn normalise_authority(authority: &str, https: bool) -> Option<String> {
    let lower = authority.to_ascii_lowercase();
    let (host, port) = match lower.strip_prefix('[') {
        Some(rest) => {
            let (inside, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':')?),
            };
            (format!("[{inside}]"), port)
        }
        None => match lower.split_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (lower.clone(), None),
        },
    };
    if host.is_empty() || host == "[]" {
        return None;
    }
    let Some(port) = port else {
        return Some(host);
    };
    let port: u16 = port.parse().ok()?;
    let default = if https { 443 } else { 80 };
    Some(if port == default {
        host
    } else {
        format!("{host}:{port}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(url: &str) -> PublicOrigin {
        PublicOrigin::parse(url).unwrap()
    }

    #[test]
    fn https_urls_make_the_cookie_secure() {
        assert!(origin("https://pledges.example.org").is_https());
        assert!(!origin("http://127.0.0.1:8080").is_https());
    }

    #[test]
    fn the_scheme_host_and_port_must_all_match() {
        let public = origin("https://pledges.example.org");
        assert!(public.matches("https://pledges.example.org"));
        assert!(public.matches("HTTPS://Pledges.Example.org:443"));
        assert!(!public.matches("http://pledges.example.org"));
        assert!(!public.matches("https://pledges.example.org:8443"));
        assert!(!public.matches("https://evil.example.org"));
        assert!(!public.matches("null"));
    }

    #[test]
    fn default_ports_are_the_same_origin() {
        assert_eq!(origin("http://host:80/"), origin("http://host"));
        assert_ne!(origin("https://host:80"), origin("https://host"));
        assert_eq!(origin("https://[::1]:443"), origin("https://[::1]"));
        assert_eq!(origin("http://[::1]:8080").to_string(), "http://[::1]:8080");
    }

    #[test]
    fn a_path_a_user_or_another_scheme_is_refused_in_words() {
        for bad in [
            "pledges.example.org",
            "ftp://host",
            "https://host/pledgeboard",
            "https://user@host",
            "https://",
            "https://host:99999",
            "https://host:abc",
        ] {
            let e = PublicOrigin::parse(bad).unwrap_err();
            assert!(
                e.contains("https://pledges.example.org") || e.contains("port"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn a_plain_host_header_is_an_http_origin() {
        let host = PublicOrigin::plain_http("LocalHost:8080").unwrap();
        assert!(host.matches("http://localhost:8080"));
        assert!(!host.matches("https://localhost:8080"));
        assert!(PublicOrigin::plain_http("").is_none());
    }
}
