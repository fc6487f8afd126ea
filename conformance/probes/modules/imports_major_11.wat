;; An import from `spacetime_11.0`: another major version.
(module
  (import "spacetime_11.0" "console_timer_end" (func (param i32) (result i32)))
  {{prelude}}
  {{exports}}
)
