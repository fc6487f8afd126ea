//! The host imports for Rust modules, and thin safe wrappers over the `spacetime_10.0` ones.
//!
//! * [`raw`] — the imports themselves, every version (`spacetime_10.0` ... `spacetime_10.5`),
//!   generated from the table in worldtube-abi. On wasm32 they link against the host; natively
//!   they dispatch to a [`Host`](worldtube_abi::Host) installed for the current thread with
//!   [`set_host`] / [`with_host`], so module code runs under `cargo test`.
//! * Safe wrappers — one per distinct import of `spacetime_10.0`, returning `Result<_, Errno>`,
//!   plus [`RowIter`], [`BytesSource`] and [`BytesSink`] which implement the handle protocols.
//!   There are none for the later versions yet: the SDK built on this crate (worldtube) targets
//!   10.0 only, so its modules load on every SpacetimeDB 1.x and 2.x server.
#![deny(missing_docs)]

mod bytes;
mod calls;
mod ids;
#[cfg(not(target_arch = "wasm32"))]
mod native;
pub mod raw;
mod row_iter;
mod status;

pub use bytes::{BytesSink, BytesSource};
pub use calls::*;
pub use ids::{ColId, IndexId, TableId, TimerId};
#[cfg(not(target_arch = "wasm32"))]
pub use native::{clear_host, has_host, set_host, take_host, with_host, with_installed_host};
pub use row_iter::RowIter;
pub use worldtube_abi::{Errno, LogLevel};
