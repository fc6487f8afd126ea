//! Datastore semantics through `AbiHost`'s `Host` methods, with BSATN bytes as a module sends
//! them.

mod abi_support;

use std::ops::Bound;

use abi_support::*;
use worldtube_abi::{Host, HostError, IndexPrefix, LogLevel, SourceRead};
use worldtube_host::datastore::{Datastore, DatastoreError, RowId};
use worldtube_host::schema::{ScheduleTarget, Schema, TableId};
use worldtube_host::AbiHost;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductType};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::RawModuleDefV9Builder;
use worldtube_lib::{i256, u256, ScheduleAt, TimeDuration, Timestamp};

#[test]
fn schema_resolves_ids_names_and_constraints() {
    let s = schema();
    assert_eq!(s.table_id("person"), Some(TableId(PERSON)));
    assert_eq!(s.table_id("tick"), Some(TableId(TICK)));
    let names: Vec<&str> = s.indexes().iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "person_id_idx_btree",
            "person_name_idx_btree",
            "person_age_idx_btree",
            "person_age_name_idx_btree",
            "counter_tag_idx_btree",
            "blob_id_idx_btree",
            "tick_scheduled_id_idx_btree"
        ]
    );
    let uniques: Vec<bool> = s.indexes().iter().map(|i| i.is_unique).collect();
    assert_eq!(uniques, [true, true, false, false, true, true, true]);
    let person = s.table(TableId(PERSON)).unwrap();
    assert_eq!(person.primary_key, Some(0));
    assert_eq!(person.sequences[0].name, "person_id_seq");
    assert_eq!((person.sequences[0].min, person.sequences[0].max), (1, u64::MAX.into()));
    let counter = s.table(TableId(COUNTER)).unwrap();
    assert_eq!(counter.sequences[0].max, 255);
    let tick = s.table(TableId(TICK)).unwrap();
    let sched = tick.schedule.as_ref().unwrap();
    assert_eq!((sched.name.as_str(), sched.at_column, sched.id_column), ("tick_sched", 1, 0));
    assert_eq!(sched.target, ScheduleTarget::Reducer(s.reducer_id("on_tick").unwrap()));
}

#[test]
fn schema_reports_validation_errors() {
    let mut b = RawModuleDefV9Builder::new();
    let row = ProductType::new([(Some("score"), AlgebraicType::F32)]);
    b.build_table_with_new_type("player", row, true).with_column_sequence(0).finish();
    let err = Schema::from_def(&b.finish()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("1 problem"), "{text}");
    assert!(text.contains("cannot be auto_inc"), "{text}");
}

#[test]
fn datastore_calls_outside_a_transaction_are_not_in_transaction() {
    let mut h = AbiHost::new(database_identity());
    let row = person(0, "a", 1);
    let b = bound(Bound::<u8>::Unbounded);
    assert_eq!(errno_of(h.table_id_from_name("person")), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(h.index_id_from_name("person_id_idx_btree")), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(h.datastore_table_row_count(PERSON)), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(h.datastore_table_scan_bsatn(PERSON)), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(h.datastore_index_scan_range_bsatn(0, no_prefix(), &b, &b)), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(h.datastore_delete_by_index_scan_range_bsatn(0, no_prefix(), &b, &b)), NOT_IN_TRANSACTION);
    assert_eq!(
        errno_of(h.datastore_delete_all_by_eq_bsatn(PERSON, &array_of(std::slice::from_ref(&row)))),
        NOT_IN_TRANSACTION
    );
    assert_eq!(errno_of(h.datastore_insert_bsatn(PERSON, &row)), NOT_IN_TRANSACTION);
    assert_eq!(errno_of(h.datastore_update_bsatn(PERSON, 0, &row)), NOT_IN_TRANSACTION);
    // Non-datastore imports work without a transaction.
    assert_eq!(h.identity().unwrap(), [7; 32]);
    assert!(h.console_timer_start("t").unwrap() != 0);
}

#[test]
fn names_resolve_to_ids() {
    let mut h = host();
    assert_eq!(h.table_id_from_name("blob").unwrap(), BLOB);
    assert_eq!(errno_of(h.table_id_from_name("Blob")), NO_SUCH_TABLE);
    assert_eq!(h.index_id_from_name("person_age_name_idx_btree").unwrap(), 3);
    assert_eq!(errno_of(h.index_id_from_name("age_name")), NO_SUCH_INDEX, "accessor names are not index names");
    assert_eq!(errno_of(h.datastore_table_row_count(99)), NO_SUCH_TABLE);
}

