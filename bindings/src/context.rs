//! The reducer context and the database view it carries.

use crate::{ConnectionId, Identity, Timestamp};

/// The database as a reducer sees it: each table adds a method named after it (through a trait
/// the `#[table]` macro generates), so `ctx.db.player()` is the `player` table.
///
/// The methods are those of a trait named after the table, which the `#[table]` macro declares
/// next to the row struct: a module split into several files imports it with the struct
/// (`use crate::player::{player, Player};`) to write `ctx.db.player()`.
#[non_exhaustive]
#[derive(Debug, Default, Clone, Copy)]
pub struct Local {}

/// Everything a reducer knows about its call: who made it, when, over which connection, and the
/// database it runs against. Every `#[reducer]` takes `&ReducerContext` as its first parameter.
///
/// A reducer runs in a sandbox without a clock, network or OS randomness:
/// [`timestamp`](Self::timestamp) is its clock, and `ctx.rng()` (seeded from that timestamp;
/// default `rand` feature) its source of randomness.
///
/// ```
/// use worldtube::{reducer, table, ConnectionId, Identity, ReducerContext, Table, Timestamp};
///
/// #[table(name = visit)]
/// pub struct Visit {
///     visitor: Identity,
///     at: Timestamp,
///     connection: Option<ConnectionId>,
/// }
///
/// #[reducer]
/// pub fn check_in(ctx: &ReducerContext) {
///     ctx.db.visit().insert(Visit { visitor: ctx.sender, at: ctx.timestamp, connection: ctx.connection_id });
/// }
/// # use worldtube_testing::TestDb;
/// # let mut db = TestDb::new();
/// # let alice = db.connect("alice");
/// # let outcome = db.call::<check_in>(&alice, ());
/// # outcome.assert_ok();
/// # let visit = db.read(|ctx| ctx.db.visit().iter().next().unwrap());
/// # assert_eq!(visit.visitor, alice.identity());
/// # assert_eq!(visit.at, outcome.timestamp());
/// # assert_eq!(visit.connection, Some(alice.connection_id()));
/// ```
#[non_exhaustive]
pub struct ReducerContext {
    /// Who called: the client's identity, or the database's own for scheduled reducers and the
    /// owner's for `init`. Compare it with [`identity`](Self::identity) to tell scheduled calls
    /// from client calls.
    pub sender: Identity,
    /// When the call happens. Modules have no clock; this is the time to use.
    pub timestamp: Timestamp,
    /// The caller's connection, if the call came from a connected client (`None` for `init`,
    /// scheduled reducers and HTTP calls without one).
    pub connection_id: Option<ConnectionId>,
    /// The database.
    pub db: Local,
    #[cfg(feature = "rand")]
    pub(crate) rng: std::cell::OnceCell<crate::StdbRng>,
    /// The counter behind `new_uuid_v7`, from 0 for each call.
    #[cfg(feature = "rand")]
    pub(crate) counter_uuid: std::cell::Cell<u32>,
    /// How the caller authenticated (2.x).
    #[cfg(feature = "v2")]
    sender_auth: crate::AuthCtx,
}

impl std::fmt::Debug for ReducerContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReducerContext")
            .field("sender", &self.sender)
            .field("timestamp", &self.timestamp)
            .field("connection_id", &self.connection_id)
            .finish_non_exhaustive()
    }
}

impl ReducerContext {
    /// A context for a call by `sender` at `timestamp`.
    #[doc(hidden)]
    pub fn __new(sender: Identity, connection_id: Option<ConnectionId>, timestamp: Timestamp) -> Self {
        Self {
            sender,
            timestamp,
            connection_id,
            db: Local {},
            #[cfg(feature = "rand")]
            rng: std::cell::OnceCell::new(),
            #[cfg(feature = "rand")]
            counter_uuid: std::cell::Cell::new(0),
            #[cfg(feature = "v2")]
            sender_auth: crate::AuthCtx::from_connection_id_opt(connection_id),
        }
    }

    /// How the caller authenticated (2.x): whether the database itself made the call, and the
    /// claims of the caller's token (read from the host on first use).
    #[cfg(feature = "v2")]
    pub fn sender_auth(&self) -> &crate::AuthCtx {
        &self.sender_auth
    }

    /// A placeholder context (zero identity, epoch, no connection).
    #[doc(hidden)]
    pub fn __dummy() -> Self {
        Self::__new(Identity::ZERO, None, Timestamp::UNIX_EPOCH)
    }

