//! The module runtime: collecting the module's description from every table and reducer, and
//! the entry points the host calls (`__describe_module__`, `__call_reducer__`).
//!
//! Module code does not use this: the macros register everything, and the host calls in. It is
//! public for hosts that run modules natively, such as `worldtube-testing`, which calls the entry
//! points and reads [`module()`] for the module definition and the reducers' entry points.
//!
//! Each `#[table]`, `#[reducer]` (and filter) registers a *describer* under a symbol
//! `__preinit__20_register_describer_{name}`. On wasm32 that symbol is a real export which the
//! host calls during start-up; natively it is an entry in a link-time list. Either way the
//! describers run sorted by symbol — the order in which a SpacetimeDB host runs `__preinit__`
//! exports — so the tables, reducers and types of the module definition come out in exactly the
//! order the official SDK produces, and reducer ids match.

mod describe;
mod exports;

pub(crate) use describe::describe_registry;
pub use describe::{module, Describer, Module, ModuleBuilder, ProcedureFn, ReducerFn};
#[cfg(feature = "v2")]
pub use describe::{HttpHandlerFn, ViewFn};
#[cfg(all(feature = "v2", feature = "unstable"))]
pub use exports::__call_http_handler__;
#[cfg(not(target_arch = "wasm32"))]
pub use exports::native_preinit;
#[cfg(feature = "v2")]
pub use exports::{__call_procedure__, __call_view__, __call_view_anon__};
pub use exports::{__call_reducer__, __describe_module__};
#[cfg(not(target_arch = "wasm32"))]
pub use exports::{native_call_http_handler, native_call_procedure, native_call_view};

/// A reducer's (or procedure's) static facts, implemented by `#[reducer]` (`#[procedure]`) for
/// the marker type named like the function. Test APIs use it to call a reducer by its function
/// (`db.call::<send_message>(..)` in `worldtube-testing`) with type-checked arguments.
pub trait ReducerInfo {
    /// The reducer's name.
    const NAME: &'static str;
    /// Its argument types, as a tuple (after the context).
    type Args;
}
