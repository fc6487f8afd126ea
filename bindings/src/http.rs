//! HTTP requests from procedures (2.x, feature `v2`): `ctx.http.get(uri)` for a plain `GET`,
//! `ctx.http.send(request)` for anything else. Requests and responses are the `http` crate's
//! types with a [`Body`] of bytes; a [`Timeout`] extension bounds a request's total time.
//!
//! Only a procedure, with no transaction open, may make a request; any answer from the server,
//! whatever its status code, is an `Ok` response, and [`Error`] means no answer came.

use crate::TimeDuration;
use bytes::Bytes;
use worldtube_lib::http as wire;

/// An HTTP request with a [`Body`] (the `http` crate's `Request`).
pub type Request<T = Body> = http::Request<T>;

/// An HTTP response with a [`Body`] (the `http` crate's `Response`).
pub type Response<T = Body> = http::Response<T>;

/// The HTTP client of a procedure, `ctx.http`.
#[non_exhaustive]
#[derive(Debug)]
pub struct HttpClient {}

impl HttpClient {
    pub(crate) fn new() -> Self {
        HttpClient {}
    }

    /// Sends `request` and waits for the response (the procedure is suspended meanwhile).
    ///
    /// ```no_run
    /// use worldtube::http::{Request, Timeout};
    /// use worldtube::{ProcedureContext, TimeDuration};
    ///
    /// fn post_score(ctx: &mut ProcedureContext, score: u32) -> Result<u16, String> {
    ///     let request = Request::builder()
    ///         .method("POST")
    ///         .uri("https://scores.example.com/submit")
    ///         .header("content-type", "text/plain")
    ///         .extension(Timeout::from(TimeDuration::from_micros(5_000_000)))
    ///         .body(score.to_string())
    ///         .map_err(|e| e.to_string())?;
    ///     let response = ctx.http.send(request).map_err(|e| e.to_string())?;
    ///     Ok(response.status().as_u16())
    /// }
    /// ```
    pub fn send<B: Into<Body>>(&self, request: http::Request<B>) -> Result<Response, Error> {
        // The generic part is the body's conversion only; the rest is compiled once.
        self.send_body(request.map(Into::into))
    }

    /// [`send`](Self::send) with the body converted.
    fn send_body(&self, request: http::Request<Body>) -> Result<Response, Error> {
        let (parts, body) = request.into_parts();
        let head = worldtube_lib::bsatn::to_vec(&request_head(parts));
        let body = body.into_bytes();
        match crate::sys::procedure_http_request(&head, &body) {
            Ok((head, body)) => {
                let head = head.read_all().map_err(|e| Error::new(format!("reading the response head: {e}")))?;
                let head = worldtube_lib::bsatn::from_slice::<wire::Response>(&head)
                    .map_err(|e| Error::new(format!("the host's response head is invalid: {e}")))?;
                let body = body.read_all().map_err(|e| Error::new(format!("reading the response body: {e}")))?;
                let mut response = http::Response::new(Body::from_bytes(body));
                *response.status_mut() = http::StatusCode::from_u16(head.code).map_err(http::Error::from)?;
                *response.version_mut() = version_from_wire(head.version);
                append_headers(response.headers_mut(), head.headers.entries)?;
                Ok(response)
            }
            Err(source) => {
                let bytes = source.read_all().unwrap_or_default();
                let message = worldtube_lib::bsatn::from_slice::<String>(&bytes)
                    .unwrap_or_else(|e| format!("the HTTP request failed, and its error is unreadable: {e}"));
                Err(Error::new(message))
            }
        }
    }

    /// Sends a `GET` request for `uri` with no body.
    ///
    /// ```no_run
    /// use worldtube::ProcedureContext;
    ///
    /// fn fetch_motd(ctx: &mut ProcedureContext) -> String {
    ///     match ctx.http.get("https://example.com/motd.txt") {
    ///         Ok(response) => response.into_body().into_string_lossy(),
    ///         Err(e) => format!("no message today ({e})"),
    ///     }
    /// }
    /// ```
    pub fn get(&self, uri: impl TryInto<http::Uri, Error: Into<http::Error>>) -> Result<Response, Error> {
        // The generic part is the URI's conversion only; the rest is compiled once.
        self.get_uri(uri.try_into().map_err(Into::into)?)
    }

