//! The engine against runaway schedules and huge advances, and the host's bounds on open row
//! iterators (host/DESIGN.md, "Limits"), with a module written in Rust against the `Host` trait.

mod abi_support;

use abi_support::{database_identity, module_def, person, PERSON, TICK};
use worldtube_abi::{Host, HostError};
use worldtube_host::abi_host::HostLimits;
use worldtube_host::engine::{AdvanceError, Caller, Engine, EngineOptions, Status, MAX_RUNS_PER_INSTANT};
use worldtube_host::runtime::{CallResult, ModuleInstance, ReducerCall, RuntimeError};
use worldtube_lib::raw_def::RawModuleDef;
use worldtube_lib::{bsatn, ScheduleAt, TimeDuration, Timestamp};

/// The fixture module (`tick` schedules `on_tick`); its first reducer call inserts the tick rows
/// it was made with, every later call does nothing.
struct Ticker {
    rows: Vec<ScheduleAt>,
    calls: usize,
}

impl ModuleInstance for Ticker {
    fn describe<H: Host + 'static>(&mut self, host: H) -> (H, Result<Vec<u8>, RuntimeError>) {
        (host, Ok(bsatn::to_vec(&RawModuleDef::V9(module_def()))))
    }

    fn call_reducer<H: Host + 'static>(&mut self, mut host: H, _call: ReducerCall) -> (H, CallResult) {
        self.calls += 1;
        if self.calls == 1 {
            for at in &self.rows {
                host.datastore_insert_bsatn(TICK, &bsatn::to_vec(&(0u64, *at))).expect("inserted");
            }
        }
        (host, CallResult::Ok)
    }
}

fn options() -> EngineOptions {
    EngineOptions { database_identity: database_identity(), ..EngineOptions::named("owner") }
}

/// An engine whose first call has inserted `rows` into `tick`.
fn engine(rows: Vec<ScheduleAt>, options: EngineOptions) -> Engine<Ticker> {
    let mut engine = Engine::install(Ticker { rows, calls: 0 }, options).expect("installed");
    let args = bsatn::to_vec(&(0u64, ScheduleAt::Interval(TimeDuration::from_micros(0))));
    let outcome = engine.call("on_tick", Caller::identity(database_identity()), args).expect("called");
    assert!(outcome.is_ok(), "{outcome:?}");
    engine
}

fn plus(t: Timestamp, micros: i64) -> Timestamp {
    t.checked_add(TimeDuration::from_micros(micros)).unwrap()
}

#[test]
fn a_zero_interval_is_stopped_and_time_and_the_other_schedules_go_on() {
    let start = options().start_time;
    let later = plus(start, 10_000);
    let mut engine =
        engine(vec![ScheduleAt::Interval(TimeDuration::from_micros(0)), ScheduleAt::Time(later)], options());
    let outcomes = engine.advance(TimeDuration::from_micros(1_000_000));
    // The zero interval runs MAX_RUNS_PER_INSTANT times, then is stopped with a failed outcome
    // that says why; the later schedule still runs, and the clock reaches its target.
    assert_eq!(outcomes.len(), MAX_RUNS_PER_INSTANT + 2);
    assert!(outcomes[..MAX_RUNS_PER_INSTANT].iter().all(|o| o.is_ok()));
    let stopped = &outcomes[MAX_RUNS_PER_INSTANT];
    let Status::Failed(message) = &stopped.status else { panic!("{stopped:?}") };
    assert!(message.contains("ran more than 1000 times") && message.contains("MAX_RUNS_PER_INSTANT"), "{message}");
    assert_eq!(stopped.logs.len(), 1);
    let last = &outcomes[MAX_RUNS_PER_INSTANT + 1];
    assert!(last.is_ok());
    assert_eq!(last.timestamp, later);
    assert_eq!(engine.now(), plus(start, 1_000_000 + 1));
    assert!(engine.scheduler().is_empty(), "the stopped schedule is not queued again");
    assert!(engine.logs().iter().any(|log| log.message.contains("MAX_RUNS_PER_INSTANT")));
}

