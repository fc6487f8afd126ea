;; __describe_module__ never returns: the host must end it (fuel, a deadline) and refuse the module.
(module
  {{prelude}}
  (func $on_describe (loop $forever (br $forever)))
  {{exports}}
)
