;; No `memory` export.
(module
  (import "spacetime_10.0" "console_timer_end" (func (param i32) (result i32)))
  (memory 1)
  (func (export "__describe_module__") (param i32))
  (func (export "__call_reducer__") (param i32 i64 i64 i64 i64 i64 i64 i64 i32 i32) (result i32) (i32.const 0))
)
