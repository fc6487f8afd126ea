//! The safe wrappers and the native dispatch, run against the fake host.

mod fake_host;

use std::panic::{catch_unwind, AssertUnwindSafe};

use fake_host::FakeHost;
use worldtube_sys::{
    datastore_insert_bsatn, datastore_table_scan_bsatn, identity, raw, table_id_from_name, with_host,
    with_installed_host, BytesSink, BytesSource, Errno, LogLevel, RowIter, TableId,
};

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

fn host_with_table(chunks: Vec<Vec<u8>>) -> FakeHost {
    let mut host = FakeHost::new();
    host.table_chunks.insert(7, chunks);
    host
}

#[test]
fn row_iter_grows_on_buffer_too_small_and_reads_everything() {
    let chunks = vec![vec![1; 10], vec![2; 100 * 1024], vec![3; 5]];
    let expected: Vec<u8> = chunks.concat();
    let (rows, host) =
        with_host(host_with_table(chunks), || datastore_table_scan_bsatn(TableId(7)).unwrap().read_all().unwrap());
    assert_eq!(rows, expected);
    // Call 1 (64 KiB) takes the 10-byte chunk; call 2 gets BUFFER_TOO_SMALL for the 100 KiB
    // chunk; call 3 (grown to exactly 100 KiB) takes it; call 4 takes the last chunk and ends.
    let initial = RowIter::INITIAL_BUFFER_SIZE;
    assert_eq!(host.advance_capacities, [initial, initial, 100 * 1024, 100 * 1024]);
    assert!(host.closed.is_empty(), "an exhausted iterator must not be closed");
}

#[test]
fn row_iter_exhausted_on_first_call_yields_the_bytes_of_that_call() {
    let (batches, host) = with_host(host_with_table(vec![vec![9; 3], vec![8; 4]]), || {
        datastore_table_scan_bsatn(TableId(7)).unwrap().collect::<Result<Vec<_>, _>>().unwrap()
    });
    assert_eq!(batches, [vec![9, 9, 9, 8, 8, 8, 8]]);
    assert!(host.closed.is_empty());
}

#[test]
fn dropping_an_unexhausted_iterator_closes_it_exactly_once() {
    let chunks = vec![vec![1; 40 * 1024], vec![2; 40 * 1024]];
    let ((), host) = with_host(host_with_table(chunks), || {
        let mut iter = datastore_table_scan_bsatn(TableId(7)).unwrap();
        assert_eq!(iter.next_batch().unwrap().unwrap().len(), 40 * 1024);
        assert!(!iter.is_exhausted());
    });
    assert_eq!(host.closed, [1]);
}

#[test]
fn empty_table_scan_is_exhausted_without_close() {
    let (rows, host) =
        with_host(host_with_table(vec![]), || datastore_table_scan_bsatn(TableId(7)).unwrap().read_all());
    assert_eq!(rows.unwrap(), Vec::<u8>::new());
    assert!(host.closed.is_empty());
}

#[test]
fn bytes_source_reads_until_exhausted_and_handle_zero_is_empty() {
    let data: Vec<u8> = (0..5000u32).map(|i| i as u8).collect();
    let mut host = FakeHost::new();
    host.sources.insert(1, data.clone());
    let ((read, empty), host) =
        with_host(host, || (BytesSource::from_raw(1).read_all().unwrap(), BytesSource::EMPTY.read_all().unwrap()));
    assert_eq!(read, data);
    assert!(empty.is_empty());
    assert!(host.sources.is_empty(), "the host destroyed the source at -1");
}

#[test]
fn bytes_source_unknown_handle_is_an_errno() {
    let (result, _) = with_host(FakeHost::new(), || BytesSource::from_raw(42).read_all());
    assert_eq!(result, Err(Errno::NO_SUCH_BYTES));
}

#[test]
fn bytes_sink_loops_until_everything_is_consumed() {
    let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7) as u8).collect();
    let mut host = FakeHost::new();
    host.sinks.insert(1, Vec::new());
    host.sink_take_limit = 3000;
    let (result, host) = with_host(host, || BytesSink::from_raw(1).write_all(&data));
    result.unwrap();
    assert_eq!(host.sinks[&1], data);
}

#[test]
fn insert_writes_back_generated_values() {
    let ((generated, plain), host) = with_host(FakeHost::new(), || {
        let mut row = [0, 0, 0, 0, 5, 6];
        let generated = datastore_insert_bsatn(TableId(7), &mut row).unwrap().to_vec();
        let mut row = [1, 0, 0, 0, 5, 6];
        let plain = datastore_insert_bsatn(TableId(7), &mut row).unwrap().to_vec();
        (generated, plain)
    });
    assert_eq!(generated, 1001u32.to_le_bytes());
    assert!(plain.is_empty());
    assert_eq!(host.inserted, [vec![0, 0, 0, 0, 5, 6], vec![1, 0, 0, 0, 5, 6]]);
}

