//! The `kitchen-sink` example, compiled unchanged by the official `spacetimedb` crate.
#[path = "../../../../examples/kitchen-sink/src/lib.rs"]
mod module;
#[allow(unused_imports)]
pub use module::*;
