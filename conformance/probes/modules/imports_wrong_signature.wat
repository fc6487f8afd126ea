;; `console_timer_end` imported with an i64 parameter instead of i32.
(module
  (import "spacetime_10.0" "console_timer_end" (func $bad (param i64) (result i32)))
  {{prelude}}
  {{exports}}
)
