//! # worldtube-conformance
//!
//! A conformance kit for hosts of SpacetimeDB-compatible wasm modules (the `spacetime_10.*` ABI
//! of `abi-spec/SPEC.md`): it proves a host right at the edges SPEC.md names, as data.
//!
//! * **ABI probes** ([`Kit::probes`]): hand-written WAT modules under `probes/abi/`, each running
//!   several numbered cases (case *k* of a probe is its reducer *k + 2*), and `probes/cases.json`,
//!   which says for each case what the host must do: return an errno (by its name in
//!   [`worldtube_abi::ERRNOS`]), a status with given out-values, or trap. A case reports what it
//!   observed through the reducer's error sink (`status=<n> out=<hex>`), so the kit needs nothing
//!   from a host but the ordinary client interface.
//! * **Whole-module cases** ([`Kit::modules`]): modules that misbehave as a whole (trap or loop in
//!   start-up or a reducer, wrong imports and exports, not wasm at all), in `probes/modules/` and
//!   `probes/modules.json`. The host must refuse them with an error, or fail the call, and keep
//!   running with its committed state unchanged.
//! * **The adapter trait** [`ConformanceHost`]: what a host implements to be checked (install a
//!   module, call a reducer, read a table, read the log), and [`run`], which runs every case and
//!   returns a [`Report`] (per case pass/fail with a diff, and `N passed, M failed`).
//!
//! The adapter for worldtube's own host is [`reference::ReferenceHost`] (feature `reference`,
//! on by default). `http::HttpHost` (feature `http`) drives any server speaking SpacetimeDB's
//! HTTP API, such as the real SpacetimeDB servers, through the same trait.
#![deny(missing_docs)]

#[cfg(feature = "http")]
pub mod http;
mod kit;
mod module;
#[cfg(feature = "reference")]
pub mod reference;
mod runner;
pub mod scenario;

pub use kit::{Args, Expect, Kit, ModuleCase, ModuleExpect, Probe, ProbeCase, Source};
pub use module::{describe, expand, probe_definition, Generated, CASE_REDUCER_OFFSET};
pub use runner::{run, CaseResult, Report};
pub use scenario::{run_scenarios, Scenario, ScenarioReport, ScenarioResult};

use std::fmt;
use std::time::Duration;

/// The error text the default methods of [`ConformanceHost`] answer (an adapter may answer
/// anything that starts with it): the scenario runner reports a step that needs such a method
/// as skipped, not failed.
pub const UNSUPPORTED: &str = "unsupported by this adapter";

/// How a client's call ended, as SpacetimeDB's HTTP API answers it (`POST
/// /v1/database/DB/call/NAME`); what scenario steps compare.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientOutcome {
    /// A reducer committed (HTTP 200, empty body).
    Ok,
    /// A reducer failed with this error message (HTTP 530).
    Err(String),
    /// A reducer panicked or trapped (HTTP 530 with the server's fatal-error text): the panic
    /// message (the last `Panic` record of the log), if any.
    Panic(Option<String>),
    /// A procedure returned this value, in the server's JSON (HTTP 200): a product as the array
    /// of its fields, a sum as `[tag, payload]`, an identity or connection id as `["0x…"]`.
    Returned(serde_json::Value),
    /// A procedure failed: the text and HTTP status (500) the server answers.
    Failed {
        /// The server's text.
        text: String,
        /// The HTTP status.
        status: u16,
    },
    /// The call was refused before anything ran (no such reducer or procedure, arguments that do
    /// not fit): the server's text and HTTP status (400, 404).
    Rejected {
        /// The server's text.
        text: String,
        /// The HTTP status.
        status: u16,
    },
}

impl ClientOutcome {
    /// The outcome in the scenario files' notation: `"ok"`, `{"err": …}`, `{"panic": …}`,
    /// `{"returned": …}`, `{"failed": …, "status": …}`, `{"rejected": …, "status": …}`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            ClientOutcome::Ok => json!("ok"),
            ClientOutcome::Err(text) => json!({ "err": text }),
            ClientOutcome::Panic(message) => json!({ "panic": message }),
            ClientOutcome::Returned(value) => json!({ "returned": value }),
            ClientOutcome::Failed { text, status } => json!({ "failed": text, "status": status }),
            ClientOutcome::Rejected { text, status } => json!({ "rejected": text, "status": status }),
        }
    }
}

/// How a reducer call ended, as a client sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallOutcome {
    /// The reducer succeeded and its transaction committed.
    Ok,
    /// The reducer failed with this message (it returned 1 after writing the message to its
    /// error sink); its transaction was rolled back.
    Error(String),
    /// The module trapped (or the host trapped it); the transaction was rolled back. The text is
    /// whatever the host says about it (only its presence is checked).
    Trap(String),
}

impl fmt::Display for CallOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallOutcome::Ok => f.write_str("ok"),
            CallOutcome::Error(message) => write!(f, "error {message:?}"),
            CallOutcome::Trap(message) => write!(f, "trap ({message})"),
        }
    }
}

/// What a host must do for the kit: one database at a time, driven as a client would.
///
/// Implementing it takes a few dozen lines (see [`reference::ReferenceHost`]). Every method
/// reports a host-side failure as `Err(text)`; the kit never needs the host's own error types.
pub trait ConformanceHost {
    /// A short description of the host and its version, for reports (`worldtube-host 0.1.0`).
    fn describe_host(&self) -> String;

