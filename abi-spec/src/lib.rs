//! The `spacetime_10.0` host-call interface of SpacetimeDB-compatible wasm modules, declared
//! once as data.
//!
//! * [`for_each_import!`], [`for_each_errno!`] — the declaration tables, in the callback style:
//!   every consumer (this crate's statics and glue, worldtube-sys's `extern` block and native
//!   stand-ins, the spec generator) expands them with its own macro.
//! * [`IMPORTS`], [`EXPORTS`], [`ERRNOS`] and the constants — the same tables as static data.
//! * [`Errno`] — a nonzero status code.
//! * [`Host`] — the imports as a safe trait (slices in, values out, `Result`).
//! * [`glue`] — raw call → [`Host`] method, implementing every pointer protocol, over any
//!   [`Memory`]; shared by all hosts so they agree on the protocols.
//!
//! `SPEC.md` and `abi.json` next to this crate are generated from the same data
//! (`cargo run -p worldtube-abi --example gen-spec`).
#![deny(missing_docs)]

mod call;
mod constants;
mod decl;
mod errno;
mod exports;
pub mod glue;
mod host;
mod imports;
mod memory;
mod table;
mod trap;
mod types;
mod views;

pub use call::{Call, HandleCall, Reply};
pub use constants::*;
pub use decl::*;
pub use errno::{Errno, ErrnoDecl, ERRNOS};
pub use exports::EXPORTS;
pub use host::{Host, HostError, HostResult, IndexPrefix, PartialHost, RowIterAdvance, SourceRead};
pub use imports::{import, IMPORTS};
pub use memory::{Memory, Word};
pub use trap::Trap;
pub use types::RawParam;
