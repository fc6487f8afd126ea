//! The procedure imports of `spacetime_10.3` on [`AbiHost`]: a procedure runs outside any
//! transaction and opens its own, one at a time (`procedure_start_mut_tx`, then
//! `procedure_commit_mut_tx` or `procedure_abort_mut_tx`); it may sleep and make HTTP requests,
//! but only with no transaction open.
//!
//! While a procedure runs, the host holds the committed state itself ([`ProcedureState`]) and
//! begins, commits and rolls back transactions on it. Time is virtual: every transaction starts
//! at the procedure's current time, and `procedure_sleep_until` moves that time forward to the
//! wake-up time at once (nothing else runs meanwhile; the engine moves its clock on when the
//! procedure returns). HTTP requests are answered by the database's [`HttpResponders`].
//!
//! Outside a procedure (in a reducer, whose transaction the host opened, or while describing)
//! the transaction imports answer with the server's errnos, and sleeping and HTTP trap: servers
//! link those two only into the instances that run procedures.

use std::sync::Arc;

use worldtube_abi::{Errno, HostError, HostResult, HttpOutcome, Trap};
use worldtube_lib::bsatn;
use worldtube_lib::http as wire;
use worldtube_lib::Timestamp;

use super::LogRecord;
use super::{errno, AbiHost};
use crate::datastore::{Datastore, TxChanges};
use crate::http::{HttpExchange, HttpResponders};

/// What runs while a procedure sleeps: given the committed state, what the procedure did since
/// its last sleep, the procedure's time and the time it wakes at, it runs what falls due
/// meanwhile and hands the state back.
pub type Meanwhile = Box<dyn FnMut(Datastore, SoFar<'_>, Timestamp, Timestamp) -> Datastore>;

/// What a sleeping procedure did since its last sleep (or its start): what runs meanwhile comes
/// after it, in the schedule queue and in the database log.
#[derive(Debug, Clone, Copy)]
pub struct SoFar<'a> {
    /// The transactions it committed, with their start times.
    pub commits: &'a [(Timestamp, TxChanges)],
    /// The log records it wrote.
    pub logs: &'a [LogRecord],
}

/// What the host keeps while a procedure runs.
pub(super) struct ProcedureState {
    /// The committed state, while the procedure has no transaction open.
    parked: Option<Datastore>,
    /// The procedure's virtual time.
    now: Timestamp,
    /// The transactions it committed, in order, each with its start time.
    commits: Vec<(Timestamp, TxChanges)>,
    http: Arc<HttpResponders>,
    exchanges: Vec<HttpExchange>,
    /// What runs while the procedure sleeps, if anything.
    meanwhile: Option<Meanwhile>,
    /// How many of `commits`, and of the host's log records, were handed to `meanwhile`.
    handed_over: (usize, usize),
}

impl std::fmt::Debug for ProcedureState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcedureState")
            .field("now", &self.now)
            .field("commits", &self.commits.len())
            .field("meanwhile", &self.meanwhile.is_some())
            .finish_non_exhaustive()
    }
}

/// What [`AbiHost::end_procedure`] hands back.
#[derive(Debug)]
pub struct ProcedureEnd {
    /// The committed state (a transaction the procedure left open is rolled back).
    pub datastore: Datastore,
    /// Whether the procedure left a transaction open (and it was rolled back).
    pub rolled_back_open_tx: bool,
    /// The procedure's virtual time when it ended (later than its start if it slept).
    pub now: Timestamp,
    /// The transactions it committed, in order, each with its start time.
    pub commits: Vec<(Timestamp, TxChanges)>,
    /// The HTTP requests it made, in order.
    pub http: Vec<HttpExchange>,
    /// How many of `commits`, and of the call's log records (the first ones), were handed to
    /// what ran while it slept ([`AbiHost::run_meanwhile`]), which applied their schedule
    /// changes and wrote the records to the database log before its own.
    pub handed_over: (usize, usize),
}

/// The trap of an import that only exists while a procedure runs.
fn only_in_procedures(import: &str) -> Trap {
    Trap::new(format!(
        "`{import}` may only be called by a procedure (servers link it only into the instances that run \
         procedures)"
    ))
}

/// The trap of a blocking import called with a transaction open.
fn not_with_open_tx(import: &str) -> Trap {
    Trap::new(format!("`{import}` was called while the procedure holds a transaction open; commit or abort it first"))
}

impl AbiHost {
    /// Prepares a procedure call: the host takes the committed state, `args` become the
    /// arguments source, and the procedure's time starts at `now`. Returns the arguments'
    /// handle (0 for none). End it with [`end_procedure`](Self::end_procedure).
    pub fn begin_procedure(
        &mut self,
        datastore: Datastore,
        args: Vec<u8>,
        now: Timestamp,
        http: Arc<HttpResponders>,
    ) -> u32 {
        self.tx = None;
        self.procedure = Some(ProcedureState {
            parked: Some(datastore),
            now,
            commits: Vec::new(),
            http,
            exchanges: Vec::new(),
            meanwhile: None,
            handed_over: (0, 0),
        });
        self.begin_call(None, args)
    }

