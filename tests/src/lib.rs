//! # worldtube-compat
//!
//! The compatibility suite's machinery; the tests themselves are in `tests/`.
//!
//! * [`runner`] — runs a module's describe step on the reference host's wasm runtime and returns
//!   the bytes the module wrote: its BSATN `RawModuleDef`. It also lists a module's imports and
//!   exports.
//! * [`diff`] — explains how two descriptions differ, item by item.
//! * [`build`] — builds an example to `wasm32-unknown-unknown` with `cargo`, either as a member
//!   of Worldtube's workspace (our build) or from `tests/official/<name>`, a tiny workspace that
//!   compiles the same source with the official `spacetimedb` 1.3.2 crate.

#![deny(missing_docs)]

pub mod build;
pub mod diff;
pub mod runner;

pub use runner::{describe, interface, Describe, Export, Import, ModuleInterface, RunError};
