;; A well-behaved module: `init` seeds two `item` rows, `ping` succeeds. The runner installs it
;; after every refused module to check that the host is still alive; `truncated` cuts it short.
(module
  {{prelude}}
  {{exports}}
)