    fn get_uri(&self, uri: http::Uri) -> Result<Response, Error> {
        // `Request::new` is a `GET` of `/`: what `Request::builder().uri(uri).body(Body::empty())`
        // makes, without the builder's generic machinery.
        let mut request = http::Request::new(Body::empty());
        *request.uri_mut() = uri;
        self.send_body(request)
    }
}

/// The wire head of a request: the method, headers in order, the [`Timeout`] extension if any,
/// the URI and the version.
fn request_head(parts: http::request::Parts) -> wire::Request {
    let http::request::Parts { method, uri, version, headers, mut extensions, .. } = parts;
    let timeout = extensions.remove::<Timeout>();
    if !extensions.is_empty() {
        log::warn!("an HTTP request's extensions other than `Timeout` are ignored");
    }
    let method = match method {
        http::Method::GET => wire::Method::Get,
        http::Method::HEAD => wire::Method::Head,
        http::Method::POST => wire::Method::Post,
        http::Method::PUT => wire::Method::Put,
        http::Method::DELETE => wire::Method::Delete,
        http::Method::CONNECT => wire::Method::Connect,
        http::Method::OPTIONS => wire::Method::Options,
        http::Method::TRACE => wire::Method::Trace,
        http::Method::PATCH => wire::Method::Patch,
        other => wire::Method::Extension(other.to_string()),
    };
    wire::Request {
        method,
        headers: headers_to_wire(&headers),
        timeout: timeout.map(|Timeout(t)| t),
        uri: uri.to_string(),
        version: version_to_wire(version),
    }
}

// The conversions between the `http` crate's types and the wire's, each once: requests and
// responses go both ways (a procedure's requests out and responses in; a handler's requests in
// and responses out), and a copy per direction would cost a module kilobytes.

/// The wire form of an HTTP version.
fn version_to_wire(version: http::Version) -> wire::Version {
    match version {
        http::Version::HTTP_09 => wire::Version::Http09,
        http::Version::HTTP_10 => wire::Version::Http10,
        http::Version::HTTP_11 => wire::Version::Http11,
        http::Version::HTTP_2 => wire::Version::Http2,
        http::Version::HTTP_3 => wire::Version::Http3,
        other => panic!("unknown HTTP version {other:?}"),
    }
}

/// The HTTP version of its wire form.
fn version_from_wire(version: wire::Version) -> http::Version {
    match version {
        wire::Version::Http09 => http::Version::HTTP_09,
        wire::Version::Http10 => http::Version::HTTP_10,
        wire::Version::Http11 => http::Version::HTTP_11,
        wire::Version::Http2 => http::Version::HTTP_2,
        wire::Version::Http3 => http::Version::HTTP_3,
    }
}

/// The wire form of `headers`, in order.
#[inline(never)]
fn headers_to_wire(headers: &http::HeaderMap) -> wire::Headers {
    let entries = headers
        .iter()
        .map(|(name, value)| wire::HeaderPair { name: name.as_str().into(), value: value.as_bytes().to_vec() })
        .collect();
    wire::Headers { entries }
}

/// Appends the wire headers `entries` to `headers`, in order; an invalid name or value, or too
/// many headers, is an error.
#[inline(never)]
fn append_headers(headers: &mut http::HeaderMap, entries: Vec<wire::HeaderPair>) -> Result<(), http::Error> {
    for pair in entries {
        let name = http::HeaderName::try_from(pair.name)?;
        let value = http::HeaderValue::try_from(pair.value)?;
        headers.try_append(name, value)?;
    }
    Ok(())
}

/// The request an HTTP handler receives, from its wire head and body.
#[cfg(feature = "unstable")]
pub(crate) fn request_from_wire(head: wire::Request, body: Bytes) -> Result<Request, http::Error> {
    let method = match head.method {
        wire::Method::Get => http::Method::GET,
        wire::Method::Head => http::Method::HEAD,
        wire::Method::Post => http::Method::POST,
        wire::Method::Put => http::Method::PUT,
        wire::Method::Delete => http::Method::DELETE,
        wire::Method::Connect => http::Method::CONNECT,
        wire::Method::Options => http::Method::OPTIONS,
        wire::Method::Trace => http::Method::TRACE,
        wire::Method::Patch => http::Method::PATCH,
        wire::Method::Extension(name) => http::Method::from_bytes(name.as_bytes())?,
    };
    // What `Request::builder().method(..).uri(..).version(..).header(..)..body(..)` makes, with
    // the same errors, set part by part: the builder's closures cost a module kilobytes.
    let mut request = http::Request::new(Body::from_bytes(body));
    *request.method_mut() = method;
    *request.uri_mut() = http::Uri::try_from(head.uri)?;
    *request.version_mut() = version_from_wire(head.version);
    append_headers(request.headers_mut(), head.headers.entries)?;
    Ok(request)
}

