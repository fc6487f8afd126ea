//! # Worldtube
//!
//! Write SpacetimeDB database modules in Rust. A module declares its tables with
//! [`#[table]`](macro@table) and the transactions clients may run with
//! [`#[reducer]`](macro@reducer); built for `wasm32-unknown-unknown` it loads on SpacetimeDB 1.x
//! and 2.x servers, and built natively it runs under `cargo test` against Worldtube's reference
//! host.
//!
//! The API is that of the official `spacetimedb` 1.x crate, so existing modules compile unchanged
//! when the dependency is renamed:
//!
//! ```toml
//! [lib]
//! crate-type = ["cdylib", "rlib"]
//!
//! [dependencies]
//! spacetimedb = { package = "worldtube", version = "0.1" }
//! log = "0.4"
//!
//! [dev-dependencies]
//! worldtube-testing = "0.1" # native tests
//! ```
//!
//! With that rename, `worldtube::X` in these docs is `spacetimedb::X` in your code.
//!
//! # A module, and a test of it
//!
//! ```
//! use worldtube::{reducer, table, Identity, ReducerContext, Table, Timestamp};
//!
//! #[table(name = player, public)]
//! pub struct Player {
//!     #[primary_key]
//!     identity: Identity,
//!     #[unique]
//!     name: String,
//!     joined: Timestamp,
//! }
//!
//! #[reducer]
//! pub fn set_name(ctx: &ReducerContext, name: String) -> Result<(), String> {
//!     if name.is_empty() {
//!         return Err("names must not be empty".into());
//!     }
//!     match ctx.db.player().identity().find(ctx.sender) {
//!         Some(player) => {
//!             ctx.db.player().identity().update(Player { name, ..player });
//!         }
//!         None => {
//!             ctx.db.player().try_insert(Player { identity: ctx.sender, name, joined: ctx.timestamp })?;
//!         }
//!     }
//!     Ok(())
//! }
//!
//! // A test (in the module's `tests/`, after `use my_module::{player, set_name};`):
//! use worldtube_testing::TestDb;
//!
//! let mut db = TestDb::new();
//! let ana = db.connect("ana");
//! db.call::<set_name>(&ana, ("Ana".to_string(),)).assert_ok();
//! db.call::<set_name>(&ana, (String::new(),)).assert_err("must not be empty");
//!
//! let bo = db.connect("bo");
//! db.call::<set_name>(&bo, ("Ana".to_string(),)).assert_err("duplicate unique column");
//!
//! let owner = db.read(|ctx| ctx.db.player().name().find("Ana".to_string()).map(|p| p.identity));
//! assert_eq!(owner, Some(ana.identity()));
//! ```
//!
//! # Tour
//!
//! * **Tables.** [`#[table]`](macro@table) on a struct declares a table; `ctx.db.player()`
//!   returns its handle, whose [`Table`] methods insert, scan, count and delete rows
//!   ([`Table::try_insert`] reports a taken unique value as a [`TryInsertError`]). Unique columns
//!   give a [`UniqueColumn`] (`find`, `update`, `delete` by key), other indexes a
//!   [`RangedIndex`] (`filter` and `delete` by value, range or key prefix).
//! * **Reducers.** [`#[reducer]`](macro@reducer) on a function makes it callable by clients, as
//!   one transaction: returning `Err` or panicking rolls everything back. Lifecycle reducers run
//!   at `init` and as clients connect and disconnect. The [`ReducerContext`] says who called
//!   ([`sender`](ReducerContext::sender)) and when ([`timestamp`](ReducerContext::timestamp)),
//!   and hands out deterministic randomness (`ctx.rng()`).
//! * **Types.** [`#[derive(SpacetimeType)]`](derive@SpacetimeType) lets your structs and enums be
//!   columns and reducer arguments. The special types [`Identity`], [`ConnectionId`],
//!   [`Timestamp`], [`TimeDuration`] and [`ScheduleAt`], and the 256-bit integers [`i256`] and
//!   [`u256`], are here too.
//! * **Time.** A table with a [`ScheduleAt`] column, declared with `scheduled(reducer)`, runs
//!   that reducer at a time or at an interval; [`duration!`] writes the intervals.
//! * **Logging.** The [`log`] macros (`log::info!`) write to the database log;
//!   [`LogStopwatch`] times a stretch of code there.
//!
//! # Testing
//!
//! The examples in these docs are tests: each declares a module and runs it natively on the
//! reference host through `worldtube_testing::TestDb`, which installs the module linked into the
//! test binary, calls its reducers as given clients, moves its clock and reads its tables. Add
//! the `worldtube-testing` dev-dependency to test your own module the same way, with plain
//! `cargo test`.
//!
//! # Building for a server
//!
//! `cargo build --release --target wasm32-unknown-unknown` gives the `.wasm` module to publish.
//! It imports only SpacetimeDB's `spacetime_10.0` host ABI and describes itself as the official
//! crate's build of the same source would.
//!
//! # Features
//!
//! * `rand` (default): `ReducerContext::rng` and `random`, and the `rand` re-export (rand 0.8),
//!   as in the official crate.
//! * `unstable`: the official crate's unstable API: `#[client_visibility_filter]`, `Filter`,
//!   `volatile_nonatomic_schedule_immediate!`, and `UniqueColumn::insert_or_update` and
//!   `try_insert_or_update`.

