//! Procedures (SpacetimeDB 2.x): functions that run outside a transaction, open their own with
//! [`ProcedureContext::with_tx`], may wait ([`ProcedureContext::sleep_until`]) and reach the
//! network (`ctx.http`, feature `v2`), and return a value to their caller.

use crate::{ConnectionId, Identity, ReducerContext, Timestamp};
use std::ops::Deref;

/// Everything a procedure knows about its call, and what it may do besides computing: open
/// transactions, sleep, make HTTP requests. Every `#[procedure]` takes `&mut ProcedureContext`
/// as its first parameter.
///
/// Unlike a reducer, a procedure does not run in a transaction: it reads and writes tables only
/// inside [`with_tx`](Self::with_tx) / [`try_with_tx`](Self::try_with_tx), each a transaction of
/// its own, and must not hold one open across a blocking call.
///
/// ```no_run
/// use worldtube::{ProcedureContext, Table, TxContext};
/// # use worldtube::table;
/// # #[table(name = counter)] pub struct Counter { #[primary_key] id: u32, n: u64 }
///
/// // What a `#[procedure] fn bump(ctx: &mut ProcedureContext) -> u64` of a 2.x crate would do:
/// fn bump(ctx: &mut ProcedureContext) -> u64 {
///     let n = ctx.with_tx(|tx: &TxContext| {
///         let n = tx.db.counter().id().find(0).map_or(0, |c| c.n) + 1;
///         tx.db.counter().id().delete(0);
///         tx.db.counter().insert(Counter { id: 0, n });
///         n
///     });
///     log::info!("{} bumped the counter to {n} at {}", ctx.sender(), ctx.timestamp);
///     n
/// }
/// ```
#[non_exhaustive]
pub struct ProcedureContext {
    sender: Identity,
    connection_id: Option<ConnectionId>,
    /// When the procedure was called; [`sleep_until`](Self::sleep_until) moves it to the time it
    /// woke up. (Each transaction has its own time: [`TxContext`]'s `timestamp`.)
    pub timestamp: Timestamp,
    /// The HTTP client: `ctx.http.get(uri)`, `ctx.http.send(request)`.
    #[cfg(feature = "v2")]
    pub http: crate::http::HttpClient,
    #[cfg(feature = "rand")]
    rng: std::cell::OnceCell<crate::StdbRng>,
    #[cfg(feature = "rand")]
    counter_uuid: std::cell::Cell<u32>,
}

impl std::fmt::Debug for ProcedureContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcedureContext")
            .field("sender", &self.sender)
            .field("connection_id", &self.connection_id)
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

impl ProcedureContext {
    /// A context for a call by `sender` over `connection_id` at `timestamp`.
    #[doc(hidden)]
    pub fn __new(sender: Identity, connection_id: Option<ConnectionId>, timestamp: Timestamp) -> Self {
        Self {
            sender,
            connection_id,
            timestamp,
            #[cfg(feature = "v2")]
            http: crate::http::HttpClient::new(),
            #[cfg(feature = "rand")]
            rng: std::cell::OnceCell::new(),
            #[cfg(feature = "rand")]
            counter_uuid: std::cell::Cell::new(0),
        }
    }

    /// Who called the procedure (for a scheduled procedure, the database itself).
    pub fn sender(&self) -> Identity {
        self.sender
    }

    /// The caller's connection, if the call came over one.
    pub fn connection_id(&self) -> Option<ConnectionId> {
        self.connection_id
    }

    /// The identity of this database.
    pub fn database_identity(&self) -> Identity {
        Identity::from_byte_array(crate::sys::identity())
    }

    /// The identity of this database: the older name of
    /// [`database_identity`](Self::database_identity), deprecated as officially.
    #[deprecated(note = "use `ProcedureContext::database_identity`")]
    pub fn identity(&self) -> Identity {
        self.database_identity()
    }

    /// Waits until about `timestamp` (at once if it has passed) and sets
    /// [`timestamp`](Self::timestamp) to the time the procedure woke up. Not inside a transaction.
    pub fn sleep_until(&mut self, timestamp: Timestamp) {
        let woke = crate::sys::procedure_sleep_until(timestamp.to_micros_since_unix_epoch());
        self.timestamp = Timestamp::from_micros_since_unix_epoch(woke);
    }

