;; A wasm-bindgen build: imports from `__wbindgen_placeholder__`.
(module
  (import "__wbindgen_placeholder__" "__wbindgen_describe" (func (param i32)))
  {{prelude}}
  {{exports}}
)
