//! Compile-fail tests of the 2.x macros: see `tests/ui.rs` and `cases/`.
