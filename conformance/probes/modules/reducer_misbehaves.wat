;; Reducers that insert a row and then misbehave: the insert must not be committed, and the host
;; must go on (the next call gets a fresh instance if this one trapped).
(module
  {{prelude}}
  (data (i32.const 1024) "nope")

  (func $insert_x
    (call $must (call $datastore_insert_bsatn (call $item) (call $row (i32.const 192) (i32.const 9)) (i32.const 8))))
  (func $recurse (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))

  (func $case.traps (result i32)
    (call $insert_x)
    (unreachable))
  (func $case.loops (result i32)
    (call $insert_x)
    (loop $forever (br $forever))
    (i32.const 0))
  (func $case.recurses (result i32)
    (call $insert_x)
    (call $recurse (i32.const 0)))
  (func $case.fails (result i32)
    (call $insert_x)
    (call $write_all (global.get $err) (i32.const 1024) (i32.const 4))
    (i32.const 1))
  (func $case.divides_by_zero (result i32)
    (call $insert_x)
    (i32.div_u (i32.const 1) (i32.load (i32.const 0))))
  (func $case.reads_past_memory (result i32)
    (call $insert_x)
    (i32.load (i32.const 131070)))
  ;; memory.grow past what wasm32 (or the host's limit) allows must answer -1, not trap the host;
  ;; the reducer then reports it as its error.
  (func $case.grows_memory (result i32)
    (call $insert_x)
    (if (i32.ne (memory.grow (i32.const 65536)) (i32.const -1)) (then (return (i32.const 0))))
    (if (i32.ne (memory.grow (i32.const 0x7fffffff)) (i32.const -1)) (then (return (i32.const 0))))
    (if (i32.ne (memory.grow (i32.const -1)) (i32.const -1)) (then (return (i32.const 0))))
    (call $write_all (global.get $err) (i32.const 1024) (i32.const 4))
    (i32.const 1))

  {{exports}}
)
