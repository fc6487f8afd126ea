//! # Worldline
//!
//! Write SpacetimeDB database modules in Rust. A module declares its tables with
//! [`#[table]`](macro@table) and the transactions clients may run with
//! [`#[reducer]`](macro@reducer); built for `wasm32-unknown-unknown` it loads on SpacetimeDB 1.x
//! and 2.x servers, and built natively it runs under `cargo test` against Worldline's reference
//! host.
//!
//! The API is that of the official `spacetimedb` 1.x crate, so existing modules compile unchanged
//! with
//!
//! ```toml
//! [dependencies]
//! spacetimedb = { package = "worldline", version = "0.1" }
//! ```
//!
//! ```
//! use worldline::{reducer, table, Identity, ReducerContext, Table};
//!
//! #[table(name = user, public)]
//! pub struct User {
//!     #[primary_key]
//!     identity: Identity,
//!     name: Option<String>,
//! }
//!
//! #[reducer]
//! pub fn set_name(ctx: &ReducerContext, name: String) -> Result<(), String> {
//!     let user = ctx.db.user().identity().find(ctx.sender).ok_or("unknown user")?;
//!     ctx.db.user().identity().update(User { name: Some(name), ..user });
//!     Ok(())
//! }
//! # fn main() {}
//! ```

#![deny(missing_docs)]

// Lets the macros' generated `::worldline` paths resolve inside this crate's own tests.
extern crate self as worldline;

#[cfg(feature = "unstable")]
mod client_visibility_filter;
mod context;
mod filterable;
/// Timing a stretch of reducer code in the database log (`spacetimedb::log_stopwatch` in 1.x).
pub mod log_stopwatch;
mod logger;
#[cfg(feature = "rand")]
mod rng;
pub mod rt;
mod table;

#[doc(hidden)]
pub mod __private;

pub use context::{DbContext, Local, ReducerContext};
pub use filterable::{FilterableValue, IndexScanRangeBounds, IndexScanRangeBoundsTerminator, TermBound};
pub use log_stopwatch::LogStopwatch;
#[cfg(feature = "rand")]
pub use rng::StdbRng;
pub use table::{
    AutoIncOverflow, RangedIndex, Table, TableIter, TryInsertError, UniqueColumn, UniqueConstraintViolation,
};

pub use worldline_lib::algebraic::{AlgebraicValue, SpacetimeType};
pub use worldline_lib::bsatn::{Decode as Deserialize, DecodeOwned as DeserializeOwned, Encode as Serialize};
pub use worldline_lib::{i256, u256, ConnectionId, Identity, ScheduleAt, TimeDuration, Timestamp};
#[cfg(feature = "unstable")]
pub use worldline_macros::client_visibility_filter;
pub use worldline_macros::{duration, reducer, table, Deserialize, Serialize, SpacetimeType};
pub use worldline_sys::{Errno, TableId};

#[cfg(feature = "unstable")]
pub use client_visibility_filter::Filter;

/// The raw host calls, for the rare module that needs them.
pub use worldline_sys as sys;

/// The data layer: BSATN, the algebraic type model and the module definition.
pub use worldline_lib as sats;
/// The data layer under the name the official crate also uses for it.
pub use worldline_lib as spacetimedb_lib;

/// BSATN, SpacetimeDB's binary encoding.
pub use worldline_lib::bsatn;

pub use log;
#[cfg(feature = "rand")]
pub use rand;

/// What a reducer may return: `Ok(())` or an error message.
pub type ReducerResult = Result<(), Box<str>>;

/// Looks a table's id up by name.
///
/// # Panics
/// If the host has no such table.
#[doc(hidden)]
pub fn table_id_from_name(name: &str) -> TableId {
    sys::table_id_from_name(name).unwrap_or_else(|e| panic!("table `{name}` not found: {e}"))
}

/// Schedules a reducer to run as soon as possible, outside the current transaction, best effort:
/// `volatile_nonatomic_schedule_immediate!(my_reducer(arg1, arg2))`.
#[cfg(feature = "unstable")]
#[macro_export]
macro_rules! volatile_nonatomic_schedule_immediate {
    ($($reducer:ident)::+ ($($arg:expr),* $(,)?)) => {{
        let __args = ($($arg,)*);
        $crate::__private::schedule_immediate::<$($reducer)::+, _>(&__args)
    }};
}