/// An HTTP handler's response as the host takes it: the wire head, and the body's bytes.
#[cfg(feature = "unstable")]
pub(crate) fn response_into_wire(response: Response) -> (wire::Response, Bytes) {
    let (parts, body) = response.into_parts();
    let head = wire::Response {
        headers: headers_to_wire(&parts.headers),
        version: version_to_wire(parts.version),
        code: parts.status.as_u16(),
    };
    (head, body.into_bytes())
}

/// The body of a request or response: bytes.
#[derive(Debug, Clone, Default)]
pub struct Body {
    bytes: Bytes,
}

impl Body {
    /// The bytes.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }
    /// The bytes as UTF-8 text, or the error if they are not.
    pub fn into_string(self) -> Result<String, std::string::FromUtf8Error> {
        String::from_utf8(self.bytes.into())
    }
    /// The bytes as text, with each invalid UTF-8 sequence replaced by `U+FFFD`.
    pub fn into_string_lossy(self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
    /// A body of `bytes`.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Body {
        Body { bytes: bytes.into() }
    }
    /// No bytes (e.g. for a `GET`).
    pub fn empty() -> Body {
        Body::default()
    }
    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

macro_rules! body_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Body {
            fn from(bytes: $t) -> Body {
                Body::from_bytes(bytes)
            }
        }
    )*};
}
body_from!(String, Vec<u8>, Box<[u8]>, &'static [u8], &'static str, Bytes);

impl From<()> for Body {
    fn from((): ()) -> Body {
        Body::empty()
    }
}

/// A request extension bounding the whole exchange (connecting, sending, receiving the body):
/// `Request::builder().extension(Timeout::from(duration))`. The host may cap it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeout(pub TimeDuration);

impl From<TimeDuration> for Timeout {
    fn from(timeout: TimeDuration) -> Timeout {
        Timeout(timeout)
    }
}

impl From<Timeout> for TimeDuration {
    fn from(Timeout(timeout): Timeout) -> TimeDuration {
        timeout
    }
}

/// Why a request got no response: the host's message (connection refused, timed out, bad URI,
/// ...), or a request or response the `http` crate rejected.
#[derive(Debug, Clone)]
pub struct Error {
    message: String,
}