#[test]
fn errnos_come_back_as_err() {
    let ((found, missing, bad_table), _) = with_host(FakeHost::new(), || {
        (
            table_id_from_name("people"),
            table_id_from_name("nobody"),
            datastore_insert_bsatn(TableId(1), &mut []).map(<[u8]>::to_vec),
        )
    });
    assert_eq!(found, Ok(TableId(7)));
    assert_eq!(missing, Err(Errno::NO_SUCH_TABLE));
    assert_eq!(bad_table, Err(Errno::NO_SUCH_TABLE));
}

#[test]
fn console_log_passes_absent_strings_and_line_as_none() {
    let ((), host) = with_host(FakeHost::new(), || {
        worldtube_sys::console_log(LogLevel::Warn, None, Some("a.rs"), None, "hello");
        worldtube_sys::console_log(LogLevel::Panic, Some("m"), None, Some(12), "");
    });
    assert_eq!(host.logs[0], (1, None, Some("a.rs".into()), None, "hello".into()));
    assert_eq!(host.logs[1], (101, Some("m".into()), None, Some(12), String::new()));
}

#[test]
fn threads_with_different_hosts_do_not_see_each_other() {
    let run = |byte: u8| {
        std::thread::spawn(move || {
            let mut host = FakeHost::new();
            host.identity = [byte; 32];
            let (seen, _) = with_host(host, || (0..100).map(|_| identity()[0]).collect::<Vec<_>>());
            seen
        })
    };
    let (a, b) = (run(1), run(2));
    assert!(a.join().unwrap().iter().all(|&x| x == 1));
    assert!(b.join().unwrap().iter().all(|&x| x == 2));
}

#[test]
fn calling_without_a_host_panics_with_instructions() {
    let message = panic_message(catch_unwind(identity).unwrap_err());
    assert!(message.contains("`identity`"), "{message}");
    assert!(message.contains("no Host is installed"), "{message}");
    assert!(message.contains("worldtube_sys::set_host"), "{message}");
}

#[test]
fn a_trap_is_a_panic_and_the_host_survives_it() {
    let ((), _) = with_host(FakeHost::new(), || {
        let bad_utf8 = [0xff, 0xfe];
        let mut out = 0u32;
        // SAFETY: the pointer and length describe `bad_utf8`; `out` is a live u32.
        let caught = catch_unwind(AssertUnwindSafe(|| unsafe {
            raw::table_id_from_name(bad_utf8.as_ptr(), bad_utf8.len(), &mut out)
        }));
        let message = panic_message(caught.unwrap_err());
        assert!(message.contains("wasm trap in `table_id_from_name`"), "{message}");
        assert!(message.contains("not valid UTF-8"), "{message}");
        // The host was put back after the panic.
        assert_eq!(table_id_from_name("people"), Ok(TableId(7)));
    });
}

#[test]
fn a_null_pointer_traps_even_for_an_empty_name() {
    let ((), _) = with_host(FakeHost::new(), || {
        let mut out = 0u32;
        // SAFETY: a NULL name is what the test is about: the glue traps before reading it.
        let caught =
            catch_unwind(AssertUnwindSafe(|| unsafe { raw::table_id_from_name(std::ptr::null(), 0, &mut out) }));
        assert!(panic_message(caught.unwrap_err()).contains("NULL"));
    });
}

#[test]
fn re_entrant_host_calls_panic_instead_of_double_borrowing() {
    let mut host = FakeHost::new();
    host.reenter_on_identity = true;
    let ((), _) = with_host(host, || {
        let message = panic_message(catch_unwind(identity).unwrap_err());
        assert!(message.contains("re-entrant"), "{message}");
        with_installed_host(|host: &mut FakeHost| host.reenter_on_identity = false).unwrap();
        assert_eq!(identity(), [0; 32]);
    });
}

#[test]
fn unimplemented_imports_trap_with_their_name() {
    let ((), _) = with_host(FakeHost::new(), || {
        let message = panic_message(catch_unwind(|| worldtube_sys::console_timer_start("t")).unwrap_err());
        assert!(message.contains("console_timer_start"), "{message}");
    });
}

#[test]
fn a_host_may_run_another_call_while_it_handles_one() {
    // The outer host, while handling `identity`, runs a nested call against a host of its own.
    let mut host = FakeHost::new();
    host.nested_call_on_identity = true;
    let ((), host) = with_host(host, || {
        assert_eq!(identity(), [0; 32]);
        // The outer host is back in place afterwards, and calls reach it again.
        assert_eq!(table_id_from_name("people"), Ok(TableId(7)));
    });
    assert_eq!(host.nested_result, Some(Ok(TableId(7))));
}
