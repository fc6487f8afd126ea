//! The wire form of the HTTP requests procedures make (`procedure_http_request`): the request
//! head a module sends and the response head it gets back, in BSATN exactly as SpacetimeDB 2.x
//! encodes them (`spacetimedb_lib::http`). Bodies travel separately, as plain bytes.

use crate::TimeDuration;

/// An HTTP method (the same type as a V10 route's method).
pub use crate::raw_def::v10::HttpMethod as Method;

/// A request head: method, headers, an optional total timeout, URI and HTTP version, in wire order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The headers, in order, repeated names kept.
    pub headers: Headers,
    /// How long the whole exchange may take; `None` leaves it to the host.
    pub timeout: Option<TimeDuration>,
    /// The full URI.
    pub uri: String,
    /// The HTTP version.
    pub version: Version,
}
crate::__bsatn_product!(Request { method, headers, timeout, uri, version });

/// A response head: headers, HTTP version and status code, in wire order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The headers, in order.
    pub headers: Headers,
    /// The HTTP version.
    pub version: Version,
    /// The status code, e.g. 200.
    pub code: u16,
}
crate::__bsatn_product!(Response { headers, version, code });

/// An HTTP version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Tag 0: HTTP/0.9.
    Http09,
    /// Tag 1: HTTP/1.0.
    Http10,
    /// Tag 2: HTTP/1.1.
    Http11,
    /// Tag 3: HTTP/2.
    Http2,
    /// Tag 4: HTTP/3.
    Http3,
}
crate::__bsatn_sum!(Version { 0 => Http09, 1 => Http10, 2 => Http11, 3 => Http2, 4 => Http3 });

/// Header lines, in order; a name may repeat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    /// The lines.
    pub entries: Vec<HeaderPair>,
}
crate::__bsatn_product!(Headers { entries });

/// One header line: its name and its value's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderPair {
    /// The name.
    pub name: String,
    /// The value (not necessarily UTF-8).
    pub value: Vec<u8>,
}
crate::__bsatn_product!(HeaderPair { name, value });
