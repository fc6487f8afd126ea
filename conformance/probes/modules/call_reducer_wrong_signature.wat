;; `__call_reducer__` with the wrong signature: (i32) -> i32.
(module
  {{prelude}}
  {{describe}}
  {{describe_data}}
  (func (export "__call_reducer__") (param i32) (result i32) (i32.const 0))
)