impl Error {
    fn new(message: String) -> Self {
        Error { message }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<http::Error> for Error {
    fn from(e: http::Error) -> Self {
        Error::new(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_keeps_method_headers_timeout_uri_and_version() {
        let request = Request::builder()
            .method("PURGE")
            .uri("http://example.com/x?y=1")
            .header("x-a", "1")
            .header("x-a", "2")
            .header("accept", "*/*")
            .extension(Timeout(TimeDuration::from_micros(7)))
            .body(Body::empty())
            .unwrap();
        let head = request_head(request.into_parts().0);
        assert_eq!(head.method, wire::Method::Extension("PURGE".into()));
        let names: Vec<(&str, &[u8])> =
            head.headers.entries.iter().map(|p| (p.name.as_str(), p.value.as_slice())).collect();
        assert_eq!(names, [("x-a", &b"1"[..]), ("x-a", b"2"), ("accept", b"*/*")]);
        assert_eq!(head.timeout, Some(TimeDuration::from_micros(7)));
        assert_eq!(head.uri, "http://example.com/x?y=1");
        assert_eq!(head.version, wire::Version::Http11);
    }

    #[test]
    fn bodies() {
        assert!(Body::from(()).is_empty());
        assert_eq!(Body::from("hé").into_string().unwrap(), "hé");
        assert_eq!(Body::from(vec![b'a', 0xff]).into_string_lossy(), "a\u{fffd}");
    }
}

/// The context of an HTTP handler: the time of the request, an HTTP client, and transactions
/// of its own ([`with_tx`](Self::with_tx)), as a procedure has. Every
/// [`#[http::handler]`](macro@handler) takes `&mut HandlerContext` first.
#[non_exhaustive]
pub struct HandlerContext {
    /// When the handler was called.
    pub timestamp: crate::Timestamp,
    /// The HTTP client, for requests of the handler's own.
    pub http: HttpClient,
    inner: crate::ProcedureContext,
}

impl std::fmt::Debug for HandlerContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandlerContext").field("timestamp", &self.timestamp).finish_non_exhaustive()
    }
}

impl HandlerContext {
    /// The context of a request handled at `timestamp`.
    #[doc(hidden)]
    pub fn __new(timestamp: crate::Timestamp) -> Self {
        HandlerContext {
            timestamp,
            http: HttpClient::new(),
            inner: crate::ProcedureContext::__new(crate::Identity::ZERO, None, timestamp),
        }
    }

    /// The identity of this database.
    pub fn database_identity(&self) -> crate::Identity {
        self.inner.database_identity()
    }

    /// The identity of this database: the older name of
    /// [`database_identity`](Self::database_identity).
    #[deprecated(note = "use `HandlerContext::database_identity`")]
    pub fn identity(&self) -> crate::Identity {
        self.database_identity()
    }

    /// Runs `body` in a transaction of its own (with the zero identity as its sender), as
    /// [`ProcedureContext::with_tx`](crate::ProcedureContext::with_tx).
    pub fn with_tx<T>(&mut self, body: impl Fn(&crate::TxContext) -> T) -> T {
        self.inner.with_tx(body)
    }

    /// Runs `body` in a transaction committed on `Ok` and rolled back on `Err`, as
    /// [`ProcedureContext::try_with_tx`](crate::ProcedureContext::try_with_tx).
    pub fn try_with_tx<T, E>(&mut self, body: impl Fn(&crate::TxContext) -> Result<T, E>) -> Result<T, E> {
        self.inner.try_with_tx(body)
    }

    /// A new random (version 4) [`Uuid`](crate::Uuid).
    #[cfg(feature = "rand")]
    pub fn new_uuid_v4(&self) -> Result<crate::Uuid, std::convert::Infallible> {
        self.inner.new_uuid_v4()
    }

    /// A new time-ordered (version 7) [`Uuid`](crate::Uuid).
    #[cfg(feature = "rand")]
    pub fn new_uuid_v7(&self) -> Result<crate::Uuid, std::convert::Infallible> {
        self.inner.new_uuid_v7()
    }
}

/// An HTTP handler, by name: what [`#[http::handler]`](macro@handler) makes of a function (a
/// `const` of the function's name), and what a [`Router`] binds to paths.
#[derive(Clone, Copy, Debug)]
pub struct Handler {
    name: &'static str,
}

impl Handler {
    /// The handler registered under `name` (only the macro makes one).
    #[doc(hidden)]
    pub const fn __new(name: &'static str) -> Self {
        Handler { name }
    }

    /// The handler function's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// What a [`Router`] binds to a path: a [`Handler`], i.e. a function marked
/// [`#[http::handler]`](macro@handler). Exists so that passing a plain function says so.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an HTTP handler",
    label = "not a handler",
    note = "mark the function with `#[spacetimedb::http::handler]`; its name then stands for a `Handler` a router can bind"
)]
pub trait IntoHandler {
    /// The handler.
    fn into_handler(self) -> Handler;
}

impl IntoHandler for Handler {
    fn into_handler(self) -> Handler {
        self
    }
}

/// One route: a method (or any) and a path, bound to a handler.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    pub(crate) method: worldtube_lib::raw_def::v10::MethodOrAny,
    pub(crate) path: String,
    pub(crate) handler: Handler,
}

/// The module's HTTP routes: which [`Handler`] answers which method at which path. The
/// [`#[http::router]`](macro@router) function returns it.
///
/// A path is empty (the root) or starts with `/`, and uses only lower-case ASCII letters,
/// digits and `-_~/`; a trailing `/` matters. Binding a second handler to the same method and
/// path (or to any method where one is bound) panics when the module describes itself.
#[derive(Clone, Debug, Default)]
pub struct Router {
    routes: Vec<Route>,
}

impl Router {
    /// A router without routes.
    pub fn new() -> Self {
        Router::default()
    }

