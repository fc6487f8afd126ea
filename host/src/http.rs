//! HTTP for procedures, simulated: this host never touches the network. A procedure's request
//! (`procedure_http_request`) is answered by the first [`HttpResponders`] rule whose method and
//! URL pattern match it; a request no rule matches fails as a request to a host name that does
//! not resolve fails on the server (errno `HTTP_ERROR`, the server's text "error sending request
//! for url (URL): client error (Connect): dns error: ..."; the exchange's record adds a note that
//! no rule matched). Requests to IP literals in private or special-purpose ranges are refused as
//! the 2.x server refuses them, before any rule is consulted. Every request and its answer is
//! recorded ([`HttpExchange`]) in the procedure's outcome.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Deserialize;
use worldtube_lib::http as wire;

/// The server's text for a request to a private or special-purpose IP literal.
pub const BLOCKED_ADDRESS: &str = "refusing to connect to private or special-purpose addresses";

/// The server's reason for a request to a host name that does not resolve, after "error sending
/// request for url (URL): ": what a request no rule answers fails with.
pub const UNRESOLVED: &str =
    "client error (Connect): dns error: failed to lookup address information: Name or service not known";

/// What a responder answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpAnswer {
    /// A response (any status: a 404 is a response too).
    Respond(HttpReply),
    /// No response: the request fails with this text (a timeout, a refused connection, ...).
    Fail(String),
}

/// A response a responder gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpReply {
    /// A `200 OK` response with `body` and no headers.
    pub fn ok(body: impl Into<Vec<u8>>) -> HttpReply {
        HttpReply::status(200, body)
    }

    /// A response with status `status`, `body` and no headers.
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> HttpReply {
        HttpReply { status, headers: Vec::new(), body: body.into() }
    }

    /// The same response with one more header.
    pub fn header(mut self, name: &str, value: &str) -> HttpReply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// One rule: a method (any, if `None`), a URL pattern and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRule {
    /// The method it answers (`GET`, `POST`, ...; compared without regard to case), or any.
    pub method: Option<String>,
    /// The URL it answers: exactly this URL, or, ending in `*`, every URL that starts with what
    /// comes before the `*`. The query string is part of the URL.
    pub url: String,
    /// What it answers.
    pub answer: HttpAnswer,
}

impl HttpRule {
    fn matches(&self, method: &str, uri: &str) -> bool {
        let method_ok = self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method));
        let url_ok = match self.url.strip_suffix('*') {
            Some(prefix) => uri.starts_with(prefix),
            None => uri == self.url,
        };
        method_ok && url_ok
    }
}

/// The responders of a database: rules tried in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpResponders {
    rules: Vec<HttpRule>,
}

/// One request a procedure made, and how it was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpExchange {
    /// The method.
    pub method: String,
    /// The URL.
    pub uri: String,
    /// The request body.
    pub body: Vec<u8>,
    /// The response's status, or the error text the procedure received (for a request no rule
    /// answered, followed by a bracketed note saying so).
    pub answer: Result<u16, String>,
}

/// The form of a responders file (`worldtube run --http FILE`): a JSON array of rules.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    method: Option<String>,
    url: String,
    #[serde(default = "default_status")]
    status: u16,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    body: String,
    /// Instead of a response: fail with this text.
    error: Option<String>,
}

fn default_status() -> u16 {
    200
}

impl HttpResponders {
    /// No rules: every request fails as to an unreachable host.
    pub fn new() -> HttpResponders {
        HttpResponders::default()
    }

    /// Adds a rule (tried after those added before it).
    pub fn add(&mut self, rule: HttpRule) -> &mut Self {
        self.rules.push(rule);
        self
    }