    /// Runs `body` in a new transaction and commits it, returning what `body` returned.
    ///
    /// If the commit fails, `body` runs once more in a fresh transaction (so it must be a `Fn`,
    /// free of side effects outside the database), and that commit must succeed. If `body`
    /// panics, the transaction is rolled back.
    pub fn with_tx<T>(&mut self, body: impl Fn(&TxContext) -> T) -> T {
        match self.try_with_tx(|tx| Ok::<T, std::convert::Infallible>(body(tx))) {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// Runs `body` in a new transaction: commits it when `body` returns `Ok`, rolls it back when
    /// it returns `Err` (or panics), and returns `body`'s result. A failed commit is retried once,
    /// as in [`with_tx`](Self::with_tx).
    pub fn try_with_tx<T, E>(&mut self, body: impl Fn(&TxContext) -> Result<T, E>) -> Result<T, E> {
        // Only running `body` is generic; starting, committing and retrying are compiled once.
        let result = self.run_in_tx(&body);
        if result.is_err() {
            abort();
            return result;
        }
        if commit_first() {
            return result;
        }
        let result = self.run_in_tx(&body);
        finish_retry(result.is_ok());
        result
    }

    /// Runs `body` in a new transaction, rolling it back if `body` panics.
    #[inline(never)]
    fn run_in_tx<R>(&self, body: &impl Fn(&TxContext) -> R) -> R {
        let tx = self.start_tx();
        let guard = AbortOnDrop;
        let result = body(&tx);
        std::mem::forget(guard);
        result
    }

    /// Starts a transaction, and the context the body sees in it.
    fn start_tx(&self) -> TxContext {
        let started = crate::sys::procedure_start_mut_tx()
            .expect("a procedure's transaction cannot start while another one is open");
        TxContext(ReducerContext::__new(
            self.sender,
            self.connection_id,
            Timestamp::from_micros_since_unix_epoch(started),
        ))
    }
}

/// Commits the transaction after the body's first run: `true` if it committed, `false` (with a
/// warning in the log) if it must run once more.
fn commit_first() -> bool {
    if crate::sys::procedure_commit_mut_tx().is_ok() {
        return true;
    }
    log::warn!("committing the procedure's transaction failed; running it once more");
    false
}

/// Ends the transaction of the body's second run: commits it if the body succeeded, rolls it
/// back if not.
fn finish_retry(ok: bool) {
    if ok {
        crate::sys::procedure_commit_mut_tx().expect("the procedure's transaction failed to commit twice");
    } else {
        abort();
    }
}

/// Rolls back the procedure's open transaction.
fn abort() {
    crate::sys::procedure_abort_mut_tx().expect("a transaction opened by the procedure is open");
}

/// Rolls the transaction back when the body panics (natively, where panics unwind).
struct AbortOnDrop;
impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        abort();
    }
}

#[cfg(feature = "rand")]
impl ProcedureContext {
    /// A random value, e.g. `ctx.random::<u32>()`, from [`rng`](Self::rng).
    pub fn random<T>(&self) -> T
    where
        crate::rand::distributions::Standard: crate::rand::distributions::Distribution<T>,
    {
        use crate::rand::distributions::Distribution;
        crate::rand::distributions::Standard.sample(&mut self.rng())
    }

    /// The procedure's random number generator: seeded, on first use, from
    /// [`timestamp`](Self::timestamp), as [`ReducerContext::rng`].
    pub fn rng(&self) -> &crate::StdbRng {
        self.rng.get_or_init(|| crate::StdbRng::seed_from_timestamp(self.timestamp))
    }

    /// A new random (version 4) [`Uuid`](crate::Uuid), as [`ReducerContext::new_uuid_v4`].
    pub fn new_uuid_v4(&self) -> Result<crate::Uuid, std::convert::Infallible> {
        use crate::rand::RngCore;
        let mut bytes = [0u8; 16];
        self.rng().fill_bytes(&mut bytes);
        Ok(crate::Uuid::from_random_bytes_v4(bytes))
    }

    /// A new time-ordered (version 7) [`Uuid`](crate::Uuid) from [`timestamp`](Self::timestamp),
    /// a per-call counter and [`rng`](Self::rng), as [`ReducerContext::new_uuid_v7`].
    pub fn new_uuid_v7(&self) -> Result<crate::Uuid, std::convert::Infallible> {
        use crate::rand::RngCore;
        let mut random_bytes = [0u8; 4];
        self.rng().fill_bytes(&mut random_bytes);
        crate::Uuid::from_counter_v7(&self.counter_uuid, self.timestamp, &random_bytes)
    }
}

/// A transaction opened by a procedure ([`ProcedureContext::with_tx`]): everything a reducer's
/// context offers (it dereferences to a [`ReducerContext`]: `tx.db`, `tx.sender()`,
/// `tx.timestamp`, `tx.rng()`), with the transaction's own timestamp.
pub struct TxContext(ReducerContext);

impl std::fmt::Debug for TxContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TxContext").field(&self.0).finish()
    }
}

impl Deref for TxContext {
    type Target = ReducerContext;
    fn deref(&self) -> &ReducerContext {
        &self.0
    }
}

impl AsRef<ReducerContext> for TxContext {
    fn as_ref(&self) -> &ReducerContext {
        &self.0
    }
}

/// What a procedure may return: any [`SpacetimeType`](crate::SpacetimeType) that encodes; the
/// caller receives its BSATN.
#[diagnostic::on_unimplemented(
    message = "a procedure cannot return `{Self}`: its return type must be a `SpacetimeType`",
    label = "not a SpacetimeType",
    note = "derive it: `#[derive(SpacetimeType)]`"
)]
pub trait IntoProcedureResult: crate::SpacetimeType + crate::Serialize {
    /// The BSATN the caller receives.
    fn to_result(&self) -> Vec<u8> {
        worldtube_lib::bsatn::to_vec(self)
    }
}
impl<T: crate::SpacetimeType + crate::Serialize> IntoProcedureResult for T {}