#![deny(missing_docs)]

// Lets the macros' generated `::worldtube` paths resolve inside this crate's own tests.
#[allow(unused_extern_crates)]
extern crate self as worldtube;

#[cfg(feature = "v2")]
mod auth;
#[cfg(feature = "unstable")]
mod client_visibility_filter;
mod context;
#[cfg(feature = "v2")]
mod context_traits;
mod filterable;
#[cfg(feature = "v2")]
pub mod http;
/// Timing a stretch of reducer code in the database log (`spacetimedb::log_stopwatch` in 1.x):
/// [`LogStopwatch`].
pub mod log_stopwatch;
mod logger;
mod procedure;
#[cfg(feature = "v2")]
pub mod query_builder;
#[cfg(feature = "rand")]
mod rng;
pub mod rt;
/// Table handles (also re-exported at the crate root), under the path the official crate uses.
#[doc(hidden)]
pub mod table;
mod table_internal;
#[cfg(feature = "v2")]
mod view;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "v2")]
pub use auth::{AuthCtx, JwtClaims};
pub use context::{DbContext, Local, ReducerContext};
#[cfg(all(feature = "v2", feature = "rand"))]
pub use context_traits::CtxWithRng;
#[cfg(feature = "v2")]
pub use context_traits::{
    CtxDbRead, CtxDbWrite, CtxWithHttp, CtxWithSender, CtxWithSenderAuth, CtxWithTimestamp, CtxWithTxManagement,
};
pub use filterable::{FilterableValue, IndexScanRangeBounds, IndexScanRangeBoundsTerminator, TermBound};
pub use log_stopwatch::LogStopwatch;
pub use procedure::{ProcedureContext, TxContext};
#[cfg(feature = "v2")]
pub use query_builder::{Query, RawQuery};
#[cfg(feature = "rand")]
pub use rng::StdbRng;
#[cfg(feature = "v2")]
pub use table::PointIndex;
pub use table::{
    AutoIncOverflow, RangedIndex, Table, TableIter, TryInsertError, UniqueColumn, UniqueConstraintViolation,
};
#[cfg(feature = "v2")]
pub use view::{
    AnonymousViewContext, LocalReadOnly, PointIndexReadOnly, QueryBuilder, RangedIndexReadOnly, UniqueColumnReadOnly,
    ViewContext, ViewPrimaryKeyColumn,
};

pub use worldtube_lib::algebraic::{AlgebraicValue, SpacetimeType};
pub use worldtube_lib::bsatn::{Decode as Deserialize, DecodeOwned as DeserializeOwned, Encode as Serialize};
pub use worldtube_lib::{i256, u256, ConnectionId, Identity, TimeDuration, Timestamp, Uuid};

