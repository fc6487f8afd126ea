;; __describe_module__ writes bytes that are not a RawModuleDef ("item": tag 0x69).
(module
  {{prelude}}
  {{dispatch}}
  (func (export "__describe_module__") (param $sink i32)
    (call $write_all (local.get $sink) (i32.const 64) (i32.const 4)))
)
