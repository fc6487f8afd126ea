  ;; ---------------------------------------------------------------------------------------------
  ;; The probe prelude: pasted where a probe writes {{prelude}}. Every `spacetime_10.0` import, one
  ;; memory of 2 pages (128 KiB, so address 131072 is the first one out of bounds; a generated
  ;; description too big for 98304.. goes above it, in more pages), the fixed data
  ;; below, the reporting helpers, and the two reducers every probe module has: `init` (id 0,
  ;; seeds two `item` rows) and `ping` (id 1, does nothing and succeeds).
  ;;
  ;; Memory map (decimal):
  ;;   0          NULL; never used
  ;;   8          LEN: a 4-byte length cell for the probes
  ;;   12         the report's own length cell
  ;;   16..48     OUT: room for out-values (u32, u64, a 32-byte identity)
  ;;   64  "item"      72  "flag"      80  "item_id_idx_btree" (17)    112 "item_name_idx_btree" (19)
  ;;   136 "\ff\fe\fd" (invalid UTF-8)  144 Bound Unbounded (1)   148 a Bound with tag 7 (1)
  ;;   152 Bound Included(u32 1) (5)
  ;;   160 item row (1, "a")  176 item row (2, "b")  192 item row (7, "x")  208 item row (1, "z")
  ;;   224 item row (99, "q") 240 item row (8, name "\ff") -- every item row is 9 bytes
  ;;   256 BSATN array of one row: count 1, then (1, "a") (13)
  ;;   272 "status="  280 " out="  288 "flag_k_idx_btree" (16)
  ;;   512..1024  the report buffer
  ;;   1024..4096 free for probes' own data
  ;;   4096..36864 BUF, a 32 KiB work buffer ($row copies rows here)
  ;;   98304..    the module description written by __describe_module__
  ;; ---------------------------------------------------------------------------------------------
  (import "spacetime_10.0" "table_id_from_name" (func $table_id_from_name (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "index_id_from_name" (func $index_id_from_name (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "datastore_table_row_count" (func $datastore_table_row_count (param i32 i32) (result i32)))
  (import "spacetime_10.0" "datastore_table_scan_bsatn" (func $datastore_table_scan_bsatn (param i32 i32) (result i32)))
  (import "spacetime_10.0" "datastore_index_scan_range_bsatn"
    (func $datastore_index_scan_range_bsatn (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "datastore_btree_scan_bsatn"
    (func $datastore_btree_scan_bsatn (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "datastore_delete_by_index_scan_range_bsatn"
    (func $datastore_delete_by_index_scan_range_bsatn (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "datastore_delete_by_btree_scan_bsatn"
    (func $datastore_delete_by_btree_scan_bsatn (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "datastore_delete_all_by_eq_bsatn"
    (func $datastore_delete_all_by_eq_bsatn (param i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "row_iter_bsatn_advance" (func $row_iter_bsatn_advance (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "row_iter_bsatn_close" (func $row_iter_bsatn_close (param i32) (result i32)))
  (import "spacetime_10.0" "datastore_insert_bsatn" (func $datastore_insert_bsatn (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "datastore_update_bsatn" (func $datastore_update_bsatn (param i32 i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "volatile_nonatomic_schedule_immediate"
    (func $volatile_nonatomic_schedule_immediate (param i32 i32 i32 i32)))
  (import "spacetime_10.0" "bytes_sink_write" (func $bytes_sink_write (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "bytes_source_read" (func $bytes_source_read (param i32 i32 i32) (result i32)))
  (import "spacetime_10.0" "console_log" (func $console_log (param i32 i32 i32 i32 i32 i32 i32 i32)))
  (import "spacetime_10.0" "console_timer_start" (func $console_timer_start (param i32 i32) (result i32)))
  (import "spacetime_10.0" "console_timer_end" (func $console_timer_end (param i32) (result i32)))
  (import "spacetime_10.0" "identity" (func $identity (param i32)))

  (memory (export "memory") {{memory_pages}})

  (data (i32.const 64) "item")
  (data (i32.const 72) "flag")
  (data (i32.const 80) "item_id_idx_btree")
  (data (i32.const 112) "item_name_idx_btree")
  (data (i32.const 136) "\ff\fe\fd")
  (data (i32.const 144) "\02")
  (data (i32.const 148) "\07")
  (data (i32.const 152) "\00\01\00\00\00")
  (data (i32.const 160) "\01\00\00\00\01\00\00\00a")
  (data (i32.const 176) "\02\00\00\00\01\00\00\00b")
  (data (i32.const 192) "\07\00\00\00\01\00\00\00x")
  (data (i32.const 208) "\01\00\00\00\01\00\00\00z")
  (data (i32.const 224) "\63\00\00\00\01\00\00\00q")
  (data (i32.const 240) "\08\00\00\00\01\00\00\00\ff")
  (data (i32.const 256) "\01\00\00\00\01\00\00\00\01\00\00\00a")
  (data (i32.const 272) "status=")
  (data (i32.const 288) "flag_k_idx_btree")
  (data (i32.const 280) " out=")

  ;; The error sink and argument source of the current call, set by __call_reducer__.
  (global $err (mut i32) (i32.const 0))
  (global $args (mut i32) (i32.const 0))
  ;; The out-value a case reports with its status ($out), and the report's write position.
  (global $out_ptr (mut i32) (i32.const 0))
  (global $out_len (mut i32) (i32.const 0))
  (global $rp (mut i32) (i32.const 0))

  ;; Traps unless a status is 0: for set-up steps that are not what a case checks.
  (func $must (param $status i32)
    (if (local.get $status) (then (unreachable))))

  ;; Sets the LEN cell.
  (func $len (param $value i32)
    (i32.store (i32.const 8) (local.get $value)))

  ;; Marks `len` bytes at `ptr` as the case's out-value.
  (func $out (param $ptr i32) (param $len i32)
    (global.set $out_ptr (local.get $ptr))
    (global.set $out_len (local.get $len)))

  ;; Copies a `len`-byte row from `src` to BUF, sets LEN to `len`, returns BUF (inserts write back).
  (func $row (param $src i32) (param $len i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (i32.store8 (i32.add (i32.const 4096) (local.get $i)) (i32.load8_u (i32.add (local.get $src) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $len (local.get $len))
    (i32.const 4096))

  ;; The ids of `item`, `flag` and item's two indexes (traps if the lookup fails).
  (func $item (result i32)
    (call $must (call $table_id_from_name (i32.const 64) (i32.const 4) (i32.const 16)))
    (i32.load (i32.const 16)))
  (func $flag (result i32)
    (call $must (call $table_id_from_name (i32.const 72) (i32.const 4) (i32.const 16)))
    (i32.load (i32.const 16)))
  (func $item_id_idx (result i32)
    (call $must (call $index_id_from_name (i32.const 80) (i32.const 17) (i32.const 16)))
    (i32.load (i32.const 16)))
  (func $flag_k_idx (result i32)
    (call $must (call $index_id_from_name (i32.const 288) (i32.const 16) (i32.const 16)))
    (i32.load (i32.const 16)))
  (func $item_name_idx (result i32)
    (call $must (call $index_id_from_name (i32.const 112) (i32.const 19) (i32.const 16)))
    (i32.load (i32.const 16)))

  ;; A new row iterator over every row of `item`.
  (func $scan_item (result i32)
    (call $must (call $datastore_table_scan_bsatn (call $item) (i32.const 16)))
    (i32.load (i32.const 16)))

  ;; Writes `len` bytes at `ptr` to `sink`, repeating while the host takes part of them.
  (func $write_all (param $sink i32) (param $ptr i32) (param $len i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 12) (local.get $len))
        (br_if $done (call $bytes_sink_write (local.get $sink) (local.get $ptr) (i32.const 12)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.load (i32.const 12))))
        (local.set $len (i32.sub (local.get $len) (i32.load (i32.const 12))))
        (br $more))))

  (func $put_byte (param $b i32)
    (i32.store8 (global.get $rp) (local.get $b))
    (global.set $rp (i32.add (global.get $rp) (i32.const 1))))
  (func $put_str (param $p i32) (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $put_byte (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))
  (func $put_dec (param $v i32)
    (local $div i32)
    (if (i32.lt_s (local.get $v) (i32.const 0))
      (then (call $put_byte (i32.const 45)) (local.set $v (i32.sub (i32.const 0) (local.get $v)))))
    (local.set $div (i32.const 1))
    (block $done
      (loop $up
        (br_if $done (i32.lt_u (i32.div_u (local.get $v) (local.get $div)) (i32.const 10)))
        (local.set $div (i32.mul (local.get $div) (i32.const 10)))
        (br $up)))
    (block $done
      (loop $digit
        (call $put_byte (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $v) (local.get $div)) (i32.const 10))))
        (br_if $done (i32.eq (local.get $div) (i32.const 1)))
        (local.set $div (i32.div_u (local.get $div) (i32.const 10)))
        (br $digit))))
  (func $nibble (param $x i32) (result i32)
    (select (i32.add (local.get $x) (i32.const 48)) (i32.add (local.get $x) (i32.const 87))
      (i32.lt_u (local.get $x) (i32.const 10))))
  (func $put_hex (param $p i32) (param $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (call $put_byte (call $nibble (i32.shr_u (i32.load8_u (local.get $p)) (i32.const 4))))
        (call $put_byte (call $nibble (i32.and (i32.load8_u (local.get $p)) (i32.const 15))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))

  ;; Writes `status=<decimal>[ out=<hex>]` to the error sink and returns 1 (the reducer failed, so
  ;; nothing a case did is committed).
  (func $report (param $status i32) (result i32)
    (global.set $rp (i32.const 512))
    (call $put_str (i32.const 272) (i32.const 7))
    (call $put_dec (local.get $status))
    (if (global.get $out_len)
      (then
        (call $put_str (i32.const 280) (i32.const 5))
        (call $put_hex (global.get $out_ptr) (global.get $out_len))))
    (call $write_all (global.get $err) (i32.const 512) (i32.sub (global.get $rp) (i32.const 512)))
    (i32.const 1))

  ;; Reducer 0, `init`: seeds item rows (1, "a") and (2, "b").
  (func $init (result i32)
    (call $must (call $datastore_insert_bsatn (call $item) (call $row (i32.const 160) (i32.const 9)) (i32.const 8)))
    (call $must (call $datastore_insert_bsatn (call $item) (call $row (i32.const 176) (i32.const 9)) (i32.const 8)))
    (i32.const 0))

  ;; Reducer 1, `ping`: succeeds (the runner's "is the host still alive" call).
  (func $ping (result i32)
    (i32.const 0))
  ;; ------------------------------------------------------------------------------ end of prelude
