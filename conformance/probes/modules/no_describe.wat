;; No `__describe_module__` export.
(module
  {{prelude}}
  {{dispatch}}
)
