;; The wasm start function traps while the module is instantiated.
(module
  {{prelude}}
  (func $boom (unreachable))
  (start $boom)
  {{exports}}
)
