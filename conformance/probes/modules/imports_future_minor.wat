;; An import from `spacetime_10.99`, a version no host provides yet.
(module
  (import "spacetime_10.99" "table_id_from_name" (func (param i32 i32 i32) (result i32)))
  {{prelude}}
  {{exports}}
)
