;; `__describe_module__` with the wrong signature: (i32) -> i32.
(module
  {{prelude}}
  {{dispatch}}
  (func (export "__describe_module__") (param i32) (result i32) (i32.const 0))
)
