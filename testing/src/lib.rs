//! Unit-testing modules with plain `cargo test`: no server, no wasm.
//!
//! Add one line to the module crate's `Cargo.toml`:
//!
//! ```toml
//! [dev-dependencies]
//! worldtube-testing = "0.1"   # until published: a path or git dependency, see the README
//! ```
//!
//! Tests go in the module crate's `tests/` directory. A test binary must name the module crate
//! (`use my_module::{...}`), which links it in; import the reducers you call (`bump` below) and
//! the table accessors you read through (`counter`: `ctx.db.counter()` needs it in scope). The
//! JSON views ([`TestDb::table_json`], [`CallOutcome::inserted_json`]) compare with [`json!`]
//! values; it, [`LogLevel`], [`CallError`] and the reference host itself ([`host`]) are re-exported
//! here.
//!
//! Each [`TestDb`] is a fresh database running the module linked into the test binary, through
//! the same ABI the server uses (arguments are encoded, reducers dispatched by id, every call a
//! transaction). Tests run in parallel; each sees only its own database.
//!
//! ```
//! use worldtube::{reducer, table, Identity, ReducerContext, Table};
//! use worldtube_testing::TestDb;
//!
//! #[table(name = counter, public)]
//! pub struct Counter {
//!     #[primary_key]
//!     owner: Identity,
//!     count: u32,
//! }
//!
//! #[reducer]
//! pub fn bump(ctx: &ReducerContext, by: u32) -> Result<(), String> {
//!     if by == 0 {
//!         return Err("bump by something".into());
//!     }
//!     let count = ctx.db.counter().owner().find(ctx.sender).map_or(0, |c| c.count);
//!     ctx.db.counter().owner().delete(ctx.sender);
//!     ctx.db.counter().insert(Counter { owner: ctx.sender, count: count + by });
//!     Ok(())
//! }
//!
//! let mut db = TestDb::new();
//! let alice = db.connect("alice");
//!
//! db.call::<bump>(&alice, (2,)).assert_ok();
//! let failed = db.call::<bump>(&alice, (0,));
//! assert_eq!(failed.error(), Some("bump by something"));
//!
//! // Read committed state through the module's own accessors...
//! let mine = db.read(|ctx| ctx.db.counter().owner().find(alice.identity()).unwrap().count);
//! assert_eq!(mine, 2);
//! // ...or as JSON, or call by name with JSON arguments.
//! db.call_json(&alice, "bump", "[3]").assert_ok();
//! assert_eq!(db.table_json("counter")[0]["count"], 5);
//! ```

mod db;
mod native;
mod outcome;
mod procedure;
mod route;

pub use db::{AsCaller, Client, TestDb, TestDbBuilder};
pub use native::NativeModule;
pub use outcome::{CallOutcome, Snapshot};
pub use procedure::ProcedureCallOutcome;
pub use route::RouteCallOutcome;

/// JSON for [`TestDb::table_json`], [`CallOutcome::inserted_json`] and friends: compare with
/// [`json!`] values.
pub use serde_json::{json, Value as Json};
/// The level of a [`LogRecord`].
pub use worldtube_abi::LogLevel;
/// The reference host this crate runs modules on (datastore, engine, wasm runtime with the
/// `wasm` feature), re-exported so that this crate is the one dev-dependency a module needs.
pub use worldtube_host as host;
pub use worldtube_host::engine::{CallError, Caller, InstallError, RouteRequest, RouteResponse, ViewError};
pub use worldtube_host::names::{connection_id, DATABASE};
pub use worldtube_host::LogRecord;

/// Calls a reducer the way it is written in module code: `call!(db, &alice, send_message(text))`
/// is `db.call::<send_message>(&alice, (text,))`, arguments type-checked the same way.
///
/// ```
/// use worldtube::{reducer, table, ReducerContext, Table};
/// use worldtube_testing::{call, TestDb};
///
/// #[table(name = greeting, public)]
/// pub struct Greeting {
///     text: String,
///     times: u32,
/// }
///
/// #[reducer]
/// pub fn greet(ctx: &ReducerContext, text: String, times: u32) {
///     ctx.db.greeting().insert(Greeting { text, times });
/// }
///
/// let mut db = TestDb::new();
/// let alice = db.connect("alice");
/// call!(db, &alice, greet("hello".to_string(), 3)).assert_ok();
/// assert_eq!(db.table_json("greeting")[0]["times"], 3);
/// ```
#[macro_export]
macro_rules! call {
    ($db:expr, $caller:expr, $($reducer:ident)::+ ($($arg:expr),* $(,)?)) => {
        $db.call::<$($reducer)::+>($caller, ($($arg,)*))
    };
}

/// Calls a procedure the way it is written in module code: `call_procedure!(db, &alice,
/// room_stats(7))` is `db.call_procedure::<room_stats>(&alice, (7,))`.
#[macro_export]
macro_rules! call_procedure {
    ($db:expr, $caller:expr, $($procedure:ident)::+ ($($arg:expr),* $(,)?)) => {
        $db.call_procedure::<$($procedure)::+>($caller, ($($arg,)*))
    };
}