/// The column that makes a table scheduled: each row runs the table's reducer once at a
/// [`Time`](ScheduleAt::Time), or every [`Interval`](ScheduleAt::Interval) until the row is
/// deleted.
///
/// A scheduled table is declared with `#[table(name = …, scheduled(reducer))]`. Its row needs a
/// `#[primary_key] #[auto_inc] scheduled_id: u64` column and a `scheduled_at: ScheduleAt` column
/// (`scheduled(reducer, at = column)` names another column instead), and the reducer takes the
/// row as its argument. Inserting a row schedules a call and deleting it cancels the call; a
/// `Time` row is deleted once its call has run. The database itself makes scheduled calls:
/// their [`sender`](ReducerContext::sender) is [`ctx.identity()`](ReducerContext::identity).
///
/// ```
/// use worldtube::{duration, reducer, table, ReducerContext, ScheduleAt, Table};
///
/// #[table(name = tick_timer, scheduled(tick))]
/// pub struct TickTimer {
///     #[primary_key]
///     #[auto_inc]
///     scheduled_id: u64,
///     scheduled_at: ScheduleAt,
/// }
///
/// #[table(name = world)]
/// pub struct World {
///     #[primary_key]
///     id: u8,
///     ticks: u64,
/// }
///
/// #[reducer(init)]
/// pub fn init(ctx: &ReducerContext) {
///     ctx.db.world().insert(World { id: 0, ticks: 0 });
///     // Every 100 ms, from now on.
///     ctx.db.tick_timer().insert(TickTimer { scheduled_id: 0, scheduled_at: duration!(100ms).into() });
///     // Once, a second from now.
///     let at = ScheduleAt::Time(ctx.timestamp + duration!(1s));
///     ctx.db.tick_timer().insert(TickTimer { scheduled_id: 0, scheduled_at: at });
/// }
///
/// #[reducer]
/// pub fn tick(ctx: &ReducerContext, _timer: TickTimer) -> Result<(), String> {
///     if ctx.sender != ctx.identity() {
///         return Err("`tick` is for the scheduler".into());
///     }
///     let world = ctx.db.world().id().find(0).ok_or("no world")?;
///     ctx.db.world().id().update(World { ticks: world.ticks + 1, ..world });
///     Ok(())
/// }
///
/// // In a test, moving the clock runs what falls due:
/// use std::time::Duration;
/// use worldtube_testing::TestDb;
///
/// let mut db = TestDb::new();
/// let ran = db.advance(Duration::from_millis(350));
/// assert_eq!(ran.len(), 3);
/// assert!(ran.iter().all(|call| call.is_ok() && call.reducer() == "tick"));
/// assert_eq!(db.read(|ctx| ctx.db.world().id().find(0).unwrap().ticks), 3);
///
/// db.advance(Duration::from_millis(700)); // 10 intervals by now, and the one-off
/// assert_eq!(db.read(|ctx| ctx.db.world().id().find(0).unwrap().ticks), 11);
/// assert_eq!(db.count("tick_timer"), 1); // the `Time` row is gone
/// ```
///
/// # Values
///
pub use worldtube_lib::ScheduleAt;
/// Registers a row-level security filter: a [`Filter`] `const` limiting which rows of a table
/// each client sees (feature `unstable`; 1.x servers record it but do not enforce it).
///
/// `:sender` in the SQL stands for the subscribing client's identity.
///
/// ```
/// use worldtube::{client_visibility_filter, table, Filter, Identity};
///
/// #[table(name = inventory, public)]
/// pub struct Inventory {
///     #[primary_key]
///     owner: Identity,
///     gold: u64,
/// }
///
/// #[client_visibility_filter]
/// const OWN_INVENTORY: Filter = Filter::Sql("SELECT * FROM inventory WHERE owner = :sender");
/// # let db = worldtube_testing::TestDb::new();
/// # assert_eq!(db.module_def().row_level_security.len(), 1);
/// ```
#[cfg(feature = "unstable")]
pub use worldtube_macros::client_visibility_filter;

