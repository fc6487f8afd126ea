//! HTTP handlers (2.x modules): requests to a module's routes, answered by the handler the
//! route leads to (`__call_http_handler__`). As on the 2.8 server, a route matches by exact path
//! (the query is not part of it) and by method (or any method); the handler runs like a
//! procedure — outside any transaction, opening its own, free to sleep and make HTTP requests —
//! and its response head and body come back as the module wrote them.

use worldtube_lib::bsatn;
use worldtube_lib::http::{self as wire, HeaderPair, Headers, Method, Version};
use worldtube_lib::raw_def::v10::MethodOrAny;
use worldtube_lib::Timestamp;

use super::procedure::Commit;
use super::{CallError, Engine, ViewChange};
use crate::abi_host::LogRecord;
use crate::http::HttpExchange;
use crate::runtime::{HttpHandlerCall, HttpHandlerResult, ModuleInstance};
use crate::schema::ModuleDef;

/// What the 2.8 server answers (404) for a request no route matches.
pub const NO_SUCH_ROUTE: &str = "Database has not registered a handler for this route";

/// An HTTP request to one of the module's routes: what a client sends to
/// `/v1/database/NAME/route/PATH` on a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRequest {
    /// The method.
    pub method: Method,
    /// The path below the database's `route` (`/rooms`, or empty for the root), and optionally
    /// `?` and a query, which the handler sees in the URI but which is not matched.
    pub target: String,
    /// The header lines, in order.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RouteRequest {
    /// A request with no headers and no body.
    pub fn new(method: Method, target: impl Into<String>) -> Self {
        RouteRequest { method, target: target.into(), headers: Vec::new(), body: Vec::new() }
    }

    /// A `GET` of `target`.
    pub fn get(target: impl Into<String>) -> Self {
        RouteRequest::new(Method::Get, target)
    }

    /// A `POST` of `body` to `target`.
    pub fn post(target: impl Into<String>, body: impl Into<Vec<u8>>) -> Self {
        RouteRequest::new(Method::Post, target).body(body)
    }

    /// The request with a header line added.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The request with `body` as its body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The path, without the query: what routes are matched against.
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(&self.target, |(path, _)| path)
    }
}

/// The response an HTTP handler gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteResponse {
    /// The status code.
    pub status: u16,
    /// The header lines, in order.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The HTTP version the handler set.
    pub version: Version,
    /// The body.
    pub body: Vec<u8>,
}

impl RouteResponse {
    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of the first header line named `name` (case-insensitive), if any.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }
}

/// Everything a request to a route did.
#[derive(Debug, Clone)]
pub struct RouteOutcome {
    /// The name of the handler that ran.
    pub handler: String,
    /// When the request arrived.
    pub timestamp: Timestamp,
    /// The handler's time when it returned (later if it slept).
    pub ended_at: Timestamp,
    /// Its response, or why it failed (it panicked or trapped, or wrote a response head that
    /// does not decode): then the server answers 500. Transactions it committed stand.
    pub response: Result<RouteResponse, String>,
    /// The log records it emitted.
    pub logs: Vec<LogRecord>,
    /// The transactions it committed, in order.
    pub commits: Vec<Commit>,
    /// The HTTP requests it made, with their answers.
    pub http: Vec<HttpExchange>,
    /// What its commits changed in subscribed views.
    pub view_changes: Vec<ViewChange>,
    /// The scheduled reducers that ran while it slept.
    pub meanwhile: Vec<super::Outcome>,
}

impl RouteOutcome {
    /// The status a client gets: the handler's, or 500 when it failed.
    pub fn status(&self) -> u16 {
        self.response.as_ref().map_or(500, |r| r.status)
    }
}

/// The handler a request with `method` at `path` goes to: its position in the `HttpHandlers`
/// section and its name. The first route (in definition order) with this exact path and this
/// method, or any method, wins; the validator has made sure that at most one matches.
fn match_route(def: &ModuleDef, method: &Method, path: &str) -> Option<(u32, String)> {
    let ModuleDef::V10(def) = def else { return None };
    let route = def.http_routes()?.iter().find(|route| {
        let method_matches = match &route.method {
            MethodOrAny::Any => true,
            MethodOrAny::Method(m) => m == method,
        };
        &*route.path == path && method_matches
    })?;
    let handlers = def.http_handlers()?;
    let id = handlers.iter().position(|h| h.source_name == route.handler_function)?;
    Some((u32::try_from(id).ok()?, route.handler_function.to_string()))
}

impl<M: ModuleInstance> Engine<M> {
    /// Sends `request` to the module's routes at the current time; then moves the clock to the
    /// handler's time (if it slept) and on by one tick. Refused with
    /// [`CallError::NoSuchRoute`] (the server's 404, [`NO_SUCH_ROUTE`]) if no route matches.
    ///
    /// The handler sees the URI `http://localhost/v1/database/IDENTITY/route` followed by the
    /// request's target (a server shows its own address there), HTTP/1.1 and the request's
    /// headers.
    pub fn call_route(&mut self, request: RouteRequest) -> Result<RouteOutcome, CallError> {
        let Some((id, handler)) = match_route(self.schema.module_def(), &request.method, request.path()) else {
            return Err(CallError::NoSuchRoute { method: request.method.clone(), path: request.path().to_owned() });
        };
        let head = wire::Request {
            method: request.method.clone(),
            headers: Headers {
                entries: request
                    .headers
                    .iter()
                    .map(|(n, v)| HeaderPair { name: n.clone(), value: v.clone() })
                    .collect(),
            },
            timeout: None,
            uri: format!(
                "http://localhost/v1/database/{}/route{}",
                self.options.database_identity.to_hex(),
                request.target
            ),
            version: Version::Http11,
        };
        let timestamp = self.now;
        let detached = self.run_detached(
            &handler,
            bsatn::to_vec(&head),
            request.body,
            timestamp,
            true,
            |module, host, request_source, body_source| {
                let call = HttpHandlerCall {
                    id,
                    timestamp_micros: timestamp.to_micros_since_unix_epoch(),
                    request_source,
                    body_source,
                };
                module.call_http_handler(host, call)
            },
            |result| matches!(result, HttpHandlerResult::Returned { .. }),
        );
        let response = match detached.result {
            HttpHandlerResult::Returned { head, body } => bsatn::from_slice::<wire::Response>(&head)
                .map(|head| RouteResponse {
                    status: head.code,
                    headers: head.headers.entries.into_iter().map(|h| (h.name, h.value)).collect(),
                    version: head.version,
                    body,
                })
                .map_err(|e| format!("the handler's response head does not decode: {e}")),
            HttpHandlerResult::Trap(message) => Err(message),
        };
        self.tick();
        Ok(RouteOutcome {
            handler,
            timestamp,
            ended_at: detached.ended_at,
            response,
            logs: detached.logs,
            commits: detached.commits,
            http: detached.http,
            view_changes: detached.view_changes,
            meanwhile: detached.meanwhile,
        })
    }
}
