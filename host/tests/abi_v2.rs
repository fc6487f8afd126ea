//! The imports of `spacetime_10.1` to `spacetime_10.5` on `AbiHost`: through its `Host` methods
//! with BSATN bytes as a module sends them, and through the wasm runtime from a hand-written
//! module that imports them from their own modules.

mod abi_support;

use abi_support::*;
use worldtube_abi::{Errno, Host, HostError};
use worldtube_host::runtime::{CallResult, ModuleInstance, ReducerCall, WasmModule};
use worldtube_host::AbiHost;
use worldtube_lib::bsatn;

fn insert(h: &mut AbiHost, table: u32, row: &[u8]) {
    h.datastore_insert_bsatn(table, row).expect("insert");
}

/// A host with three persons: (1, "ann", 30), (2, "bob", 30), (3, "cy", 40).
fn people() -> AbiHost {
    let mut h = host();
    insert(&mut h, PERSON, &person(1, "ann", 30));
    insert(&mut h, PERSON, &person(2, "bob", 30));
    insert(&mut h, PERSON, &person(3, "cy", 40));
    h
}

fn point_scan(h: &mut AbiHost, index: &str, key: &[u8]) -> Vec<u64> {
    let index = index_id(h, index);
    let it = h.datastore_index_scan_point_bsatn(index, key).expect("point scan");
    let bytes = drain(h, it);
    ids(&decode_rows(PERSON, &bytes))
}

#[test]
fn point_scans_select_rows_by_their_whole_key() {
    let mut h = people();
    assert_eq!(point_scan(&mut h, "person_id_idx_btree", &bsatn::to_vec(&2u64)), [2]);
    assert_eq!(point_scan(&mut h, "person_age_idx_btree", &bsatn::to_vec(&30u8)), [1, 2]);
    assert_eq!(point_scan(&mut h, "person_age_idx_btree", &bsatn::to_vec(&31u8)), Vec::<u64>::new());
    // A two-column key: (age, name) as a product, i.e. the values concatenated.
    let key = bsatn::to_vec(&(30u8, "bob".to_string()));
    assert_eq!(point_scan(&mut h, "person_age_name_idx_btree", &key), [2]);
    // Bytes after the key are ignored, as on the server.
    let mut key = bsatn::to_vec(&40u8);
    key.push(0xFF);
    assert_eq!(point_scan(&mut h, "person_age_idx_btree", &key), [3]);
}

#[test]
fn point_scan_errnos() {
    let mut h = people();
    let age_name = index_id(&mut h, "person_age_name_idx_btree");
    // Only the first of two key columns: not a whole key.
    assert_eq!(errno_of(h.datastore_index_scan_point_bsatn(age_name, &[30])), BSATN_DECODE_ERROR);
    assert_eq!(errno_of(h.datastore_index_scan_point_bsatn(age_name, &[])), BSATN_DECODE_ERROR);
    assert_eq!(errno_of(h.datastore_index_scan_point_bsatn(999, &[1])), Errno::NO_SUCH_INDEX.code());
    assert_eq!(errno_of(h.datastore_delete_by_index_scan_point_bsatn(999, &[1])), Errno::NO_SUCH_INDEX.code());
    assert_eq!(errno_of(h.datastore_delete_by_index_scan_point_bsatn(age_name, &[30])), BSATN_DECODE_ERROR);
    assert_eq!(h.open_row_iters(), 0, "no iterator is left behind by a failed scan");

    let mut outside = AbiHost::new(database_identity());
    assert_eq!(errno_of(outside.datastore_index_scan_point_bsatn(0, &[0; 8])), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(outside.datastore_delete_by_index_scan_point_bsatn(0, &[0; 8])), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(outside.datastore_clear(PERSON)), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(outside.get_jwt([1; 16])), NOT_IN_TRANSACTION);
}

#[test]
fn delete_by_point_deletes_what_the_point_scan_selects() {
    let mut h = people();
    let age = index_id(&mut h, "person_age_idx_btree");
    assert_eq!(h.datastore_delete_by_index_scan_point_bsatn(age, &[30]), Ok(2));
    assert_eq!(ids(&scan(&mut h, PERSON)), [3]);
    assert_eq!(h.datastore_delete_by_index_scan_point_bsatn(age, &[30]), Ok(0));
}

