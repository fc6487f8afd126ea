;; Datastore imports during start-up (__preinit__*, __describe_module__): outside any transaction,
;; they return NOT_IN_TRANSACTION. Each instance records what it saw in globals while it starts;
;; the cases report those records (every instance that runs a reducer has started up first).
(module
  {{prelude}}

  (global $seen_preinit_table_id (mut i32) (i32.const -100))
  (global $seen_table_id (mut i32) (i32.const -100))
  (global $seen_index_id (mut i32) (i32.const -100))
  (global $seen_row_count (mut i32) (i32.const -100))
  (global $seen_table_scan (mut i32) (i32.const -100))
  (global $seen_insert (mut i32) (i32.const -100))
  (global $seen_delete_by_eq (mut i32) (i32.const -100))
  (global $seen_update (mut i32) (i32.const -100))
  (global $seen_range_scan (mut i32) (i32.const -100))
  (global $seen_delete_by_range (mut i32) (i32.const -100))

  (func (export "__preinit__50_probe")
    (global.set $seen_preinit_table_id (call $table_id_from_name (i32.const 64) (i32.const 4) (i32.const 16))))

  (func $on_describe
    (global.set $seen_table_id (call $table_id_from_name (i32.const 64) (i32.const 4) (i32.const 16)))
    (global.set $seen_index_id (call $index_id_from_name (i32.const 80) (i32.const 17) (i32.const 16)))
    ;; table id 0 is as good as any here: the transaction check comes first
    (global.set $seen_row_count (call $datastore_table_row_count (i32.const 0) (i32.const 16)))
    (global.set $seen_table_scan (call $datastore_table_scan_bsatn (i32.const 0) (i32.const 16)))
    (global.set $seen_insert
      (call $datastore_insert_bsatn (i32.const 0) (call $row (i32.const 192) (i32.const 9)) (i32.const 8)))
    (global.set $seen_delete_by_eq
      (call $datastore_delete_all_by_eq_bsatn (i32.const 0) (i32.const 256) (i32.const 13) (i32.const 16)))
    (global.set $seen_update
      (call $datastore_update_bsatn (i32.const 0) (i32.const 0) (call $row (i32.const 192) (i32.const 9)) (i32.const 8)))
    (global.set $seen_range_scan
      (call $datastore_index_scan_range_bsatn (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
        (i32.const 144) (i32.const 1) (i32.const 144) (i32.const 1) (i32.const 16)))
    (global.set $seen_delete_by_range
      (call $datastore_delete_by_index_scan_range_bsatn (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
        (i32.const 144) (i32.const 1) (i32.const 144) (i32.const 1) (i32.const 16))))

  (func $case.preinit_table_id (result i32) (global.get $seen_preinit_table_id))
  (func $case.describe_table_id (result i32) (global.get $seen_table_id))
  (func $case.describe_index_id (result i32) (global.get $seen_index_id))
  (func $case.describe_row_count (result i32) (global.get $seen_row_count))
  (func $case.describe_table_scan (result i32) (global.get $seen_table_scan))
  (func $case.describe_insert (result i32) (global.get $seen_insert))
  (func $case.describe_delete_by_eq (result i32) (global.get $seen_delete_by_eq))
  (func $case.describe_update (result i32) (global.get $seen_update))
  (func $case.describe_range_scan (result i32) (global.get $seen_range_scan))
  (func $case.describe_delete_by_range (result i32) (global.get $seen_delete_by_range))

  {{exports}}
)
