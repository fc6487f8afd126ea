;; A WASI import (what a wasm32-wasip1 build brings along).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  {{prelude}}
  {{exports}}
)