#[test]
fn clear_deletes_every_row_of_the_table_in_the_transaction() {
    let mut h = people();
    insert(&mut h, COUNTER, &bsatn::to_vec(&(5u8, "x".to_string())));
    assert_eq!(h.datastore_clear(PERSON), Ok(3));
    assert_eq!(h.datastore_table_row_count(PERSON), Ok(0));
    assert_eq!(h.datastore_table_row_count(COUNTER), Ok(1), "other tables are left alone");
    assert_eq!(h.datastore_clear(PERSON), Ok(0));
    // Unique values are free again.
    insert(&mut h, PERSON, &person(9, "ann", 1));
    assert_eq!(errno_of(h.datastore_clear(99)), NO_SUCH_TABLE);

    // A rollback brings the rows back.
    let mut h = people();
    let ds = commit(&mut h);
    let mut h = host_with(ds);
    assert_eq!(h.datastore_clear(PERSON), Ok(3));
    let ds = h.take_tx().unwrap().rollback();
    let mut h = host_with(ds);
    assert_eq!(ids(&scan(&mut h, PERSON)), [1, 2, 3]);
}

#[test]
fn remaining_length_follows_the_arguments_source() {
    let mut h = host();
    assert_eq!(errno_of(h.bytes_source_remaining_length(1)), Errno::NO_SUCH_BYTES.code(), "no arguments");
    let source = h.set_args(vec![1, 2, 3, 4, 5]);
    assert_eq!(h.bytes_source_remaining_length(source), Ok(5));
    let mut buf = [0u8; 2];
    h.bytes_source_read(source, &mut buf).unwrap();
    assert_eq!(h.bytes_source_remaining_length(source), Ok(3), "reading it does not consume it");
    assert_eq!(h.bytes_source_remaining_length(source), Ok(3));
    let mut buf = [0u8; 8];
    assert!(h.bytes_source_read(source, &mut buf).unwrap().exhausted);
    assert_eq!(errno_of(h.bytes_source_remaining_length(source)), Errno::NO_SUCH_BYTES.code(), "exhausted");
    for bad in [0, 2, u32::MAX] {
        assert_eq!(errno_of(h.bytes_source_remaining_length(bad)), Errno::NO_SUCH_BYTES.code());
    }
}

#[test]
fn get_jwt_finds_no_token() {
    let mut h = host();
    assert_eq!(h.get_jwt([0; 16]), Ok(0));
    assert_eq!(h.get_jwt([0xAB; 16]), Ok(0));
}

