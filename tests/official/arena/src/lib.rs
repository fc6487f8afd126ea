//! The `arena` example, compiled unchanged by the official `spacetimedb` crate.
#[path = "../../../../examples/arena/src/lib.rs"]
mod module;
#[allow(unused_imports)]
pub use module::*;
