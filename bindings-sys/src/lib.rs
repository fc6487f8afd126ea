//! The `spacetime_10.0` imports for Rust modules, and thin safe wrappers over them.
//!
//! * [`raw`] — the imports themselves, generated from the table in worldtube-abi. On wasm32
//!   they link against the host; natively they dispatch to a [`Host`](worldtube_abi::Host)
//!   installed for the current thread with [`set_host`] / [`with_host`], so module code runs
//!   under `cargo test`.
//! * Safe wrappers — one per distinct import, returning `Result<_, Errno>`, plus [`RowIter`],
//!   [`BytesSource`] and [`BytesSink`] which implement the handle protocols.
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