    /// Answers requests with `method` (any if `None`) to URLs matching `url` (see
    /// [`HttpRule::url`]) with `reply`.
    pub fn respond(&mut self, method: Option<&str>, url: &str, reply: HttpReply) -> &mut Self {
        self.add(HttpRule {
            method: method.map(str::to_owned),
            url: url.to_owned(),
            answer: HttpAnswer::Respond(reply),
        })
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[HttpRule] {
        &self.rules
    }

    /// Rules from JSON: an array of objects with `url` (required), `method`, `status` (default
    /// 200), `headers` (an array of `[name, value]` pairs), `body` (text) and `error` (instead
    /// of a response, fail with this text).
    ///
    /// ```
    /// use worldtube_host::http::HttpResponders;
    /// let rules = HttpResponders::from_json(r#"[
    ///     {"method": "GET", "url": "https://api.example.com/weather*", "body": "{\"temp\": 21}"},
    ///     {"url": "https://down.example.com/*", "error": "operation timed out"}
    /// ]"#).unwrap();
    /// assert_eq!(rules.rules().len(), 2);
    /// ```
    pub fn from_json(text: &str) -> Result<HttpResponders, String> {
        let rules: Vec<RuleFile> = serde_json::from_str(text).map_err(|e| format!("HTTP responders: {e}"))?;
        let rules = rules
            .into_iter()
            .map(|r| HttpRule {
                method: r.method,
                url: r.url,
                answer: match r.error {
                    Some(error) => HttpAnswer::Fail(error),
                    None => HttpAnswer::Respond(HttpReply {
                        status: r.status,
                        headers: r.headers,
                        body: r.body.into_bytes(),
                    }),
                },
            })
            .collect();
        Ok(HttpResponders { rules })
    }

    /// Answers a request as the server's HTTP client would: the response head and body, or the
    /// error text; and the record of the exchange.
    #[allow(clippy::type_complexity)]
    pub fn answer(
        &self,
        request: &wire::Request,
        body: &[u8],
    ) -> (HttpExchange, Result<(wire::Response, Vec<u8>), String>) {
        let method = request.method.as_str().to_owned();
        let (result, unanswered) = self.answer_uri(&method, &request.uri);
        let mut answer = result.as_ref().map(|(head, _)| head.code).map_err(Clone::clone);
        if unanswered {
            // The module sees only the server's text; the record (printed by the CLI, kept in
            // the outcome) says why.
            answer = answer.map_err(|text| {
                format!(
                    "{text} [no HTTP responder matches {method} {}: this host simulates HTTP; add one with \
                     TestDb::http_responders or `worldtube run --http FILE`]",
                    request.uri
                )
            });
        }
        let exchange = HttpExchange { method, uri: request.uri.clone(), body: body.to_vec(), answer };
        (exchange, result)
    }

    /// The answer, and whether no rule answered.
    #[allow(clippy::type_complexity)]
    fn answer_uri(&self, method: &str, uri: &str) -> (Result<(wire::Response, Vec<u8>), String>, bool) {
        let Some((scheme, rest)) = uri.split_once("://") else {
            return (Err("builder error: relative URL without a base".to_owned()), false);
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return (Err(format!("builder error for url ({uri}): URL scheme is not allowed")), false);
        }
        if host_of(rest).and_then(ip_literal).is_some_and(is_blocked) {
            return (Err(BLOCKED_ADDRESS.to_owned()), false);
        }
        let shown = uri.split('?').next().unwrap_or(uri);
        // A name that resolves to loopback is refused by the server's resolver (seen on 2.8.3
        // for `http://localhost:3000/...`).
        if host_of(rest).is_some_and(|h| h.eq_ignore_ascii_case("localhost")) {
            return (
                Err(format!(
                    "error sending request for url ({shown}): client error (Connect): dns error: {BLOCKED_ADDRESS}"
                )),
                false,
            );
        }
        let rule = self.rules.iter().find(|r| r.matches(method, uri));
        let answer = match rule.map(|r| &r.answer) {
            Some(HttpAnswer::Respond(reply)) => Ok((
                wire::Response {
                    headers: wire::Headers {
                        entries: reply
                            .headers
                            .iter()
                            .map(|(name, value)| wire::HeaderPair {
                                name: name.clone(),
                                value: value.clone().into_bytes(),
                            })
                            .collect(),
                    },
                    version: wire::Version::Http11,
                    code: reply.status,
                },
                reply.body.clone(),
            )),
            // The server strips the query from the URL in its error texts.
            Some(HttpAnswer::Fail(error)) => Err(format!("error sending request for url ({shown}): {error}")),
            // What the 2.8.3 server answers for a host name that does not resolve (seen there
            // for `http://foo.invalid/`).
            None => Err(format!("error sending request for url ({shown}): {UNRESOLVED}")),
        };
        (answer, rule.is_none())
    }
}

/// The host part of what follows `scheme://`: without user info, port and path.
fn host_of(rest: &str) -> Option<&str> {
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    if let Some(v6) = host.strip_prefix('[') {
        return v6.split(']').next();
    }
    Some(host.split(':').next().unwrap_or(host))
}

fn ip_literal(host: &str) -> Option<IpAddr> {
    host.parse().ok()
}

/// Loopback, private, link-local, unspecified, broadcast, documentation and shared (CGNAT)
/// addresses, which the 2.x server refuses to connect to.
fn is_blocked(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => blocked_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => blocked_v4(v4),
            None => blocked_v6(v6),
        },
    }
}

fn blocked_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || (a == 100 && (64..128).contains(&b))
}

fn blocked_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback() || ip.is_unspecified() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(uri: &str) -> wire::Request {
        wire::Request {
            method: wire::Method::Get,
            headers: wire::Headers::default(),
            timeout: None,
            uri: uri.to_owned(),
            version: wire::Version::Http11,
        }
    }

    #[test]
    fn the_first_matching_rule_answers() {
        let mut r = HttpResponders::new();
        r.respond(Some("POST"), "https://a.example/x", HttpReply::status(201, "posted"));
        r.respond(None, "https://a.example/*", HttpReply::ok("any").header("x", "1"));
        let (exchange, head) = r.answer(&get("https://a.example/x?q=1"), b"");
        let (head, body) = head.unwrap();
        assert_eq!((head.code, &body[..], head.headers.entries.len()), (200, &b"any"[..], 1));
        assert_eq!(exchange.answer, Ok(200));
        let post = wire::Request { method: wire::Method::Post, ..get("https://a.example/x") };
        assert_eq!(r.answer(&post, b"hi").1.unwrap().0.code, 201);
    }

    #[test]
    fn unanswered_blocked_and_malformed_requests_fail_with_the_servers_texts() {
        let r = HttpResponders::new();
        let (_, result) = r.answer(&get("https://nowhere.example/p?secret=1"), b"");
        let error = result.unwrap_err();
        assert_eq!(error, format!("error sending request for url (https://nowhere.example/p): {UNRESOLVED}"));
        for blocked in ["http://127.0.0.1:3000/", "http://10.1.2.3/", "http://[::1]/", "http://192.168.0.1"] {
            assert_eq!(r.answer(&get(blocked), b"").1.unwrap_err(), BLOCKED_ADDRESS, "{blocked}");
        }
        assert_eq!(
            r.answer(&get("http://localhost:3000/v1/x?version=9"), b"").1.unwrap_err(),
            format!("error sending request for url (http://localhost:3000/v1/x): client error (Connect): dns error: {BLOCKED_ADDRESS}")
        );
        assert_eq!(r.answer(&get("/relative"), b"").1.unwrap_err(), "builder error: relative URL without a base");
        assert!(r.answer(&get("http://8.8.8.8/"), b"").1.is_err_and(|e| e.starts_with("error sending")));
    }
}
