//! Procedural macros of the Worldline SDK, source-compatible with `spacetimedb` 1.x.
//!
//! Use them through the runtime crate (`worldline`, usually imported as `spacetimedb`), which
//! re-exports them; the generated code calls the runtime's hidden `__private` module. What each
//! macro expands to is specified in `macros/EXPANSION.md`.
//!
//! Each macro is a pipeline: `parse` (attributes → typed structs, errors collected), `model`
//! (validated IR, with `check` holding one function per rule) and `codegen` (IR → tokens). On
//! any error the user's item is still emitted, followed by every error found.
#![deny(missing_docs)]

mod diag;
mod duration;
mod krate;
mod reducer;
mod sats;
mod table;
mod util;
mod visibility_filter;

use proc_macro::TokenStream;

/// Declares a table whose rows are this struct.
///
/// ```ignore
/// #[spacetimedb::table(name = player, public, index(name = by_level, btree(columns = [level])))]
/// pub struct Player {
///     #[primary_key]
///     #[auto_inc]
///     id: u64,
///     #[unique]
///     identity: Identity,
///     level: u32,
/// }
/// // then, in a reducer: ctx.db.player().insert(Player { id: 0, identity: ctx.sender, level: 1 });
/// ```
///
/// Options: `name = ident` (required), `public`/`private`, `index(name = …, btree(columns = […]))`,
/// `index(name = …, direct(column = [c]))`, `scheduled(reducer)` / `scheduled(reducer, at = c)`.
/// Column attributes: `#[primary_key]`, `#[unique]`, `#[auto_inc]`, `#[index(btree)]`,
/// `#[index(direct)]`. Several `#[table]` attributes may share one struct.
#[proc_macro_attribute]
pub fn table(args: TokenStream, item: TokenStream) -> TokenStream {
    table::expand(args.into(), item.into()).into()
}

/// Declares a reducer: a function the host calls in a transaction.
///
/// ```ignore
/// #[spacetimedb::reducer]
/// pub fn send_message(ctx: &ReducerContext, text: String) -> Result<(), String> {
///     Ok(())
/// }
/// #[spacetimedb::reducer(init)]
/// pub fn init(ctx: &ReducerContext) {}
/// ```
///
/// Options: `init`, `client_connected`, `client_disconnected`, `update`, `name = "…"`.
#[proc_macro_attribute]
pub fn reducer(args: TokenStream, item: TokenStream) -> TokenStream {
    reducer::expand(args.into(), item.into()).into()
}

/// Derives `SpacetimeType`, `Serialize` and `Deserialize` (BSATN) for a struct or an enum.
///
/// ```ignore
/// #[derive(SpacetimeType)]
/// #[sats(name = "Game.Position")]
/// pub struct Position { x: i32, y: i32 }
///
/// #[derive(SpacetimeType)]
/// pub enum Shape { Point, Circle(u32) }
/// ```
#[proc_macro_derive(SpacetimeType, attributes(sats))]
pub fn derive_spacetime_type(input: TokenStream) -> TokenStream {
    sats::expand_derive(input.into(), sats::Which::All).into()
}

/// Derives BSATN encoding (`Serialize`) only.
///
/// ```ignore
/// #[derive(Serialize)]
/// struct Event { id: u64 }
/// ```
#[proc_macro_derive(Serialize, attributes(sats))]
pub fn derive_serialize(input: TokenStream) -> TokenStream {
    sats::expand_derive(input.into(), sats::Which::Serialize).into()
}

/// Derives BSATN decoding (`Deserialize`) only.
///
/// ```ignore
/// #[derive(Deserialize)]
/// struct Event { id: u64 }
/// ```
#[proc_macro_derive(Deserialize, attributes(sats))]
pub fn derive_deserialize(input: TokenStream) -> TokenStream {
    sats::expand_derive(input.into(), sats::Which::Deserialize).into()
}

/// A `core::time::Duration` written in humantime syntax, checked at compile time.
///
/// ```ignore
/// let tick = spacetimedb::duration!("1h 30m");
/// let fast = spacetimedb::duration!(250ms);
/// ```
#[proc_macro]
pub fn duration(input: TokenStream) -> TokenStream {
    duration::expand(input.into()).into()
}

/// Registers a row-level-security filter (feature `unstable`; not enforced by 1.x servers).
///
/// ```ignore
/// #[spacetimedb::client_visibility_filter]
/// const MY_ROWS: Filter = Filter::Sql("SELECT * FROM player WHERE identity = :sender");
/// ```
#[proc_macro_attribute]
pub fn client_visibility_filter(args: TokenStream, item: TokenStream) -> TokenStream {
    visibility_filter::expand(args.into(), item.into()).into()
}