#[test]
fn one_advance_runs_at_most_its_limit_of_calls() {
    let options = EngineOptions { max_runs_per_advance: 5, ..options() };
    let mut engine = engine(vec![ScheduleAt::Interval(TimeDuration::from_micros(1_000))], options);
    let start = engine.now();
    let mut seen = Vec::new();
    let result = engine.advance_each(TimeDuration::from_micros(1_000_000_000), |_, outcome| seen.push(outcome));
    let Err(error @ AdvanceError::TooManyRuns { limit: 5, at }) = result else { panic!("{result:?}") };
    assert_eq!(seen.len(), 5);
    assert_eq!(at, seen[4].timestamp);
    assert_eq!(engine.now(), at, "the clock stays at the last call");
    assert!(error.to_string().contains("EngineOptions::max_runs_per_advance"), "{error}");
    assert!(start < at);
    // The rest is still queued for the next advance.
    assert_eq!(engine.scheduler().len(), 1);
}

#[test]
fn an_advance_past_the_end_of_time_is_refused() {
    let mut engine = engine(Vec::new(), options());
    let now = engine.now();
    let by = TimeDuration::from_micros(i64::MAX - 10);
    let error = engine.try_advance(by).unwrap_err();
    assert_eq!(error, AdvanceError::ClockOverflow { now, by });
    assert!(error.to_string().contains("past the largest timestamp"), "{error}");
    assert_eq!(engine.now(), now);
    assert!(engine.advance_each(by, |_, _| {}).is_err());
}

#[test]
#[should_panic(expected = "past the largest timestamp")]
fn advance_panics_past_the_end_of_time() {
    let mut engine = engine(Vec::new(), options());
    engine.advance(TimeDuration::from_micros(i64::MAX));
}

#[test]
fn open_row_iterators_are_bounded_in_number_and_bytes() {
    let mut host = abi_support::host();
    for id in 100..110 {
        host.datastore_insert_bsatn(PERSON, &person(id, &format!("p{id}"), 1)).unwrap();
    }
    let row_bytes: usize = (100..110).map(|id| person(id, &format!("p{id}"), 1).len()).sum();
    host.set_limits(HostLimits { max_open_row_iters: 3, ..HostLimits::default() });
    let iters: Vec<u32> = (0..3).map(|_| host.datastore_table_scan_bsatn(PERSON).unwrap()).collect();
    match host.datastore_table_scan_bsatn(PERSON) {
        Err(HostError::Trap(trap)) => assert!(trap.message().contains("HostLimits::max_open_row_iters"), "{trap:?}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    for iter in iters {
        host.row_iter_bsatn_close(iter).unwrap();
    }

    // Two scans' worth of bytes fit, a third does not; reading one to the end frees its bytes.
    host.set_limits(HostLimits { max_row_iter_bytes: 2 * row_bytes, ..HostLimits::default() });
    let first = host.datastore_table_scan_bsatn(PERSON).unwrap();
    host.datastore_table_scan_bsatn(PERSON).unwrap();
    match host.datastore_table_scan_bsatn(PERSON) {
        Err(HostError::Trap(trap)) => assert!(trap.message().contains("HostLimits::max_row_iter_bytes"), "{trap:?}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    let mut buffer = vec![0u8; 64 << 10];
    host.row_iter_bsatn_advance(first, &mut buffer).unwrap();
    host.datastore_table_scan_bsatn(PERSON).expect("room again");
}

#[test]
fn the_rows_one_call_writes_are_bounded() {
    let mut host = abi_support::host();
    let row = person(1, "p1", 1);
    host.set_limits(HostLimits { max_written_bytes_per_call: 3 * row.len(), ..HostLimits::default() });
    for id in 1..=3 {
        host.datastore_insert_bsatn(PERSON, &person(id, &format!("p{id}"), 1)).unwrap();
    }
    match host.datastore_insert_bsatn(PERSON, &person(4, "p4", 1)) {
        Err(HostError::Trap(trap)) => {
            assert!(trap.message().contains("HostLimits::max_written_bytes_per_call"), "{trap:?}")
        }
        other => panic!("expected a trap, got {other:?}"),
    }
    // The next call starts afresh.
    let tx = host.take_tx();
    host.begin_call(tx, Vec::new());
    host.datastore_insert_bsatn(PERSON, &person(5, "p5", 1)).expect("a new call's budget");
}
