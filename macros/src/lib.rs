//! Procedural macros of the Worldtube SDK, source-compatible with `spacetimedb` 1.x.
//!
//! Use them through the runtime crate (`worldtube`, usually imported as `spacetimedb`), which
//! re-exports them and is where they are documented, with examples that run (a proc-macro crate's
//! doc examples cannot). The generated code calls the runtime's hidden `__private` module. What
//! each macro expands to is specified in `macros/EXPANSION.md`.
//!
//! Each macro carries a one-line summary (what an editor shows on hover); the full text, with
//! examples, is on its `worldtube` re-export (rustdoc shows both there).
//!
//! Each macro is a pipeline: `parse` (attributes → typed structs), `model` (the item as declared,
//! always complete: built without judging it), `check` (one function per rule, over the finished
//! model) and `codegen` (model → tokens). Every stage reports into one `diag::Ctxt`, which must
//! be checked before it is dropped. On any error the user's item is still emitted, with `stub`'s
//! placeholders for the items other code names (handle, trait, marker type, impls) and every
//! error found, so one mistake gives one error.
#![deny(missing_docs)]

mod diag;
mod duration;
mod generation;
mod http;
mod krate;
mod procedure;
mod reducer;
mod sats;
mod settings;
mod table;
mod util;
mod view;
mod visibility_filter;

use proc_macro::TokenStream;

/// Declares a table: `#[table(name = player, public)]` on a struct with named fields. Full docs: `worldtube::table`.
#[proc_macro_attribute]
pub fn table(args: TokenStream, item: TokenStream) -> TokenStream {
    table::expand(args.into(), item.into()).into()
}

/// Declares a reducer: a function taking `&ReducerContext` that clients (or the host) call in a transaction. Full docs: `worldtube::reducer`.
#[proc_macro_attribute]
pub fn reducer(args: TokenStream, item: TokenStream) -> TokenStream {
    reducer::expand(args.into(), item.into()).into()
}

/// Declares a procedure (2.x): a function taking `&mut ProcedureContext` that clients call, which opens its own transactions and returns a value. Full docs: `worldtube::procedure`.
#[proc_macro_attribute]
pub fn procedure(args: TokenStream, item: TokenStream) -> TokenStream {
    procedure::expand(args.into(), item.into()).into()
}

/// Makes a struct or enum a SpacetimeType: BSATN encoding, decoding and its algebraic type. Full docs: `worldtube::SpacetimeType`.
#[proc_macro_derive(SpacetimeType, attributes(sats))]
pub fn derive_spacetime_type(input: TokenStream) -> TokenStream {
    sats::expand_derive(input.into(), sats::Which::All).into()
}

/// Derives only the BSATN encoding of a struct or enum. Full docs: `worldtube::Serialize`.
#[proc_macro_derive(Serialize, attributes(sats))]
pub fn derive_serialize(input: TokenStream) -> TokenStream {
    sats::expand_derive(input.into(), sats::Which::Serialize).into()
}

/// Derives only the BSATN decoding of a struct or enum. Full docs: `worldtube::Deserialize`.
#[proc_macro_derive(Deserialize, attributes(sats))]
pub fn derive_deserialize(input: TokenStream) -> TokenStream {
    sats::expand_derive(input.into(), sats::Which::Deserialize).into()
}

/// A `core::time::Duration` constant from humantime text: `duration!("1h 30m")`, `duration!(50ms)`. Full docs: `worldtube::duration`.
#[proc_macro]
pub fn duration(input: TokenStream) -> TokenStream {
    duration::expand(input.into()).into()
}

/// Registers a row-level-security filter (unstable in 1.x). Full docs:
/// `worldtube::client_visibility_filter`.
#[proc_macro_attribute]
pub fn client_visibility_filter(args: TokenStream, item: TokenStream) -> TokenStream {
    visibility_filter::expand(args.into(), item.into()).into()
}

/// Declares a view (2.x): a read-only function of `&ViewContext` or `&AnonymousViewContext` whose result clients subscribe to. Full docs: `worldtube::view`.
#[proc_macro_attribute]
pub fn view(args: TokenStream, item: TokenStream) -> TokenStream {
    view::expand(args.into(), item.into()).into()
}

/// Declares a module setting (2.x) on a `const` named after it, e.g. `CASE_CONVERSION_POLICY`. Full docs: `worldtube::settings`.
#[proc_macro_attribute]
pub fn settings(args: TokenStream, item: TokenStream) -> TokenStream {
    settings::expand(args.into(), item.into()).into()
}

/// Declares an HTTP handler (2.x): `fn(&mut HandlerContext, Request) -> Response`. Full docs: `worldtube::http::handler`.
#[proc_macro_attribute]
pub fn http_handler(args: TokenStream, item: TokenStream) -> TokenStream {
    http::expand_handler(args.into(), item.into()).into()
}

/// Declares the module's HTTP router (2.x): `fn() -> Router`. Full docs: `worldtube::http::router`.
#[proc_macro_attribute]
pub fn http_router(args: TokenStream, item: TokenStream) -> TokenStream {
    http::expand_router(args.into(), item.into()).into()
}
