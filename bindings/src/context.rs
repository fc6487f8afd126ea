//! The reducer context and the database view it carries.

use crate::{ConnectionId, Identity, Timestamp};

/// The database as a reducer sees it: each table adds a method named after it (through a trait
/// the `#[table]` macro generates), so `ctx.db.player()` is the `player` table.
#[non_exhaustive]
#[derive(Debug, Default, Clone, Copy)]
pub struct Local {}

/// Everything a reducer knows about its call.
#[non_exhaustive]
pub struct ReducerContext {
    /// Who called: the client's identity, or the database's own for scheduled reducers and the
    /// owner's for `init`.
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
        }
    }

    /// A placeholder context (zero identity, epoch, no connection).
    #[doc(hidden)]
    pub fn __dummy() -> Self {
        Self::__new(Identity::ZERO, None, Timestamp::UNIX_EPOCH)
    }

    /// The identity of this database (module).
    pub fn identity(&self) -> Identity {
        Identity::from_byte_array(crate::sys::identity())
    }
}

/// Something that carries a view of the database.
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