/// Declares a table: its rows are this struct, and `ctx.db.<name>()` reaches it.
///
/// # Arguments
///
/// * `name = ident` (required): the table's name, and the name of its accessor on `ctx.db`.
/// * `public` or `private` (the default): whether clients may read and subscribe to it. A private
///   table is seen only by the module (and the database owner).
/// * `index(name = ident, btree(columns = [a, b, …]))`: a B-tree index over one or more columns,
///   reached as `ctx.db.<table>().<index name>()`, a [`RangedIndex`].
/// * `index(name = ident, direct(column = [a]))`: a direct index over one column of type `u8`,
///   `u16`, `u32`, `u64` or a payload-free enum (an array indexed by the value; fast when
///   values are small and dense).
/// * `scheduled(reducer)` or `scheduled(reducer, at = column)`: makes it a scheduled table; see
///   [`ScheduleAt`].
///
/// # Column attributes
///
/// * `#[primary_key]`: the table's primary key, unique (at most one column).
/// * `#[unique]`: no two rows have the same value. A unique or primary key column gets a
///   [`UniqueColumn`] accessor named after it: `ctx.db.player().identity().find(..)`.
/// * `#[auto_inc]`: an integer column filled from a sequence when a row is inserted with `0`.
/// * `#[index(btree)]`, `#[index(direct)]`: a single-column index, reached as a [`RangedIndex`]
///   named after the column.
///
/// Unique and indexed columns must be of a type an index can key: integers, `bool`, `String`,
/// [`Identity`], [`ConnectionId`] or a payload-free enum (see [`FilterableValue`]).
///
/// # What it generates
///
/// The struct itself, with [`SpacetimeType`](trait@SpacetimeType) and BSATN derived (so it
/// must not also `#[derive(SpacetimeType)]`); a handle type implementing [`Table`]; and a trait
/// named after the table that adds the accessor to `ctx.db` (so in another module of your crate,
/// `use crate::players::{player, Player};` imports both). Several `#[table]` attributes may be
/// stacked on one struct, making several tables with the same row type.
///
/// # Example
///
/// ```
/// use worldtube::{reducer, table, Identity, ReducerContext, Table};
///
/// #[table(name = player, public, index(name = by_guild_level, btree(columns = [guild, level])))]
/// #[table(name = retired_player)]
/// pub struct Player {
///     #[primary_key]
///     #[auto_inc]
///     id: u64,
///     #[unique]
///     identity: Identity,
///     guild: String,
///     #[index(btree)]
///     level: u32,
/// }
///
/// #[reducer]
/// pub fn join(ctx: &ReducerContext, guild: String) {
///     let player = ctx.db.player().insert(Player { id: 0, identity: ctx.sender, guild, level: 1 });
///     assert_eq!(player.id, 1); // filled in by `auto_inc`
///
///     // One accessor per unique column, one per index.
///     assert!(ctx.db.player().id().find(player.id).is_some());
///     assert!(ctx.db.player().identity().find(ctx.sender).is_some());
///     assert_eq!(ctx.db.player().level().filter(1u32).count(), 1);
///     assert_eq!(ctx.db.player().by_guild_level().filter((&player.guild, 1u32..)).count(), 1);
///
///     // The same row type, another table.
///     ctx.db.retired_player().insert(player);
///     assert_eq!(ctx.db.retired_player().count(), 1);
/// }
/// # let mut db = worldtube_testing::TestDb::new();
/// # db.call::<join>(worldtube_testing::TestDb::identity("me"), ("owls".to_string(),)).assert_ok();
/// # assert_eq!(db.count("player"), 1);
/// ```
pub use worldtube_macros::table;

/// Declares a reducer: a function that clients call by name, run as one transaction.
///
/// The first parameter is `ctx: &ReducerContext`; the others (up to 32) are the arguments
/// clients pass, of any [`SpacetimeType`](trait@SpacetimeType). The function returns nothing,
/// or a `Result<(), E>` with `E: Display` (e.g. `String`, or [`ReducerResult`]). Returning `Err`
/// or panicking rolls back everything the call wrote, and the error message goes back to the
/// caller. Clients may call any reducer with any arguments, so check them.
///
/// # Options
///
/// * `#[reducer(init)]`: runs once, when the module is first published (the caller is the
///   database's owner). Failing aborts the publish.
/// * `#[reducer(client_connected)]` and `#[reducer(client_disconnected)]`: run as each client
///   connects and disconnects; `client_connected` failing refuses the connection.
/// * `#[reducer(name = "…")]`: the name clients call it by (default: the function's name).
/// * `#[reducer(update)]`: accepted, as in the official crate; a plain reducer.
///
/// A reducer named in a table's `scheduled(…)` takes the table's row as its one argument; see
/// [`ScheduleAt`].
///
/// Besides the function, the macro declares a type of the same name, which is how the reducer is
/// named in `scheduled(…)` and in tests (`db.call::<send_message>(…)`).
///
/// # Example
///
/// ```
/// use worldtube::{reducer, table, Identity, ReducerContext, Table};
///
/// #[table(name = online)]
/// pub struct Online {
///     #[primary_key]
///     identity: Identity,
/// }
///
/// #[table(name = message, public)]
/// pub struct Message {
///     sender: Identity,
///     text: String,
/// }
///
/// #[reducer(init)]
/// pub fn init(ctx: &ReducerContext) {
///     ctx.db.message().insert(Message { sender: ctx.sender, text: "Welcome!".into() });
/// }
///
/// #[reducer(client_connected)]
/// pub fn connect(ctx: &ReducerContext) {
///     ctx.db.online().insert(Online { identity: ctx.sender });
/// }
///
/// #[reducer(client_disconnected)]
/// pub fn disconnect(ctx: &ReducerContext) {
///     ctx.db.online().identity().delete(ctx.sender);
/// }
///
/// #[reducer(name = "say")]
/// pub fn send_message(ctx: &ReducerContext, text: String) -> Result<(), String> {
///     if text.trim().is_empty() {
///         return Err("say something".into());
///     }
///     ctx.db.message().insert(Message { sender: ctx.sender, text });
///     Ok(())
/// }
/// # use worldtube_testing::TestDb;
/// # let mut db = TestDb::new();
/// # assert_eq!(db.count("message"), 1);
/// # let alice = db.connect("alice");
/// # assert_eq!(db.count("online"), 1);
/// # db.call_json(&alice, "say", r#"["hi"]"#).assert_ok();
/// # db.call::<send_message>(&alice, (" ".to_string(),)).assert_err("say something");
/// # assert_eq!(db.count("message"), 2);
/// # db.disconnect(&alice).assert_ok();
/// # assert_eq!(db.count("online"), 0);
/// ```
pub use worldtube_macros::reducer;

