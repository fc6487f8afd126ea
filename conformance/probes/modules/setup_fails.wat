;; __setup__ returns 1 with a message: the module cannot start.
(module
  {{prelude}}
  (data (i32.const 1024) "setup refuses")
  (func (export "__setup__") (param $sink i32) (result i32)
    (call $write_all (local.get $sink) (i32.const 1024) (i32.const 13))
    (i32.const 1))
  {{exports}}
)
