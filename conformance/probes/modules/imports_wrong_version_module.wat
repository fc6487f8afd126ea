;; `datastore_clear` (10.5) imported from `spacetime_10.0`: an import must come from its version's
;; module (SPEC 1).
(module
  (import "spacetime_10.0" "datastore_clear" (func (param i32 i32) (result i32)))
  {{prelude}}
  {{exports}}
)