/// Declares a procedure (SpacetimeDB 2.x, `features = ["v2"]`): a function clients call like a
/// reducer, which does not run in a transaction but may open its own, wait, and make HTTP
/// requests, and which returns a value to its caller.
///
/// It takes `&mut ProcedureContext` first, then named arguments of any `SpacetimeType`, and
/// returns any `SpacetimeType` (or nothing); the caller receives the return value's BSATN. A
/// `Result` is just a value here: an `Err` does not roll anything back. A panic fails the call.
/// Tables are read and written inside [`ProcedureContext::with_tx`] /
/// [`try_with_tx`](ProcedureContext::try_with_tx).
///
/// ```ignore
/// use spacetimedb::{procedure, ProcedureContext, Table};
///
/// #[procedure]
/// fn count_users(ctx: &mut ProcedureContext) -> u64 {
///     ctx.with_tx(|tx| tx.db.user().count())
/// }
/// ```
///
/// `name = "…"` gives the procedure a canonical name, as for 2.x reducers. A scheduled table may
/// name a procedure in `scheduled(...)`; it then takes the row as its one argument. In a 1.x crate
/// the attribute is an error that names the switch.
pub use worldtube_macros::procedure;

/// Declares a view (SpacetimeDB 2.x, `features = ["v2"]`): a read-only function whose result
/// clients subscribe to like a table's rows, kept up to date by the server.
///
/// `#[view(accessor = name, public)]` on a function taking `&ViewContext` (its result depends on
/// the caller, `ctx.sender()`) or `&AnonymousViewContext` (one result shared by every
/// caller), and nothing else, returning
///
/// * `Vec<T>` or `Option<T>`: rows it computes by reading `ctx.db` (read-only handles: row
///   counts and index lookups);
/// * `impl Query<T>`: a query built from `ctx.from` (see the `query_builder` module), which the server
///   runs and maintains itself;
///
/// with `T` a struct that is a `SpacetimeType` (a table's row type, or a derived one).
///
/// Options: `accessor = ident` (required; the view's name in the module), `public` (required:
/// the server has no private views yet), `primary_key = column` (the column that identifies a
/// row, so that clients see updates rather than deletes and inserts; a field of `T` whose type
/// can key an index), `name = "…"` (a canonical name, as for tables).
///
/// ```ignore
/// use spacetimedb::{table, view, AnonymousViewContext, Identity, Query, ViewContext};
///
/// #[table(accessor = player, public)]
/// pub struct Player {
///     #[primary_key]
///     identity: Identity,
///     #[index(btree)]
///     level: u32,
/// }
///
/// #[view(accessor = my_player, public, primary_key = identity)]
/// fn my_player(ctx: &ViewContext) -> Option<Player> {
///     ctx.db.player().identity().find(ctx.sender())
/// }
///
/// #[view(accessor = beginners, public)]
/// fn beginners(ctx: &AnonymousViewContext) -> impl Query<Player> {
///     ctx.from.player().r#where(|p| p.level.lt(5u32))
/// }
/// ```
///
/// In a 1.x crate the attribute is an error that names the switch.
pub use worldtube_macros::view;