    /// Installs (publishes) `wasm` into a new, empty database, replacing whatever database this
    /// adapter held before, and runs its `init` reducer. `Err` with a readable reason when the
    /// host refuses the module (invalid wasm, wrong imports or exports, a start-up trap, an
    /// invalid description, a failed `init`).
    fn install(&mut self, wasm: &[u8]) -> Result<(), String>;

    /// Calls the reducer `name` of the installed module as a client, with `args` (the adapter
    /// uses whichever encoding its host takes: [`Args::bsatn`] or [`Args::json`]). `Err` when the
    /// host refuses the call before running it (no module installed, unknown reducer, arguments
    /// that do not fit).
    fn call(&mut self, name: &str, args: &Args) -> Result<CallOutcome, String>;

    /// The committed rows of table `table`, in any order, each as JSON (any rendering the host
    /// likes, as long as equal rows give equal JSON: the kit compares them before and after).
    fn rows(&mut self, table: &str) -> Result<Vec<serde_json::Value>, String>;

    /// The messages of the database's log so far (module records and the host's own), oldest
    /// first.
    fn log_messages(&mut self) -> Result<Vec<String>, String>;

    // What the scenarios need besides (see [`scenario`]). Each has a default that answers
    // [`UNSUPPORTED`]; the runner skips the steps an adapter cannot run.

    /// The identity of the named client, as hex (with or without `0x`), creating the client on
    /// first use; with `claims` (a JSON object with `iss` and `sub`, first use only), the client's
    /// token carries them. Two names are special: `owner` is who installed the module, and
    /// `database` is the database's own identity.
    fn identity(&mut self, client: &str, claims: Option<&serde_json::Value>) -> Result<String, String> {
        let _ = (client, claims);
        Err(format!("{UNSUPPORTED}: named clients"))
    }

    /// The subject of the named client's token (see [`identity`](Self::identity)).
    fn subject(&mut self, client: &str) -> Result<String, String> {
        let _ = client;
        Err(format!("{UNSUPPORTED}: token subjects"))
    }

    /// Connects the named client (a new connection, running `client_connected`); how it ended.
    fn connect(&mut self, client: &str) -> Result<ClientOutcome, String> {
        let _ = client;
        Err(format!("{UNSUPPORTED}: connect"))
    }

    /// Disconnects the named client's connection (running `client_disconnected`).
    fn disconnect(&mut self, client: &str) -> Result<ClientOutcome, String> {
        let _ = client;
        Err(format!("{UNSUPPORTED}: disconnect"))
    }

    /// Calls `name` as the named client the way `POST /v1/database/DB/call/NAME` does on the
    /// server: a fresh connection of the client (`client_connected`), the reducer `name` or, if
    /// there is none, the procedure `name`, then `client_disconnected`. `args` is a JSON array in
    /// parameter order. `Err` only when the host could not be asked at all.
    fn call_as(&mut self, client: &str, name: &str, args: &serde_json::Value) -> Result<ClientOutcome, String> {
        let _ = (client, name, args);
        Err(format!("{UNSUPPORTED}: calls as a named client"))
    }

    /// Moves the database's clock on by `by`, running what falls due (a server: waits that long).
    fn advance(&mut self, by: Duration) -> Result<(), String> {
        std::thread::sleep(by);
        Ok(())
    }

    /// The current time of the database's clock, in microseconds since the Unix epoch (what
    /// `{"$now_plus_ms": N}` in scenario arguments counts from). Default: the system clock.
    fn now_micros(&mut self) -> Result<i64, String> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        now.map(|d| d.as_micros() as i64).map_err(|e| e.to_string())
    }

    /// `SELECT * FROM name` (a table or a view) as the named client, as over HTTP (between a
    /// connect and a disconnect of the reader): each row an object by column name, each value in
    /// the server's JSON (see [`ClientOutcome::Returned`]).
    fn query(&mut self, client: &str, name: &str) -> Result<Vec<serde_json::Value>, String> {
        let _ = (client, name);
        Err(format!("{UNSUPPORTED}: SQL as a named client"))
    }

    /// The database's log so far, oldest first, as `(level, message)`: the level as the server
    /// writes it (`Error`, `Warn`, `Info`, `Debug`, `Trace`, `Panic`).
    fn log_records(&mut self) -> Result<Vec<(String, String)>, String> {
        Err(format!("{UNSUPPORTED}: log levels"))
    }

    /// Sends `request` to the module's HTTP routes, as a client sending it to
    /// `/v1/database/DB/route` followed by [`RouteRequest::target`] (SpacetimeDB 2.4 and later;
    /// no client connects for it). The response: the handler's, a 404 when no route matches, or a
    /// 500 when the handler failed (any body).
    fn route(&mut self, request: &RouteRequest) -> Result<RouteReply, String> {
        let _ = request;
        Err(format!("{UNSUPPORTED}: HTTP routes"))
    }
}

/// A request to a module's HTTP routes (see [`ConformanceHost::route`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteRequest {
    /// The method (`GET`, `POST`, ...).
    pub method: String,
    /// The path below the database's `route` (`/rooms`, or empty), maybe with `?` and a query.
    pub target: String,
    /// Header lines.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// The answer to a [`RouteRequest`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteReply {
    /// The status code.
    pub status: u16,
    /// Header lines (a server adds its own; the kit looks only at those it expects).
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}
