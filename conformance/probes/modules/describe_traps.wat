;; __describe_module__ traps: the install is refused.
(module
  {{prelude}}
  (func $on_describe (unreachable))
  {{exports}}
)