/// Makes a module-wide setting (SpacetimeDB 2.x): on a `const` named after the setting.
///
/// The one setting is `CASE_CONVERSION_POLICY: CaseConversionPolicy`, how the server derives
/// canonical names (of tables, columns, functions, indexes) from the names in the code: by
/// default `SnakeCase`; `None` keeps them as written.
///
/// ```ignore
/// use spacetimedb::CaseConversionPolicy;
///
/// #[spacetimedb::settings]
/// const CASE_CONVERSION_POLICY: CaseConversionPolicy = CaseConversionPolicy::None;
/// ```
///
/// In a 1.x crate the attribute is an error that names the switch.
pub use worldtube_macros::settings;

/// How a 2.x server derives canonical names from source names (see [`settings`](macro@settings)).
#[cfg(feature = "v2")]
pub use worldtube_lib::raw_def::v10::CaseConversionPolicy;

/// Derives [`SpacetimeType`](trait@SpacetimeType) and BSATN ([`Serialize`](trait@Serialize),
/// [`Deserialize`](trait@Deserialize)), so a struct or an enum can be a column, a reducer
/// argument, or a field of one.
///
/// It accepts structs with named fields, unit structs, and enums whose variants are unit or have
/// exactly one unnamed field; not generic types. Every field must itself be a `SpacetimeType`.
/// `#[sats(name = "Game.Order")]` sets the type's name in the module definition (and so in
/// clients' generated code); by default it is the Rust name.
///
/// An enum whose variants all have no payload can also key indexes (btree and direct) and be
/// looked up by, like an integer.
///
/// Row structs of [`#[table]`](macro@table) get all this from the table macro; do not derive it
/// on them.
///
/// ```
/// use worldtube::{reducer, table, ReducerContext, SpacetimeType, Table};
///
/// #[derive(SpacetimeType, Clone, Copy, Debug, PartialEq)]
/// pub struct Vec2 {
///     x: f32,
///     y: f32,
/// }
///
/// #[derive(SpacetimeType, Clone, Copy, Debug, PartialEq)]
/// pub enum Team {
///     Red,
///     Blue,
/// }
///
/// #[derive(SpacetimeType, Clone, Debug, PartialEq)]
/// #[sats(name = "Game.Order")]
/// pub enum Order {
///     Hold,
///     MoveTo(Vec2),
///     Say(String),
/// }
///
/// #[table(name = unit)]
/// pub struct Unit {
///     #[primary_key]
///     #[auto_inc]
///     id: u64,
///     #[index(btree)]
///     team: Team,
///     pos: Vec2,
///     order: Order,
/// }
///
/// #[reducer]
/// pub fn spawn(ctx: &ReducerContext, team: Team, pos: Vec2) {
///     ctx.db.unit().insert(Unit { id: 0, team, pos, order: Order::Hold });
/// }
///
/// #[reducer]
/// pub fn rally(ctx: &ReducerContext, team: Team, to: Vec2) {
///     for unit in ctx.db.unit().team().filter(team) {
///         ctx.db.unit().id().update(Unit { order: Order::MoveTo(to), ..unit });
///     }
/// }
/// # use worldtube_testing::TestDb;
/// # let mut db = TestDb::new();
/// # let me = TestDb::identity("me");
/// # db.call::<spawn>(me, (Team::Red, Vec2 { x: 0.0, y: 0.0 })).assert_ok();
/// # db.call::<spawn>(me, (Team::Blue, Vec2 { x: 9.0, y: 9.0 })).assert_ok();
/// # db.call::<rally>(me, (Team::Blue, Vec2 { x: 5.0, y: 5.0 })).assert_ok();
/// # let orders = db.read(|ctx| ctx.db.unit().iter().map(|u| (u.team, u.order)).collect::<Vec<_>>());
/// # assert!(orders.contains(&(Team::Red, Order::Hold)));
/// # assert!(orders.contains(&(Team::Blue, Order::MoveTo(Vec2 { x: 5.0, y: 5.0 }))));
/// # assert_eq!(worldtube::bsatn::to_vec(&Order::MoveTo(Vec2 { x: 0.0, y: 0.0 })), [1, 0, 0, 0, 0, 0, 0, 0, 0]);
/// ```
pub use worldtube_macros::SpacetimeType;

