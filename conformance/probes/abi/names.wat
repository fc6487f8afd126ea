;; table_id_from_name and index_id_from_name: names as (ptr, len) UTF-8, ids through out-pointers.
(module
  {{prelude}}

  (func $case.table_id_known (result i32)
    (call $table_id_from_name (i32.const 64) (i32.const 4) (i32.const 16)))
  (func $case.table_id_unknown (result i32)
    ;; "ite": a prefix of a real name is not a name
    (call $table_id_from_name (i32.const 64) (i32.const 3) (i32.const 16)))
  (func $case.table_id_empty_name (result i32)
    (call $table_id_from_name (i32.const 64) (i32.const 0) (i32.const 16)))
  (func $case.table_id_null_name (result i32)
    (call $table_id_from_name (i32.const 0) (i32.const 4) (i32.const 16)))
  (func $case.table_id_null_name_len_0 (result i32)
    (call $table_id_from_name (i32.const 0) (i32.const 0) (i32.const 16)))
  (func $case.table_id_name_past_end (result i32)
    (call $table_id_from_name (i32.const 131070) (i32.const 4) (i32.const 16)))
  (func $case.table_id_len_u32_max (result i32)
    (call $table_id_from_name (i32.const 64) (i32.const -1) (i32.const 16)))
  (func $case.table_id_invalid_utf8 (result i32)
    (call $table_id_from_name (i32.const 136) (i32.const 3) (i32.const 16)))
  (func $case.table_id_out_null (result i32)
    (call $table_id_from_name (i32.const 64) (i32.const 4) (i32.const 0)))
  (func $case.table_id_out_past_end (result i32)
    (call $table_id_from_name (i32.const 64) (i32.const 4) (i32.const 131070)))
  (func $case.index_id_known (result i32)
    (call $index_id_from_name (i32.const 80) (i32.const 17) (i32.const 16)))
  (func $case.index_id_unknown (result i32)
    (call $index_id_from_name (i32.const 80) (i32.const 16) (i32.const 16)))
  (func $case.index_id_invalid_utf8 (result i32)
    (call $index_id_from_name (i32.const 136) (i32.const 3) (i32.const 16)))
  (func $case.index_id_null_name (result i32)
    (call $index_id_from_name (i32.const 0) (i32.const 17) (i32.const 16)))
  (func $case.index_id_out_past_end (result i32)
    (call $index_id_from_name (i32.const 80) (i32.const 17) (i32.const 131072)))

  {{exports}}
)
