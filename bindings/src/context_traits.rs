//! The capabilities of the contexts as traits (2.x, feature `v2`), for code generic over the
//! context it is given: a helper that only reads the database takes `&impl CtxDbRead` and works
//! from a reducer, a procedure's transaction or a view alike.
//!
//! ```no_run
//! use worldtube::{CtxWithSender, CtxWithTimestamp, Identity, Timestamp};
//!
//! fn stamp(ctx: &(impl CtxWithSender + CtxWithTimestamp)) -> (Identity, Timestamp) {
//!     (ctx.sender(), ctx.timestamp())
//! }
//! ```

use crate::http::HttpClient;
use crate::{
    AnonymousViewContext, AuthCtx, Identity, Local, LocalReadOnly, ProcedureContext, ReducerContext, Timestamp,
    TxContext, ViewContext,
};

/// Contexts that can read the database: reducers, procedures' transactions, views.
pub trait CtxDbRead {
    /// The tables, read only.
    fn db_read_only(&self) -> &LocalReadOnly;
}

/// Contexts that can also write the database: reducers and procedures' transactions.
pub trait CtxDbWrite: CtxDbRead {
    /// The tables.
    fn db(&self) -> &Local;
}

/// Contexts that know who called: reducers, procedures (and their transactions), per-caller views.
pub trait CtxWithSender {
    /// The caller's identity.
    fn sender(&self) -> Identity;
}

/// Contexts that know the time of the call: reducers, procedures and their transactions (and,
/// with `unstable`, HTTP handlers).
pub trait CtxWithTimestamp {
    /// When the call happens.
    fn timestamp(&self) -> Timestamp;
}

/// Contexts that know how the caller authenticated: reducers and procedures' transactions.
pub trait CtxWithSenderAuth {
    /// The caller's authentication: internal, or a token's claims.
    fn sender_auth(&self) -> &AuthCtx;
}

/// Contexts that open their own transactions: procedures (and, with `unstable`, HTTP handlers).
pub trait CtxWithTxManagement {
    /// Runs `body` in a new transaction and commits it.
    fn with_tx<T>(&mut self, body: impl Fn(&TxContext) -> T) -> T;
    /// Runs `body` in a new transaction, committed on `Ok` and rolled back on `Err`.
    fn try_with_tx<T, E>(&mut self, body: impl Fn(&TxContext) -> Result<T, E>) -> Result<T, E>;
}

/// Contexts with a seeded random number generator: reducers, procedures and their transactions.
#[cfg(feature = "rand")]
pub trait CtxWithRng {
    /// The generator.
    fn rng(&self) -> &crate::StdbRng;
    /// A random value.
    fn random<T>(&self) -> T
    where
        crate::rand::distributions::Standard: crate::rand::distributions::Distribution<T>;
}

/// Contexts that can make HTTP requests: procedures (and, with `unstable`, HTTP handlers).
pub trait CtxWithHttp {
    /// The HTTP client.
    fn http(&self) -> &HttpClient;
}

/// `impl CtxDbRead for ...` for contexts whose read-only database is a fresh handle.
macro_rules! read_only_db {
    ($($ctx:ty),*) => {$(
        impl CtxDbRead for $ctx {
            fn db_read_only(&self) -> &LocalReadOnly {
                &LocalReadOnly {}
            }
        }
    )*};
}
read_only_db!(ReducerContext, TxContext, ViewContext, AnonymousViewContext);

impl CtxDbWrite for ReducerContext {
    fn db(&self) -> &Local {
        &self.db
    }
}

impl CtxDbWrite for TxContext {
    fn db(&self) -> &Local {
        &self.db
    }
}

impl CtxWithSender for ReducerContext {
    fn sender(&self) -> Identity {
        self.sender
    }
}

impl CtxWithSender for TxContext {
    fn sender(&self) -> Identity {
        self.sender
    }
}

impl CtxWithSender for ProcedureContext {
    fn sender(&self) -> Identity {
        ProcedureContext::sender(self)
    }
}

impl CtxWithSender for ViewContext {
    fn sender(&self) -> Identity {
        ViewContext::sender(self)
    }
}

impl CtxWithTimestamp for ReducerContext {
    fn timestamp(&self) -> Timestamp {
        self.timestamp
    }
}

impl CtxWithTimestamp for TxContext {
    fn timestamp(&self) -> Timestamp {
        self.timestamp
    }
}

impl CtxWithTimestamp for ProcedureContext {
    fn timestamp(&self) -> Timestamp {
        self.timestamp
    }
}

#[cfg(feature = "unstable")]
impl CtxWithTimestamp for crate::http::HandlerContext {
    fn timestamp(&self) -> Timestamp {
        self.timestamp
    }
}

impl CtxWithSenderAuth for ReducerContext {
    fn sender_auth(&self) -> &AuthCtx {
        ReducerContext::sender_auth(self)
    }
}

impl CtxWithSenderAuth for TxContext {
    fn sender_auth(&self) -> &AuthCtx {
        ReducerContext::sender_auth(self)
    }
}

impl CtxWithTxManagement for ProcedureContext {
    fn with_tx<T>(&mut self, body: impl Fn(&TxContext) -> T) -> T {
        ProcedureContext::with_tx(self, body)
    }
    fn try_with_tx<T, E>(&mut self, body: impl Fn(&TxContext) -> Result<T, E>) -> Result<T, E> {
        ProcedureContext::try_with_tx(self, body)
    }
}

#[cfg(feature = "unstable")]
impl CtxWithTxManagement for crate::http::HandlerContext {
    fn with_tx<T>(&mut self, body: impl Fn(&TxContext) -> T) -> T {
        crate::http::HandlerContext::with_tx(self, body)
    }
    fn try_with_tx<T, E>(&mut self, body: impl Fn(&TxContext) -> Result<T, E>) -> Result<T, E> {
        crate::http::HandlerContext::try_with_tx(self, body)
    }
}

/// `impl CtxWithRng for ...` for contexts with `rng()` and `random()` of their own.
#[cfg(feature = "rand")]
macro_rules! with_rng {
    ($($ctx:ty),*) => {$(
        impl CtxWithRng for $ctx {
            fn rng(&self) -> &crate::StdbRng {
                <$ctx>::rng(self)
            }
            fn random<T>(&self) -> T
            where
                crate::rand::distributions::Standard: crate::rand::distributions::Distribution<T>,
            {
                <$ctx>::random(self)
            }
        }
    )*};
}
#[cfg(feature = "rand")]
with_rng!(ReducerContext, ProcedureContext);

#[cfg(feature = "rand")]
impl CtxWithRng for TxContext {
    fn rng(&self) -> &crate::StdbRng {
        ReducerContext::rng(self)
    }
    fn random<T>(&self) -> T
    where
        crate::rand::distributions::Standard: crate::rand::distributions::Distribution<T>,
    {
        ReducerContext::random(self)
    }
}

impl CtxWithHttp for ProcedureContext {
    fn http(&self) -> &HttpClient {
        &self.http
    }
}

#[cfg(feature = "unstable")]
impl CtxWithHttp for crate::http::HandlerContext {
    fn http(&self) -> &HttpClient {
        &self.http
    }
}