#[test]
fn insert_generates_auto_inc_values_and_writes_them_back() {
    let mut h = host();
    assert_eq!(h.datastore_insert_bsatn(PERSON, &person(0, "a", 30)).unwrap(), 1u64.to_le_bytes());
    assert_eq!(h.datastore_insert_bsatn(PERSON, &person(0, "b", 31)).unwrap(), 2u64.to_le_bytes());
    // An explicit value is stored as given and does not advance the sequence.
    assert_eq!(h.datastore_insert_bsatn(PERSON, &person(100, "c", 32)).unwrap(), Vec::<u8>::new());
    assert_eq!(h.datastore_insert_bsatn(PERSON, &person(0, "d", 33)).unwrap(), 3u64.to_le_bytes());
    assert_eq!(ids(&scan(&mut h, PERSON)), [1, 2, 100, 3]);
    assert_eq!(h.datastore_table_row_count(PERSON).unwrap(), 4);
}

#[test]
fn generated_values_of_every_width_are_concatenated_in_column_order() {
    let mut h = host();
    let row = |a: i128, b: u256, c: i8, d: &str| bsatn::to_vec(&(a, b, c, d.to_string()));
    // a and b are zero, c is explicit.
    let wb = h.datastore_insert_bsatn(WIDE, &row(0, u256::ZERO, 5, "x")).unwrap();
    let mut expected = 1i128.to_le_bytes().to_vec();
    expected.extend_from_slice(&u256::ONE.to_le_bytes());
    assert_eq!(wb, expected);
    // Only c is zero.
    let wb = h.datastore_insert_bsatn(WIDE, &row(9, u256::from(9u8), 0, "y")).unwrap();
    assert_eq!(wb, [1u8]);
    let wb = h.datastore_insert_bsatn(WIDE, &row(0, u256::ZERO, 0, "z")).unwrap();
    let mut expected = 2i128.to_le_bytes().to_vec();
    expected.extend_from_slice(&u256::from(2u8).to_le_bytes());
    expected.push(2);
    assert_eq!(wb, expected);
    let rows = scan(&mut h, WIDE);
    assert_eq!(rows[2].elements[1], AlgebraicValue::U256(Box::new(u256::from(2u8))));
    let _ = i256::ZERO;
}

