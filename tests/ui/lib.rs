//! No library: see `tests/ui.rs` and `cases/`.
