//! # worldtube-host
//!
//! The reference host for SpacetimeDB-compatible modules (see `DESIGN.md`). It does not depend
//! on the guest SDK: modules come as `.wasm` files (feature `wasm`) or, natively linked into a
//! test binary, through `worldtube-testing`, which module authors add as their one
//! dev-dependency. Layers, bottom up:
//!
//! * [`schema`] — a validated module definition resolved into tables, indexes, sequences,
//!   schedules and reducers with ids and names.
//! * [`datastore`] — the committed state and transactions with SpacetimeDB 1.3 semantics, on
//!   values, failing with [`DatastoreError`].
//! * [`abi_host`] — [`abi_host::AbiHost`], the `spacetime_10.0` imports
//!   ([`worldtube_abi::Host`]) for one module instance: decodes their BSATN arguments for the
//!   datastore and turns its errors into errnos and traps.
//! * [`runtime`] — module instances running exports against any `Host`: the wasm one, and the
//!   rules every instance (the native one of `worldtube-testing` too) follows.
//! * [`engine`] — one database: schema, datastore, module instance, virtual clock, schedules.
//! * [`sql`] — the SQL a 2.x module's views return (the query builder's `SELECT`s, semijoins
//!   included), run against the committed state: [`sql::run_query`].
//! * [`http`] — simulated HTTP for procedures: responders per URL pattern, no network.
//! * [`names`] — the identities and settings tests and the CLI derive from plain names.
//! * `cli` (feature `wasm`) — the `worldtube` command line (describe, check and run a `.wasm`
//!   module).
#![deny(missing_docs)]

pub mod abi_host;
#[cfg(feature = "wasm")]
pub mod cli;
pub mod datastore;
pub mod engine;
pub mod http;
pub mod json;
pub mod names;
pub mod runtime;
pub mod schema;
pub mod sql;

pub use abi_host::{AbiHost, LogRecord, ScheduledCall};
pub use datastore::{Datastore, DatastoreError, Row, RowId, Snapshot, Tx, TxChanges};
pub use schema::{IndexId, ReducerId, Schema, SchemaError, TableId};