#[test]
fn procedure_imports_answer_as_outside_a_procedure() {
    let mut h = host();
    assert_eq!(errno_of(h.procedure_start_mut_tx()), Errno::WOULD_BLOCK_TRANSACTION.code());
    assert_eq!(errno_of(h.procedure_commit_mut_tx()), Errno::TRANSACTION_NOT_ANONYMOUS.code());
    assert_eq!(errno_of(h.procedure_abort_mut_tx()), Errno::TRANSACTION_NOT_ANONYMOUS.code());
    assert!(h.tx().is_some(), "the reducer's transaction stays");
    let trap = h.procedure_sleep_until(0).unwrap_err();
    assert!(trap.message().contains("may only be called by a procedure"), "{trap}");
    match h.procedure_http_request(b"req", b"") {
        Err(HostError::Trap(trap)) => assert!(trap.message().contains("procedure_http_request"), "{trap}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    // Without any transaction: commit and abort still have nothing of theirs to end; start would
    // need procedures.
    let mut outside = AbiHost::new(database_identity());
    assert_eq!(errno_of(outside.procedure_commit_mut_tx()), Errno::TRANSACTION_NOT_ANONYMOUS.code());
    assert!(matches!(outside.procedure_start_mut_tx(), Err(HostError::Trap(_))));
}

/// A module importing from every later version; reducer `n` returns the status of call `n`
/// (so a nonzero status shows as "unknown return code").
const LATER_VERSIONS: &str = r#"
(module
  (import "spacetime_10.1" "bytes_source_remaining_length" (func $remaining (param i32 i32) (result i32)))
  (import "spacetime_10.2" "get_jwt" (func $jwt (param i32 i32) (result i32)))
  (import "spacetime_10.3" "procedure_start_mut_tx" (func $start (param i32) (result i32)))
  (import "spacetime_10.3" "procedure_commit_mut_tx" (func $commit (result i32)))
  (import "spacetime_10.3" "procedure_sleep_until" (func $sleep (param i64) (result i64)))
  (import "spacetime_10.4" "datastore_index_scan_point_bsatn" (func $point (param i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.4" "datastore_delete_by_index_scan_point_bsatn" (func $delete_point (param i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.5" "datastore_clear" (func $clear (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 16: the u8 key 30; 32: a connection id; 104: out cell (8 bytes)
  (data (i32.const 16) "\1e")
  (func (export "__describe_module__") (param i32))
  (func (export "__call_reducer__")
    (param $id i32) (param i64 i64 i64 i64 i64 i64 i64) (param $args i32) (param $err i32) (result i32)
    (local $status i32)
    ;; 0: clear table 0, then return 100 + the count
    (if (i32.eq (local.get $id) (i32.const 0))
      (then
        (local.set $status (call $clear (i32.const 0) (i32.const 104)))
        (if (local.get $status) (then (return (local.get $status))))
        (return (i32.add (i32.const 100) (i32.wrap_i64 (i64.load (i32.const 104)))))))
    ;; 1: remaining length of the arguments, as 100 + the length
    (if (i32.eq (local.get $id) (i32.const 1))
      (then
        (local.set $status (call $remaining (local.get $args) (i32.const 104)))
        (if (local.get $status) (then (return (local.get $status))))
        (return (i32.add (i32.const 100) (i32.load (i32.const 104))))))
    ;; 2: the status of procedure_start_mut_tx
    (if (i32.eq (local.get $id) (i32.const 2)) (then (return (call $start (i32.const 104)))))
    ;; 3: the status of procedure_commit_mut_tx
    (if (i32.eq (local.get $id) (i32.const 3)) (then (return (call $commit))))
    ;; 4: sleep (traps outside a procedure)
    (if (i32.eq (local.get $id) (i32.const 4)) (then (drop (call $sleep (i64.const 0)))))
    ;; 5: delete by point on index $args (the age index) with key 30: 100 + the count
    (if (i32.eq (local.get $id) (i32.const 5))
      (then
        (local.set $status (call $delete_point (local.get $args) (i32.const 16) (i32.const 1) (i32.const 104)))
        (if (local.get $status) (then (return (local.get $status))))
        (return (i32.add (i32.const 100) (i32.load (i32.const 104))))))
    ;; 6: a point scan with a NULL key (traps)
    (if (i32.eq (local.get $id) (i32.const 6)) (then (return (call $point (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 104)))))
    ;; 7: get_jwt: 100 + the handle
    (if (i32.eq (local.get $id) (i32.const 7))
      (then
        (i32.store (i32.const 104) (i32.const 77))
        (local.set $status (call $jwt (i32.const 32) (i32.const 104)))
        (if (local.get $status) (then (return (local.get $status))))
        (return (i32.add (i32.const 100) (i32.load (i32.const 104))))))
    (i32.const 0))
)
"#;

fn returned(code: i32) -> CallResult {
    CallResult::Err(format!("unknown return code {code}"))
}

fn call(module: &mut WasmModule, h: AbiHost, id: u32, args_source: u32) -> (AbiHost, CallResult) {
    let mut call = ReducerCall::new(id);
    call.args_source = args_source;
    module.call_reducer(h, call)
}

#[test]
fn a_module_calls_the_later_imports_through_the_wasm_runtime() {
    let mut module = WasmModule::new(&wat::parse_str(LATER_VERSIONS).expect("valid WAT")).expect("fits the interface");
    let (h, result) = call(&mut module, people(), 0, 0);
    assert_eq!(result, returned(103), "three rows cleared");
    let (mut h, result) = call(&mut module, h, 0, 0);
    assert_eq!(result, returned(100));

    let args = h.set_args(vec![9; 12]);
    let (h, result) = call(&mut module, h, 1, args);
    assert_eq!(result, returned(112));
    let (h, result) = call(&mut module, h, 1, 0);
    assert_eq!(result, returned(i32::from(Errno::NO_SUCH_BYTES.code())), "handle 0 is no source");

    let (h, result) = call(&mut module, h, 2, 0);
    assert_eq!(result, returned(i32::from(Errno::WOULD_BLOCK_TRANSACTION.code())));
    let (h, result) = call(&mut module, h, 3, 0);
    assert_eq!(result, returned(i32::from(Errno::TRANSACTION_NOT_ANONYMOUS.code())));
    let (_, result) = call(&mut module, h, 4, 0);
    match result {
        CallResult::Trap(message) => assert!(message.contains("procedure_sleep_until"), "{message}"),
        other => panic!("expected a trap, got {other:?}"),
    }

    let mut h = people();
    let age = index_id(&mut h, "person_age_idx_btree");
    let (h, result) = call(&mut module, h, 5, age);
    assert_eq!(result, returned(102), "ann and bob are 30");
    let (h, result) = call(&mut module, h, 6, 0);
    assert!(matches!(result, CallResult::Trap(_)), "a NULL key traps: {result:?}");
    let (_, result) = call(&mut module, h, 7, 0);
    assert_eq!(result, returned(100), "no token: handle 0 written");
}
