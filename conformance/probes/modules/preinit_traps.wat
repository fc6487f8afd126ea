;; A __preinit__ export traps: module creation is aborted (SPEC 7.1).
(module
  {{prelude}}
  (func (export "__preinit__10_boom") (unreachable))
  {{exports}}
)