    /// While the procedure begun last sleeps, `meanwhile` runs what falls due (the server runs
    /// scheduled reducers then, on another instance). Without it nothing runs during a sleep.
    ///
    /// # Panics
    ///
    /// If no procedure call was begun.
    pub fn run_meanwhile(&mut self, meanwhile: Meanwhile) {
        self.procedure.as_mut().expect("run_meanwhile follows begin_procedure").meanwhile = Some(meanwhile);
    }

    /// Ends a procedure call: rolls back a transaction it left open and hands back the committed
    /// state, what it committed and the requests it made. The call's logs and queued calls are
    /// taken with [`end_call`](Self::end_call) as for a reducer.
    ///
    /// # Panics
    ///
    /// If no procedure call was begun.
    pub fn end_procedure(&mut self) -> ProcedureEnd {
        let state = self.procedure.take().expect("end_procedure follows begin_procedure");
        let open = self.tx.take();
        let rolled_back_open_tx = open.is_some();
        let datastore = match (open, state.parked) {
            (Some(tx), _) => tx.rollback(),
            (None, Some(datastore)) => datastore,
            (None, None) => unreachable!("the committed state is parked whenever no transaction is open"),
        };
        ProcedureEnd {
            datastore,
            rolled_back_open_tx,
            now: state.now,
            commits: state.commits,
            http: state.exchanges,
            handed_over: state.handed_over,
        }
    }

    pub(super) fn v2_procedure_start_mut_tx(&mut self) -> HostResult<i64> {
        if self.tx.is_some() {
            // Always so in a reducer: it runs inside the transaction the host opened.
            return errno(Errno::WOULD_BLOCK_TRANSACTION);
        }
        let Some(state) = self.procedure.as_mut() else {
            return Err(only_in_procedures("procedure_start_mut_tx").into());
        };
        let datastore = state.parked.take().expect("the committed state is parked whenever no transaction is open");
        self.tx = Some(datastore.begin(state.now));
        self.written = 0;
        Ok(state.now.to_micros_since_unix_epoch())
    }

    /// `procedure_commit_mut_tx` (`commit`) and `procedure_abort_mut_tx`: only a transaction the
    /// procedure opened may be ended; anything else (a reducer's, or none) is
    /// `TRANSACTION_NOT_ANONYMOUS`, as on the server.
    pub(super) fn v2_procedure_end_mut_tx(&mut self, commit: bool) -> HostResult<()> {
        let Some(state) = self.procedure.as_mut() else {
            return errno(Errno::TRANSACTION_NOT_ANONYMOUS);
        };
        let Some(tx) = self.tx.take() else {
            return errno(Errno::TRANSACTION_NOT_ANONYMOUS);
        };
        let started = tx.now();
        state.parked = Some(if commit {
            let (datastore, changes) = tx.commit();
            state.commits.push((started, changes));
            datastore
        } else {
            tx.rollback()
        });
        Ok(())
    }

    pub(super) fn v2_procedure_sleep_until(&mut self, wake_at: i64) -> Result<i64, Trap> {
        if self.procedure.is_none() {
            return Err(only_in_procedures("procedure_sleep_until"));
        }
        if self.tx.is_some() {
            return Err(not_with_open_tx("procedure_sleep_until"));
        }
        let state = self.procedure.as_mut().expect("checked above");
        // A time in the past (or before the epoch) wakes at once.
        let wake_at = Timestamp::from_micros_since_unix_epoch(wake_at).max(state.now);
        if let Some(meanwhile) = state.meanwhile.as_mut() {
            let datastore = state.parked.take().expect("the committed state is parked whenever no transaction is open");
            let (commits, logs) = state.handed_over;
            let so_far = SoFar { commits: &state.commits[commits..], logs: self.logs.get(logs..).unwrap_or_default() };
            state.parked = Some(meanwhile(datastore, so_far, state.now, wake_at));
            state.handed_over = (state.commits.len(), self.logs.len());
        }
        state.now = wake_at;
        Ok(state.now.to_micros_since_unix_epoch())
    }

    pub(super) fn v2_procedure_http_request(&mut self, request: &[u8], body: &[u8]) -> HostResult<HttpOutcome> {
        if self.procedure.is_none() {
            return Err(only_in_procedures("procedure_http_request").into());
        }
        if self.tx.is_some() {
            return errno(Errno::WOULD_BLOCK_TRANSACTION);
        }
        let request: wire::Request =
            bsatn::from_slice(request).map_err(|_| HostError::Errno(Errno::BSATN_DECODE_ERROR))?;
        let state = self.procedure.as_mut().expect("checked above");
        let (exchange, answer) = state.http.answer(&request, body);
        state.exchanges.push(exchange);
        match answer {
            Ok((head, body)) => {
                let response = self.new_source(bsatn::to_vec(&head));
                let body = self.new_source(body);
                Ok(HttpOutcome::Response { response, body })
            }
            Err(message) => Ok(HttpOutcome::Failed { error: self.new_source(bsatn::to_vec(&message)) }),
        }
    }
}
