;; A __preinit__ export never returns.
(module
  {{prelude}}
  (func (export "__preinit__10_spin") (loop $forever (br $forever)))
  {{exports}}
)