    /// The identity of this database (module): the [`sender`](Self::sender) of the reducers
    /// the scheduler runs. A reducer meant only for the scheduler checks it, since clients may
    /// call any reducer.
    ///
    /// ```
    /// use worldtube::{reducer, ReducerContext};
    ///
    /// #[reducer]
    /// pub fn maintenance(ctx: &ReducerContext) -> Result<(), String> {
    ///     if ctx.sender != ctx.identity() {
    ///         return Err("only the scheduler runs maintenance".into());
    ///     }
    ///     Ok(())
    /// }
    /// # use worldtube_testing::{TestDb, DATABASE};
    /// # let mut db = TestDb::new();
    /// # db.call::<maintenance>(TestDb::identity("mallory"), ()).assert_err("only the scheduler");
    /// # db.call::<maintenance>(TestDb::identity(DATABASE), ()).assert_ok();
    /// # assert_eq!(db.read(|ctx| ctx.identity()), TestDb::identity(DATABASE));
    /// ```
    pub fn identity(&self) -> Identity {
        Identity::from_byte_array(crate::sys::identity())
    }

    /// The identity of the caller: the 2.x spelling of the [`sender`](Self::sender) field (both
    /// work, whichever API generation the module is written for).
    ///
    /// ```
    /// use worldtube::{reducer, ReducerContext};
    ///
    /// #[reducer]
    /// pub fn whoami(ctx: &ReducerContext) {
    ///     assert_eq!(ctx.sender(), ctx.sender);
    ///     assert_eq!(ctx.connection_id(), ctx.connection_id);
    ///     assert_eq!(ctx.database_identity(), ctx.identity());
    /// }
    /// # let mut db = worldtube_testing::TestDb::new();
    /// # db.call::<whoami>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
    /// ```
    #[inline]
    pub fn sender(&self) -> Identity {
        self.sender
    }

    /// The caller's connection, if any (`None` for `init` and scheduled reducers): the 2.x
    /// spelling of the [`connection_id`](Self::connection_id) field.
    #[inline]
    pub fn connection_id(&self) -> Option<ConnectionId> {
        self.connection_id
    }

    /// The identity of this database: the 2.x name of [`identity`](Self::identity).
    #[inline]
    pub fn database_identity(&self) -> Identity {
        self.identity()
    }
}

/// Read-only contexts (2.x, feature `v2`), to call a view's function from a reducer.
#[cfg(feature = "v2")]
impl ReducerContext {
    /// A view context for this reducer's caller: the database read only, as a per-sender view
    /// sees it.
    pub fn as_read_only(&self) -> crate::ViewContext {
        crate::ViewContext::new(self.sender)
    }

    /// An anonymous view context: the database read only, as an anonymous view sees it.
    pub fn as_anonymous_read_only(&self) -> crate::AnonymousViewContext {
        crate::AnonymousViewContext::default()
    }
}

/// Something that carries a view of the database, for helpers that only need `db`.
///
/// [`ReducerContext`] implements it with [`Local`] as its view; a helper taking
/// `&impl DbContext<DbView = Local>` reads and writes tables through `ctx.db()`.
///
/// ```
/// use worldtube::{reducer, table, DbContext, Local, ReducerContext, Table};
///
/// #[table(name = purse)]
/// pub struct Purse {
///     #[primary_key]
///     owner: String,
///     gold: u64,
/// }
///
/// fn total_gold(ctx: &impl DbContext<DbView = Local>) -> u64 {
///     ctx.db().purse().iter().map(|p| p.gold).sum()
/// }
///
/// #[reducer]
/// pub fn audit(ctx: &ReducerContext) -> Result<(), String> {
///     ctx.db.purse().insert(Purse { owner: "ana".into(), gold: 30 });
///     ctx.db.purse().insert(Purse { owner: "bo".into(), gold: 12 });
///     match total_gold(ctx) {
///         42 => Ok(()),
///         total => Err(format!("{total} gold in circulation")),
///     }
/// }
/// # let mut db = worldtube_testing::TestDb::new();
/// # db.call::<audit>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
/// ```
pub trait DbContext {
    /// The view: [`Local`] for reducers.
    type DbView;
    /// The database.
    fn db(&self) -> &Self::DbView;
}

impl DbContext for ReducerContext {
    type DbView = Local;
    fn db(&self) -> &Local {
        &self.db
    }
}
