//! What runs while a procedure sleeps. A 2.8.3 server runs procedures on pooled instances of the
//! module and reducers on its main one, so a reducer that falls due while a procedure sleeps
//! runs then, and the procedure sees its commits when it wakes (SpacetimeDB's own
//! sdk-test-procedure-concurrency module polls for exactly that). Here a second engine, on a
//! fork of the module ([`ModuleInstance::fork`]) and with this engine's schedule queue and view
//! cache lent to it, runs the scheduled reducers that fall due up to the wake-up time on the
//! committed state the sleeping procedure parked; the queue and cache come back when the
//! procedure ends. A scheduled procedure that falls due waits (it stops the run there), as do
//! client calls (a test makes them one after another).
//!
//! Only a procedure (or HTTP handler) a client called gets this; while a scheduled procedure
//! sleeps nothing runs, as on 2.8.3 (whose scheduler waits for the procedure it started).

use std::cell::RefCell;
use std::rc::Rc;

use worldtube_lib::Timestamp;

use super::{Engine, Outcome};
use crate::abi_host::{self, AbiHost, HostLimits, SoFar};
use crate::datastore::Datastore;
use crate::runtime::ModuleInstance;

/// The second engine, shared between the sleeping procedure's host (which calls it) and the
/// engine that lent it its queue.
pub(super) struct Lent<M: ModuleInstance> {
    engine: Engine<M>,
    /// What ran while the procedure slept.
    outcomes: Vec<Outcome>,
}

/// A [`Lent`] engine, as the host's hook holds it.
pub(super) type Shared<M> = Rc<RefCell<Lent<M>>>;

impl<M: ModuleInstance> Engine<M> {
    /// Lends this engine's schedule queue and view cache to a second engine on a fork of the
    /// module (kept from the last procedure call, or made now), for the length of one procedure
    /// call; `None` if the module cannot be forked.
    pub(super) fn lend(&mut self, limits: HostLimits) -> Option<Shared<M>> {
        let (module, mut host) = match self.fork.take() {
            Some(kept) => kept,
            None => (self.module.fork()?, AbiHost::new(self.options.database_identity)),
        };
        host.set_limits(limits);
        let engine = Engine {
            module,
            host: Some(host),
            datastore: None,
            schema: self.schema.clone(),
            scheduler: std::mem::take(&mut self.scheduler),
            now: self.now,
            options: self.options.clone(),
            logs: Vec::new(),
            http: self.http.clone(),
            views: std::mem::take(&mut self.views),
            fork: None,
        };
        Some(Rc::new(RefCell::new(Lent { engine, outcomes: Vec::new() })))
    }

    /// The hook the sleeping procedure's host calls ([`AbiHost::run_meanwhile`]): the schedule
    /// changes of the procedure's new commits go to the queue and its new log records to the
    /// log, then the reducers due up to the wake-up time run on the parked state, each at its
    /// due time.
    pub(super) fn meanwhile(shared: &Shared<M>) -> abi_host::Meanwhile {
        let shared = shared.clone();
        Box::new(move |datastore: Datastore, so_far: SoFar<'_>, now: Timestamp, until: Timestamp| {
            let mut lent = shared.borrow_mut();
            let Lent { engine, outcomes } = &mut *lent;
            for (at, changes) in so_far.commits {
                engine.scheduler.apply(&changes.schedules, *at);
            }
            engine.logs.extend(so_far.logs.iter().cloned());
            engine.datastore = Some(datastore);
            engine.now = engine.now.max(now);
            // A run stopped by the per-advance limit leaves the rest queued (and logged).
            let _ = engine.run_due_until(until, true, |_, outcome| outcomes.push(outcome));
            engine.datastore.take().expect("the lent engine holds the state while it runs")
        })
    }

    /// Takes the queue and cache back (and keeps the fork for the next procedure); what ran
    /// while the procedure slept. The host's hook must be gone (the procedure ended).
    pub(super) fn take_back(&mut self, shared: Shared<M>) -> Vec<Outcome> {
        let Ok(lent) = Rc::try_unwrap(shared) else {
            unreachable!("the procedure's host drops its hook when the procedure ends")
        };
        let Lent { engine, outcomes } = lent.into_inner();
        self.scheduler = engine.scheduler;
        self.views = engine.views;
        self.logs.extend(engine.logs);
        if let Some(host) = engine.host {
            self.fork = Some((engine.module, host));
        }
        outcomes
    }
}