#[test]
fn sequence_overflow_of_the_column_type_traps() {
    let mut h = host();
    for i in 1..=255u32 {
        let wb = h.datastore_insert_bsatn(COUNTER, &bsatn::to_vec(&(0u8, format!("t{i}")))).unwrap();
        assert_eq!(wb, [i as u8]);
    }
    match h.datastore_insert_bsatn(COUNTER, &bsatn::to_vec(&(0u8, "last".to_string()))) {
        Err(HostError::Trap(t)) => assert!(t.message().contains("overflowed"), "{t}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    assert_eq!(h.datastore_table_row_count(COUNTER).unwrap(), 255);
    // Explicit values still work.
    h.datastore_insert_bsatn(COUNTER, &bsatn::to_vec(&(7u8, "explicit".to_string()))).unwrap();
}

#[test]
fn set_semantics_identical_insert_is_a_no_op() {
    let mut h = host();
    h.datastore_insert_bsatn(PERSON, &person(5, "a", 30)).unwrap();
    assert_eq!(h.datastore_insert_bsatn(PERSON, &person(5, "a", 30)).unwrap(), Vec::<u8>::new());
    assert_eq!(h.datastore_table_row_count(PERSON).unwrap(), 1);
}

#[test]
fn unique_violation_is_errno_12_and_consumes_the_sequence_value() {
    let mut h = host();
    h.datastore_insert_bsatn(PERSON, &person(0, "a", 30)).unwrap();
    let before = tx(&h).dump();
    // Same name, different row.
    assert_eq!(errno_of(h.datastore_insert_bsatn(PERSON, &person(0, "a", 31))), UNIQUE_ALREADY_EXISTS);
    // Same primary key, different row.
    assert_eq!(errno_of(h.datastore_insert_bsatn(PERSON, &person(1, "b", 31))), UNIQUE_ALREADY_EXISTS);
    assert_eq!(tx(&h).dump(), before, "nothing changes");
    // The value 2 was handed out to the failed insert and is never reused.
    assert_eq!(h.datastore_insert_bsatn(PERSON, &person(0, "c", 31)).unwrap(), 3u64.to_le_bytes());
}

#[test]
fn bad_row_bytes_are_decode_errors() {
    let mut h = host();
    let mut long = person(0, "a", 1);
    long.push(0);
    assert_eq!(errno_of(h.datastore_insert_bsatn(PERSON, &long)), BSATN_DECODE_ERROR, "trailing bytes");
    assert_eq!(errno_of(h.datastore_insert_bsatn(PERSON, &person(0, "a", 1)[..5])), BSATN_DECODE_ERROR);
    assert_eq!(errno_of(h.datastore_insert_bsatn(PERSON, &[])), BSATN_DECODE_ERROR);
    let huge_string = [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
    assert_eq!(errno_of(h.datastore_insert_bsatn(PERSON, &huge_string)), BSATN_DECODE_ERROR);
    assert_eq!(errno_of(h.datastore_insert_bsatn(99, &person(0, "a", 1))), NO_SUCH_TABLE);
    assert_eq!(errno_of(h.datastore_update_bsatn(PERSON, 0, &long)), BSATN_DECODE_ERROR);
    assert_eq!(h.datastore_table_row_count(PERSON).unwrap(), 0);
    // A decode error happens before generation: the sequence did not move.
    assert_eq!(h.datastore_insert_bsatn(PERSON, &person(0, "a", 1)).unwrap(), 1u64.to_le_bytes());
}

#[test]
fn update_through_a_unique_index() {
    let mut h = host();
    h.datastore_insert_bsatn(PERSON, &person(0, "a", 30)).unwrap();
    h.datastore_insert_bsatn(PERSON, &person(0, "b", 31)).unwrap();
    let by_id = index_id(&mut h, "person_id_idx_btree");
    let by_name = index_id(&mut h, "person_name_idx_btree");
    let by_age = index_id(&mut h, "person_age_idx_btree");
    let blob_idx = index_id(&mut h, "blob_id_idx_btree");

    // Rename row 1 through the primary key.
    assert_eq!(h.datastore_update_bsatn(PERSON, by_id, &person(1, "z", 40)).unwrap(), Vec::<u8>::new());
    let rows = scan(&mut h, PERSON);
    assert_eq!(rows, [person_value(2, "b", 31), person_value(1, "z", 40)]);
    // Through the name index: change the age of "b".
    h.datastore_update_bsatn(PERSON, by_name, &person(2, "b", 50)).unwrap();
    assert_eq!(scan(&mut h, PERSON)[1], person_value(2, "b", 50));

    let before = tx(&h).dump();
    assert_eq!(errno_of(h.datastore_update_bsatn(PERSON, by_age, &person(1, "z", 40))), INDEX_NOT_UNIQUE);
    assert_eq!(errno_of(h.datastore_update_bsatn(PERSON, by_id, &person(77, "q", 1))), NO_SUCH_ROW);
    assert_eq!(errno_of(h.datastore_update_bsatn(PERSON, by_id, &person(1, "b", 1))), UNIQUE_ALREADY_EXISTS);
    assert_eq!(errno_of(h.datastore_update_bsatn(PERSON, 999, &person(1, "z", 40))), NO_SUCH_INDEX);
    assert_eq!(errno_of(h.datastore_update_bsatn(PERSON, blob_idx, &person(1, "z", 40))), NO_SUCH_INDEX);
    assert_eq!(errno_of(h.datastore_update_bsatn(99, by_id, &person(1, "z", 40))), NO_SUCH_TABLE);
    assert_eq!(tx(&h).dump(), before, "failed updates change nothing");

    // A zero auto-inc value is regenerated before the key is taken: usually no such row.
    assert_eq!(errno_of(h.datastore_update_bsatn(PERSON, by_id, &person(0, "z", 40))), NO_SUCH_ROW);
    // Through the name index the regenerated id is written back and stored.
    let wb = h.datastore_update_bsatn(PERSON, by_name, &person(0, "z", 41)).unwrap();
    assert_eq!(wb, 4u64.to_le_bytes(), "3 was consumed by the failed update");
    assert!(scan(&mut h, PERSON).contains(&person_value(4, "z", 41)));
    // Updating to an identical row is a no-op.
    let before = tx(&h).dump();
    h.datastore_update_bsatn(PERSON, by_id, &person(4, "z", 41)).unwrap();
    assert_eq!(tx(&h).dump(), before);
}

fn people(h: &mut AbiHost) {
    for (name, age) in [("a", 30), ("b", 20), ("c", 30), ("d", 40), ("e", 25), ("f", 30)] {
        h.datastore_insert_bsatn(PERSON, &person(0, name, age)).unwrap();
    }
}

#[test]
fn range_scans_follow_index_order_and_bounds() {
    let mut h = host();
    people(&mut h);
    let age = index_id(&mut h, "person_age_idx_btree");
    let age_name = index_id(&mut h, "person_age_name_idx_btree");
    let name = index_id(&mut h, "person_name_idx_btree");
    let u = bound(Bound::<u8>::Unbounded);

    // Full scan in index order (ties in insertion order).
    assert_eq!(ids(&range(&mut h, PERSON, age, no_prefix(), &u, &u)), [2, 5, 1, 3, 6, 4]);
    // Point lookup: the same bytes for both bounds.
    let p = bound(Bound::Included(30u8));
    assert_eq!(ids(&range(&mut h, PERSON, age, no_prefix(), &p, &p)), [1, 3, 6]);
    // [25, 40)
    let (s, e) = (bound(Bound::Included(25u8)), bound(Bound::Excluded(40u8)));
    assert_eq!(ids(&range(&mut h, PERSON, age, no_prefix(), &s, &e)), [5, 1, 3, 6]);
    // (25, 40]
    let (s, e) = (bound(Bound::Excluded(25u8)), bound(Bound::Included(40u8)));
    assert_eq!(ids(&range(&mut h, PERSON, age, no_prefix(), &s, &e)), [1, 3, 6, 4]);
    // Inverted and empty ranges.
    let (s, e) = (bound(Bound::Included(40u8)), bound(Bound::Included(20u8)));
    assert_eq!(ids(&range(&mut h, PERSON, age, no_prefix(), &s, &e)), Vec::<u64>::new());
    let x = bound(Bound::Excluded(30u8));
    assert_eq!(ids(&range(&mut h, PERSON, age, no_prefix(), &x, &x)), Vec::<u64>::new());
    // Unique string index.
    let c = bound(Bound::Included("c".to_string()));
    assert_eq!(ids(&range(&mut h, PERSON, name, no_prefix(), &c, &c)), [3]);

    // Multi-column (age, name): prefix age = 30, name in ["b", "e"].
    let prefix = bsatn::to_vec(&30u8);
    let pre = IndexPrefix { bytes: &prefix, elems: 1 };
    let (s, e) = (bound(Bound::Included("b".to_string())), bound(Bound::Included("e".to_string())));
    assert_eq!(ids(&range(&mut h, PERSON, age_name, pre, &s, &e)), [3]);
    let su = bound(Bound::<String>::Unbounded);
    assert_eq!(ids(&range(&mut h, PERSON, age_name, pre, &su, &su)), [1, 3, 6]);
    // No prefix: the bound is on the first column, the rest filled (all names).
    let (s, e) = (bound(Bound::Included(25u8)), bound(Bound::Included(30u8)));
    assert_eq!(ids(&range(&mut h, PERSON, age_name, no_prefix(), &s, &e)), [5, 1, 3, 6]);
    // As on the server, an Excluded bound on a non-last column behaves like Included.
    let (s, e) = (bound(Bound::Excluded(25u8)), bound(Bound::Excluded(30u8)));
    assert_eq!(ids(&range(&mut h, PERSON, age_name, no_prefix(), &s, &e)), [5, 1, 3, 6]);
}

#[test]
fn range_scan_bad_arguments() {
    let mut h = host();
    people(&mut h);
    let age = index_id(&mut h, "person_age_idx_btree");
    let age_name = index_id(&mut h, "person_age_name_idx_btree");
    let u = bound(Bound::<u8>::Unbounded);
    let scan =
        |h: &mut AbiHost, index, prefix, s: &[u8], e: &[u8]| h.datastore_index_scan_range_bsatn(index, prefix, s, e);
    assert_eq!(errno_of(scan(&mut h, 999, no_prefix(), &u, &u)), NO_SUCH_INDEX);
    assert_eq!(errno_of(scan(&mut h, age, no_prefix(), &[], &u)), BSATN_DECODE_ERROR, "empty bound");
    assert_eq!(errno_of(scan(&mut h, age, no_prefix(), &[3], &u)), BSATN_DECODE_ERROR, "bad tag");
    assert_eq!(errno_of(scan(&mut h, age, no_prefix(), &u, &[0])), BSATN_DECODE_ERROR, "missing value");
    let by_id = index_id(&mut h, "person_id_idx_btree");
    let s = bound(Bound::Included(5u64));
    assert_eq!(errno_of(scan(&mut h, by_id, no_prefix(), &s[..4], &s)), BSATN_DECODE_ERROR, "truncated value");
    // Trailing bytes after a bound are ignored, as on the server.
    let mut t = bound(Bound::Included(30u8));
    t.push(0xff);
    let it = scan(&mut h, age, no_prefix(), &t, &t).unwrap();
    h.row_iter_bsatn_close(it).unwrap();
    // A prefix on a single-column index.
    assert_eq!(errno_of(scan(&mut h, age, IndexPrefix { bytes: &[30], elems: 1 }, &u, &u)), BSATN_DECODE_ERROR);
    // Prefix leaving no column to bound / longer than the key.
    let p = bsatn::to_vec(&(30u8, "a".to_string()));
    assert_eq!(errno_of(scan(&mut h, age_name, IndexPrefix { bytes: &p, elems: 2 }, &u, &u)), BSATN_DECODE_ERROR);
    assert_eq!(errno_of(scan(&mut h, age_name, IndexPrefix { bytes: &p, elems: 9 }, &u, &u)), BSATN_DECODE_ERROR);
    // A truncated prefix.
    assert_eq!(errno_of(scan(&mut h, age_name, IndexPrefix { bytes: &[], elems: 1 }, &u, &u)), BSATN_DECODE_ERROR);
    // The same for deletes, and nothing was deleted.
    assert_eq!(errno_of(h.datastore_delete_by_index_scan_range_bsatn(age, no_prefix(), &[9], &u)), BSATN_DECODE_ERROR);
    assert_eq!(errno_of(h.datastore_delete_by_index_scan_range_bsatn(999, no_prefix(), &u, &u)), NO_SUCH_INDEX);
    assert_eq!(h.datastore_table_row_count(PERSON).unwrap(), 6);
    assert_eq!(h.open_row_iters(), 0, "failed scans leave no iterator behind");
}

#[test]
fn delete_by_range_returns_the_count() {
    let mut h = host();
    people(&mut h);
    let age = index_id(&mut h, "person_age_idx_btree");
    let p = bound(Bound::Included(30u8));
    assert_eq!(h.datastore_delete_by_index_scan_range_bsatn(age, no_prefix(), &p, &p).unwrap(), 3);
    assert_eq!(h.datastore_delete_by_index_scan_range_bsatn(age, no_prefix(), &p, &p).unwrap(), 0);
    assert_eq!(ids(&scan(&mut h, PERSON)), [2, 4, 5]);
    // Deprecated alias goes through the same method: unique lookup delete.
    let by_id = index_id(&mut h, "person_id_idx_btree");
    let k = bound(Bound::Included(4u64));
    assert_eq!(h.datastore_delete_by_index_scan_range_bsatn(by_id, no_prefix(), &k, &k).unwrap(), 1);
    assert_eq!(ids(&scan(&mut h, PERSON)), [2, 5]);
}

#[test]
fn delete_all_by_eq_takes_an_array_of_rows() {
    let mut h = host();
    people(&mut h);
    let rel = array_of(&[person(1, "a", 30), person(3, "c", 30), person(1, "a", 30), person(9, "nope", 1)]);
    assert_eq!(h.datastore_delete_all_by_eq_bsatn(PERSON, &rel).unwrap(), 2);
    assert_eq!(ids(&scan(&mut h, PERSON)), [2, 4, 5, 6]);
    // Equal means byte-equal: a different age is not a match.
    assert_eq!(h.datastore_delete_all_by_eq_bsatn(PERSON, &array_of(&[person(2, "b", 21)])).unwrap(), 0);
    assert_eq!(h.datastore_delete_all_by_eq_bsatn(PERSON, &array_of(&[])).unwrap(), 0);
    // A single row (not an array) does not decode.
    assert_eq!(errno_of(h.datastore_delete_all_by_eq_bsatn(PERSON, &person(2, "b", 20))), BSATN_DECODE_ERROR);
    assert_eq!(errno_of(h.datastore_delete_all_by_eq_bsatn(PERSON, &[0xff, 0xff, 0xff, 0xff])), BSATN_DECODE_ERROR);
    assert_eq!(errno_of(h.datastore_delete_all_by_eq_bsatn(99, &array_of(&[]))), NO_SUCH_TABLE);
    assert_eq!(h.datastore_table_row_count(PERSON).unwrap(), 4);
}

#[test]
fn scans_are_snapshots() {
    let mut h = host();
    people(&mut h);
    let it = h.datastore_table_scan_bsatn(PERSON).unwrap();
    h.datastore_insert_bsatn(PERSON, &person(0, "later", 1)).unwrap();
    let rows = decode_rows(PERSON, &drain(&mut h, it));
    assert_eq!(rows.len(), 6);
}

#[test]
fn rollback_restores_the_state_but_not_the_sequences() {
    let mut h = host();
    people(&mut h);
    let ds = commit(&mut h);
    let before = ds.dump();
    let mut h = host_with(ds);
    let age = index_id(&mut h, "person_age_idx_btree");
    let by_id = index_id(&mut h, "person_id_idx_btree");
    h.datastore_insert_bsatn(PERSON, &person(0, "x", 99)).unwrap();
    h.datastore_update_bsatn(PERSON, by_id, &person(2, "b2", 21)).unwrap();
    let p = bound(Bound::Included(30u8));
    h.datastore_delete_by_index_scan_range_bsatn(age, no_prefix(), &p, &p).unwrap();
    // Delete and re-insert a committed row (undelete).
    h.datastore_delete_all_by_eq_bsatn(PERSON, &array_of(&[person(4, "d", 40)])).unwrap();
    h.datastore_insert_bsatn(PERSON, &person(4, "d", 40)).unwrap();
    assert_ne!(tx(&h).dump(), before);
    let ds = h.take_tx().unwrap().rollback();
    assert_eq!(ds.dump(), before);
    assert_eq!(ds.sequence_next(TableId(PERSON), 0), Some(8), "sequence values are not reused");
}

#[test]
fn commit_reports_net_changes() {
    let mut h = host();
    people(&mut h);
    let ds = commit(&mut h);
    let mut h = host_with(ds);
    let by_id = index_id(&mut h, "person_id_idx_btree");
    h.datastore_insert_bsatn(PERSON, &person(0, "new", 1)).unwrap(); // id 7
    h.datastore_insert_bsatn(PERSON, &person(0, "gone", 1)).unwrap(); // id 8, deleted below
    h.datastore_delete_all_by_eq_bsatn(PERSON, &array_of(&[person(8, "gone", 1)])).unwrap();
    h.datastore_update_bsatn(PERSON, by_id, &person(2, "b", 99)).unwrap();
    h.datastore_delete_all_by_eq_bsatn(PERSON, &array_of(&[person(4, "d", 40)])).unwrap();
    // Deleted and re-inserted: no net change, and the row keeps its place.
    h.datastore_delete_all_by_eq_bsatn(PERSON, &array_of(&[person(5, "e", 25)])).unwrap();
    h.datastore_insert_bsatn(PERSON, &person(5, "e", 25)).unwrap();
    let (ds, changes) = h.take_tx().unwrap().commit();
    assert_eq!(changes.tables.len(), 1);
    let t = changes.table(TableId(PERSON)).unwrap();
    let values =
        |rows: &[std::sync::Arc<worldtube_host::Row>]| rows.iter().map(|r| r.value().clone()).collect::<Vec<_>>();
    assert_eq!(values(&t.inserted), [person_value(7, "new", 1), person_value(2, "b", 99)]);
    assert_eq!(values(&t.deleted), [person_value(2, "b", 20), person_value(4, "d", 40)]);
    assert!(changes.schedules.inserted.is_empty());
    let order: Vec<u64> = ds
        .rows(TableId(PERSON))
        .unwrap()
        .map(|(_, r)| match r.value().elements[0] {
            AlgebraicValue::U64(id) => id,
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(order, [1, 3, 5, 6, 7, 2]);
    // A transaction that changes nothing reports nothing.
    let (_, changes) = ds.begin(now()).commit();
    assert!(changes.is_empty());
}

fn tick(id: u64, at: ScheduleAt) -> Vec<u8> {
    bsatn::to_vec(&(id, at))
}

#[test]
fn schedule_rows_are_checked_and_reported() {
    let mut h = host();
    let soon = ScheduleAt::Time(Timestamp::from_micros_since_unix_epoch(NOW_MICROS + 1_000_000));
    let every = ScheduleAt::Interval(TimeDuration::from_micros(50_000));
    let year_micros = 365 * 24 * 3600 * 1_000_000i64;
    let far = ScheduleAt::Time(Timestamp::from_micros_since_unix_epoch(NOW_MICROS + 3 * year_micros));
    let long = ScheduleAt::Interval(TimeDuration::from_micros(3 * year_micros));
    let past = ScheduleAt::Time(Timestamp::from_micros_since_unix_epoch(0));
    assert_eq!(h.datastore_insert_bsatn(TICK, &tick(0, soon)).unwrap(), 1u64.to_le_bytes());
    assert_eq!(h.datastore_insert_bsatn(TICK, &tick(0, every)).unwrap(), 2u64.to_le_bytes());
    assert_eq!(errno_of(h.datastore_insert_bsatn(TICK, &tick(0, far))), SCHEDULE_AT_DELAY_TOO_LONG);
    assert_eq!(errno_of(h.datastore_insert_bsatn(TICK, &tick(0, long))), SCHEDULE_AT_DELAY_TOO_LONG);
    h.datastore_insert_bsatn(TICK, &tick(0, past)).unwrap();
    assert_eq!(h.datastore_table_row_count(TICK).unwrap(), 3);
    let by_id = index_id(&mut h, "tick_scheduled_id_idx_btree");
    assert_eq!(errno_of(h.datastore_update_bsatn(TICK, by_id, &tick(1, far))), SCHEDULE_AT_DELAY_TOO_LONG);
    let (ds, changes) = h.take_tx().unwrap().commit();
    let ins: Vec<(u64, ScheduleAt)> = changes.schedules.inserted.iter().map(|s| (s.schedule_id, s.at)).collect();
    assert_eq!(ins, [(1, soon), (2, every), (5, past)]);
    assert_eq!(
        changes.schedules.inserted[0].target,
        ScheduleTarget::Reducer(ds.schema().reducer_id("on_tick").unwrap())
    );

    // Updating a schedule row reports a delete and an insert; deleting reports a delete.
    let mut h = host_with(ds);
    h.datastore_update_bsatn(TICK, by_id, &tick(1, every)).unwrap();
    h.datastore_delete_all_by_eq_bsatn(TICK, &array_of(&[tick(2, every)])).unwrap();
    let (_, changes) = h.take_tx().unwrap().commit();
    let del: Vec<u64> = changes.schedules.deleted.iter().map(|s| s.schedule_id).collect();
    let ins: Vec<(u64, ScheduleAt)> = changes.schedules.inserted.iter().map(|s| (s.schedule_id, s.at)).collect();
    assert_eq!(del, [1, 2]);
    assert_eq!(ins, [(1, every)]);
}

#[test]
fn snapshot_and_restore_keep_sequences_advanced() {
    let mut h = host();
    people(&mut h);
    let ds = commit(&mut h);
    let snap = ds.snapshot();
    let before = ds.dump();
    let mut h = host_with(ds);
    h.datastore_insert_bsatn(PERSON, &person(0, "x", 1)).unwrap();
    let ds2 = commit(&mut h);
    let mut ds = ds2;
    assert_ne!(ds.dump(), before);
    ds.restore(snap);
    assert_eq!(ds.dump(), before);
    assert_eq!(ds.sequence_next(TableId(PERSON), 0), Some(8));
}

#[test]
fn datastore_value_level_reads() {
    let mut h = host();
    people(&mut h);
    let ds: Datastore = commit(&mut h);
    let s = ds.schema().clone();
    let age = s.index_id("person_age_idx_btree").unwrap();
    assert_eq!(ds.index_seek(age, &[AlgebraicValue::U8(30)]).unwrap().len(), 3);
    let r = ds.index_range(age, &[], Bound::Included(AlgebraicValue::U8(26)), Bound::Unbounded).unwrap();
    assert_eq!(r.len(), 4);
    assert!(ds.index_range(age, &[AlgebraicValue::U8(1)], Bound::Unbounded, Bound::Unbounded).is_err());
    let id = ds.find_by_bytes(TableId(PERSON), &person(1, "a", 30)).unwrap();
    assert_eq!(ds.row(TableId(PERSON), id).unwrap().value(), &person_value(1, "a", 30));
    assert_eq!(id, RowId(0));
    assert_eq!(ds.row_count(TableId(PERSON)), Some(6));
    assert_eq!(ds.row_count(TableId(77)), None);
}

#[test]
fn bytes_source_protocol() {
    let mut h = AbiHost::new(database_identity());
    assert_eq!(h.begin_call(None, Vec::new()), 0, "empty arguments get no source");
    let mut buf = [0u8; 4];
    assert_eq!(errno_of(h.bytes_source_read(1, &mut buf)), NO_SUCH_BYTES);
    assert_eq!(h.begin_call(None, (1..=10).collect()), 1);
    assert_eq!(errno_of(h.bytes_source_read(0, &mut buf)), NO_SUCH_BYTES);
    assert_eq!(errno_of(h.bytes_source_read(2, &mut buf)), NO_SUCH_BYTES);
    assert_eq!(h.bytes_source_read(1, &mut []).unwrap(), SourceRead { written: 0, exhausted: false });
    assert_eq!(h.bytes_source_read(1, &mut buf).unwrap(), SourceRead { written: 4, exhausted: false });
    assert_eq!(buf, [1, 2, 3, 4]);
    assert_eq!(h.bytes_source_read(1, &mut buf).unwrap(), SourceRead { written: 4, exhausted: false });
    assert_eq!(h.bytes_source_read(1, &mut buf).unwrap(), SourceRead { written: 2, exhausted: true });
    assert_eq!(&buf[..2], [9, 10]);
    assert_eq!(errno_of(h.bytes_source_read(1, &mut buf)), NO_SUCH_BYTES);
    // Exactly the remaining size exhausts in one call.
    h.set_args(vec![5; 4]);
    assert_eq!(h.bytes_source_read(1, &mut buf).unwrap(), SourceRead { written: 4, exhausted: true });
}

#[test]
fn bytes_sink_collects_writes() {
    let mut h = AbiHost::new(database_identity());
    assert_eq!(h.bytes_sink_write(1, b"hello ").unwrap(), 6);
    assert_eq!(h.bytes_sink_write(1, b"").unwrap(), 0);
    assert_eq!(h.bytes_sink_write(1, b"world").unwrap(), 5);
    assert_eq!(errno_of(h.bytes_sink_write(0, b"x")), NO_SUCH_BYTES);
    assert_eq!(errno_of(h.bytes_sink_write(2, b"x")), NO_SUCH_BYTES);
    assert_eq!(h.sink(), b"hello world");
    let end = h.end_call();
    assert_eq!(end.sink, b"hello world");
    assert!(h.sink().is_empty());
}

#[test]
fn console_log_and_timers() {
    let mut h = AbiHost::new(database_identity());
    h.console_log(1, Some("my_module"), Some("src/lib.rs"), Some(12), "careful").unwrap();
    h.console_log(77, None, None, None, "odd level").unwrap();
    let t1 = h.console_timer_start("load").unwrap();
    let t2 = h.console_timer_start("save").unwrap();
    assert_eq!((t1, t2), (1, 2));
    h.console_timer_end(t1).unwrap();
    assert_eq!(errno_of(h.console_timer_end(t1)), NO_SUCH_CONSOLE_TIMER);
    assert_eq!(errno_of(h.console_timer_end(0)), NO_SUCH_CONSOLE_TIMER);
    assert_eq!(errno_of(h.console_timer_end(u32::MAX)), NO_SUCH_CONSOLE_TIMER);
    assert_eq!(h.console_timer_start("again").unwrap(), 1, "the freed slot is reused");
    assert_eq!(h.open_timers(), 2);
    let logs = h.take_logs();
    assert_eq!(logs.len(), 3);
    assert_eq!(logs[0].level, LogLevel::Warn);
    assert_eq!(logs[0].target.as_deref(), Some("my_module"));
    assert_eq!(logs[0].filename.as_deref(), Some("src/lib.rs"));
    assert_eq!(logs[0].line_number, Some(12));
    assert_eq!(logs[0].message, "careful");
    assert_eq!(logs[1].level, LogLevel::Debug);
    assert_eq!(logs[2].level, LogLevel::Info);
    assert!(logs[2].message.starts_with("Timing span \"load\": "), "{}", logs[2].message);
    assert_eq!(logs[2].target, None);
}

#[test]
fn identity_and_schedule_immediate() {
    let mut h = AbiHost::new(database_identity());
    assert_eq!(h.identity().unwrap(), database_identity().to_byte_array());
    h.volatile_nonatomic_schedule_immediate("say_hello", &[1, 2]).unwrap();
    h.volatile_nonatomic_schedule_immediate("nope", &[]).unwrap();
    let calls = h.take_scheduled();
    assert_eq!(calls.len(), 2);
    assert_eq!((calls[0].reducer.as_str(), calls[0].args.as_slice()), ("say_hello", &[1u8, 2][..]));
}

#[test]
fn value_level_insert_update_and_delete() {
    let mut tx = Datastore::new(schema()).begin(now());
    let t = TableId(PERSON);
    let ins = tx.insert(t, person_value(0, "a", 30)).unwrap();
    assert_eq!(ins.generated, [(0, AlgebraicValue::U64(1))]);
    assert_eq!(ins.generated_bsatn(), 1u64.to_le_bytes());
    // Wrong arity or element type.
    let wrong = worldtube_lib::algebraic::ProductValue::new([AlgebraicValue::U64(1)]);
    let err = tx.insert(t, wrong).unwrap_err();
    assert_eq!(err, DatastoreError::WrongRowType { table: "person".into() });
    assert_eq!(errno_of::<()>(Err(err.into())), BSATN_DECODE_ERROR, "the ABI reports it as a decode error");
    let wrong = worldtube_lib::algebraic::ProductValue::new([
        AlgebraicValue::U32(1),
        AlgebraicValue::from("b"),
        AlgebraicValue::U8(1),
    ]);
    let err = tx.insert(t, wrong).unwrap_err();
    assert_eq!(err, DatastoreError::WrongRowType { table: "person".into() });
    assert_eq!(errno_of::<()>(Err(err.into())), BSATN_DECODE_ERROR, "the ABI reports it as a decode error");
    let by_id = tx.schema().index_id("person_id_idx_btree").unwrap();
    tx.update(t, by_id, person_value(1, "a", 31)).unwrap();
    assert!(tx.delete_by_value(t, &person_value(1, "a", 31)));
    assert!(!tx.delete_by_value(t, &person_value(1, "a", 31)));
    assert_eq!(tx.row_count(t), Some(0));
    let (_, changes) = tx.commit();
    assert!(changes.is_empty(), "inserted and deleted in the same transaction: no net change");
}