/// Derives only the BSATN encoding, [`Serialize`](trait@Serialize). Most types want
/// [`#[derive(SpacetimeType)]`](derive@SpacetimeType), which includes it.
///
/// ```
/// use worldtube::{bsatn, Serialize};
///
/// #[derive(Serialize)]
/// struct Hit {
///     damage: u16,
///     critical: bool,
/// }
///
/// assert_eq!(bsatn::to_vec(&Hit { damage: 300, critical: true }), [44, 1, 1]);
/// ```
pub use worldtube_macros::Serialize;

/// Derives only the BSATN decoding, [`Deserialize`](trait@Deserialize). Most types want
/// [`#[derive(SpacetimeType)]`](derive@SpacetimeType), which includes it.
///
/// ```
/// use worldtube::{bsatn, Deserialize};
///
/// #[derive(Deserialize, Debug, PartialEq)]
/// struct Hit {
///     damage: u16,
///     critical: bool,
/// }
///
/// let hit: Hit = bsatn::from_slice(&[44, 1, 1]).unwrap();
/// assert_eq!(hit, Hit { damage: 300, critical: true });
/// ```
pub use worldtube_macros::Deserialize;

/// A [`Duration`](std::time::Duration) written in humantime syntax, checked at compile time and
/// usable in `const`s.
///
/// Takes a string (`"1h 30m"`, `"1.5s"`) or a suffixed integer literal (`250ms`). Units, with
/// their long forms and plurals: `ns`, `us`/`µs`, `ms`, `s`/`sec`, `m`/`min`, `h`/`hr`, `d`/`day`,
/// `w`/`week`, `M`/`month` (30.44 days) and `y`/`year` (365.25 days); note `m` is minutes, `M`
/// months. Durations convert into [`ScheduleAt`] intervals, and add to [`Timestamp`]s.
///
/// ```
/// use std::time::Duration;
/// use worldtube::{duration, ScheduleAt, TimeDuration};
///
/// const RESPAWN: Duration = duration!(250ms);
/// assert_eq!(RESPAWN, Duration::from_millis(250));
/// assert_eq!(duration!("1h 30m"), Duration::from_secs(90 * 60));
/// assert_eq!(duration!(2d), Duration::from_secs(2 * 24 * 3600));
/// assert_eq!(duration!("1.5s"), Duration::from_millis(1500));
///
/// let every_5s: ScheduleAt = duration!(5s).into();
/// assert_eq!(every_5s, ScheduleAt::Interval(TimeDuration::from_micros(5_000_000)));
/// ```
///
/// A malformed duration does not compile:
///
/// ```compile_fail
/// let _ = worldtube::duration!("5 parsecs");
/// ```
pub use worldtube_macros::duration;
pub use worldtube_sys::{Errno, TableId};

#[cfg(feature = "unstable")]
pub use client_visibility_filter::Filter;

/// The raw host calls, for the rare module that needs them.
pub use worldtube_sys as sys;

/// The data layer — BSATN, the algebraic type model, the special types and the module definition
/// — under the path the official crate gives it (`spacetimedb::sats::…`): everything of
/// [`worldtube_lib`], with a [`bsatn`](sats::bsatn) whose functions have the official signatures.
pub mod sats {
    pub use worldtube_lib::*;

    /// The module definition under its official path, `spacetimedb_lib::db::raw_def`.
    pub mod db {
        /// The raw module definition types (the same as [`worldtube_lib::raw_def`]).
        pub mod raw_def {
            pub use worldtube_lib::raw_def::*;

            /// The V9 definition types, as `spacetimedb_lib::db::raw_def::v9::…` names them
            /// (e.g. `TableAccess`, which a module can compare with a table's access).
            pub mod v9 {
                pub use worldtube_lib::raw_def::*;
            }
        }
    }

    /// BSATN with the official crate's signatures: [`to_vec`](bsatn::to_vec) returns a `Result` (encoding cannot
    /// fail here, but code written as `bsatn::to_vec(&x).unwrap()` or with `?` compiles unchanged).
    /// Everything else is [`worldtube_lib::bsatn`].
    pub mod bsatn {
        pub use worldtube_lib::bsatn::*;

