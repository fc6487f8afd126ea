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

pub use kit::{Args, Expect, Kit, ModuleCase, ModuleExpect, Probe, ProbeCase, Source};
pub use module::{expand, probe_definition, CASE_REDUCER_OFFSET};
pub use runner::{run, CaseResult, Report};

use std::fmt;

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
}
