;; An import of a name `spacetime_10.0` does not have.
(module
  (import "spacetime_10.0" "no_such_import" (func (param i32) (result i32)))
  {{prelude}}
  {{exports}}
)