        /// Encodes `value` as BSATN; never fails (see [`EncodeError`]).
        ///
        /// ```
        /// let bytes = worldtube::sats::bsatn::to_vec(&7u16).unwrap();
        /// assert_eq!(bytes, [7, 0]);
        /// ```
        pub fn to_vec<T: Encode + ?Sized>(value: &T) -> Result<Vec<u8>, EncodeError> {
            Ok(worldtube_lib::bsatn::to_vec(value))
        }

        /// Appends the BSATN of `value` to `out`; never fails (see [`EncodeError`]).
        pub fn to_writer<T: Encode + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), EncodeError> {
            worldtube_lib::bsatn::to_writer(out, value);
            Ok(())
        }

        /// The error of BSATN encoding, which has no values: encoding into memory cannot fail. It
        /// exists so that code written against the official signatures compiles.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum EncodeError {}

        impl std::fmt::Display for EncodeError {
            fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match *self {}
            }
        }
        impl std::error::Error for EncodeError {}
    }
}
/// The data layer under its other official name (`spacetimedb::spacetimedb_lib::…`); the same
/// as [`sats`].
pub use sats as spacetimedb_lib;

/// BSATN, SpacetimeDB's binary encoding.
pub use worldtube_lib::bsatn;

/// The `log` crate, whose macros write to the database log.
///
/// The module installs its logger before any reducer runs: every record, down to `trace`, goes
/// to the host with its level, target, file and line, and a panic's message is logged too. On
/// a server, `spacetime logs` shows them.
///
/// ```
/// use worldtube::{reducer, ReducerContext};
///
/// #[reducer]
/// pub fn open_door(_ctx: &ReducerContext, door: u32) {
///     log::info!("door {door} opened");
///     log::warn!("it creaks");
/// }
/// # let mut db = worldtube_testing::TestDb::new();
/// # let outcome = db.call::<open_door>(worldtube_testing::TestDb::identity("me"), (7,));
/// # assert!(outcome.logged("door 7 opened") && outcome.logged("it creaks"));
/// # assert_eq!(outcome.logs()[1].level, worldtube_testing::LogLevel::Warn);
/// ```
pub use log;
/// The `rand` crate (0.8), for the traits that [`ReducerContext::rng`] is used through
/// (`use spacetimedb::rand::Rng;`).
#[cfg(feature = "rand")]
pub use rand;

/// What a reducer may return: `Ok(())` or an error message. Any `Result<(), E>` with
/// `E: Display` works as well; this is the official crate's name for the plain one.
///
/// ```
/// use worldtube::{reducer, ReducerContext, ReducerResult};
///
/// #[reducer]
/// pub fn withdraw(_ctx: &ReducerContext, amount: u64) -> ReducerResult {
///     if amount > 100 {
///         return Err(format!("cannot withdraw {amount} at once").into());
///     }
///     Ok(())
/// }
/// # let mut db = worldtube_testing::TestDb::new();
/// # let me = worldtube_testing::TestDb::identity("me");
/// # db.call::<withdraw>(me, (50,)).assert_ok();
/// # assert_eq!(db.call::<withdraw>(me, (500,)).error(), Some("cannot withdraw 500 at once"));
/// ```
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
/// `volatile_nonatomic_schedule_immediate!(my_reducer(arg1, arg2))` (feature `unstable`).
///
/// The call is queued even if the current reducer later fails, and is lost if the server stops
/// first. The queued call runs as the database itself.
///
/// ```
/// use worldtube::{reducer, table, volatile_nonatomic_schedule_immediate, ReducerContext, Table};
///
/// #[table(name = event)]
/// pub struct Event {
///     text: String,
/// }
///
/// #[reducer]
/// pub fn record(ctx: &ReducerContext, text: String) {
///     ctx.db.event().insert(Event { text });
/// }
///
/// #[reducer]
/// pub fn trigger(_ctx: &ReducerContext) {
///     volatile_nonatomic_schedule_immediate!(record("triggered".to_string()));
/// }
/// # let mut db = worldtube_testing::TestDb::new();
/// # db.call::<trigger>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
/// # db.run_scheduled();
/// # assert_eq!(db.count("event"), 1);
/// ```
#[cfg(feature = "unstable")]
#[macro_export]
macro_rules! volatile_nonatomic_schedule_immediate {
    ($($reducer:ident)::+ ($($arg:expr),* $(,)?)) => {{
        let __args = ($($arg,)*);
        $crate::__private::schedule_immediate::<$($reducer)::+, _>(&__args)
    }};
}