    /// `handler` answers `GET` at `path`.
    pub fn get(self, path: impl Into<String>, handler: impl IntoHandler) -> Self {
        self.route(Some(wire::Method::Get), path.into(), handler.into_handler())
    }
    /// `handler` answers `HEAD` at `path`.
    pub fn head(self, path: impl Into<String>, handler: impl IntoHandler) -> Self {
        self.route(Some(wire::Method::Head), path.into(), handler.into_handler())
    }
    /// `handler` answers `OPTIONS` at `path`.
    pub fn options(self, path: impl Into<String>, handler: impl IntoHandler) -> Self {
        self.route(Some(wire::Method::Options), path.into(), handler.into_handler())
    }
    /// `handler` answers `PUT` at `path`.
    pub fn put(self, path: impl Into<String>, handler: impl IntoHandler) -> Self {
        self.route(Some(wire::Method::Put), path.into(), handler.into_handler())
    }
    /// `handler` answers `DELETE` at `path`.
    pub fn delete(self, path: impl Into<String>, handler: impl IntoHandler) -> Self {
        self.route(Some(wire::Method::Delete), path.into(), handler.into_handler())
    }
    /// `handler` answers `POST` at `path`.
    pub fn post(self, path: impl Into<String>, handler: impl IntoHandler) -> Self {
        self.route(Some(wire::Method::Post), path.into(), handler.into_handler())
    }
    /// `handler` answers `PATCH` at `path`.
    pub fn patch(self, path: impl Into<String>, handler: impl IntoHandler) -> Self {
        self.route(Some(wire::Method::Patch), path.into(), handler.into_handler())
    }
    /// `handler` answers every method at `path`.
    pub fn any(self, path: impl Into<String>, handler: impl IntoHandler) -> Self {
        self.route(None, path.into(), handler.into_handler())
    }

    /// Mounts `sub`'s routes under `path` (which no route of this router may already start with).
    pub fn nest(self, path: impl Into<String>, sub: Router) -> Self {
        let path = path.into();
        check_path(&path);
        if self.routes.iter().any(|r| r.path.starts_with(&path)) {
            panic!("cannot nest a router at `{path}`: routes under it exist already");
        }
        sub.routes.into_iter().fold(self, |router, r| {
            let joined = join_paths(&path, &r.path);
            router.add(r.method, joined, r.handler)
        })
    }

    /// This router's routes and `other`'s (none may conflict).
    pub fn merge(self, other: Router) -> Self {
        other.routes.into_iter().fold(self, |router, r| router.add(r.method, r.path, r.handler))
    }

    pub(crate) fn into_routes(self) -> Vec<Route> {
        self.routes
    }

    fn route(self, method: Option<wire::Method>, path: String, handler: Handler) -> Self {
        use worldtube_lib::raw_def::v10::MethodOrAny;
        self.add(method.map_or(MethodOrAny::Any, MethodOrAny::Method), path, handler)
    }

    fn add(mut self, method: worldtube_lib::raw_def::v10::MethodOrAny, path: String, handler: Handler) -> Self {
        use worldtube_lib::raw_def::v10::MethodOrAny;
        check_path(&path);
        let clash = self.routes.iter().any(|r| {
            r.path == path && (r.method == MethodOrAny::Any || method == MethodOrAny::Any || r.method == method)
        });
        if clash {
            panic!("two handlers for the same route `{path}`");
        }
        self.routes.push(Route { method, path, handler });
        self
    }
}

fn join_paths(prefix: &str, suffix: &str) -> String {
    if prefix == "/" {
        return suffix.to_string();
    }
    if suffix == "/" {
        return prefix.to_string();
    }
    format!("{}/{}", prefix.trim_end_matches('/'), suffix.trim_start_matches('/'))
}

fn check_path(path: &str) {
    if !path.is_empty() && !path.starts_with('/') {
        panic!("a route's path starts with `/` (or is empty, the root): `{path}`");
    }
    // By bytes: every byte of a non-ASCII character is outside the allowed set too.
    if !path.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'~' | b'/')) {
        panic!("a route's path may only use ASCII lowercase letters, digits and `-_~/`: `{path}`");
    }
}

/// Marks a function `fn(ctx: &mut HandlerContext, request: Request) -> Response` as an HTTP
/// handler of the module (2.x). Its name becomes a `const` [`Handler`], which the module's
/// [`router`](macro@router) binds to paths.
///
/// ```ignore
/// use spacetimedb::http::{Body, HandlerContext, Request, Response, Router};
///
/// #[spacetimedb::http::handler]
/// fn hello(_ctx: &mut HandlerContext, _req: Request) -> Response {
///     Response::new(Body::from_bytes("hello"))
/// }
///
/// #[spacetimedb::http::router]
/// fn router() -> Router {
///     Router::new().get("/hello", hello)
/// }
/// ```
pub use worldtube_macros::http_handler as handler;

/// Marks the function `fn() -> Router` that gives the module's HTTP routes (2.x; one per
/// module). See [`handler`](macro@handler).
pub use worldtube_macros::http_router as router;
