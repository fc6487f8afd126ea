//! The `chat-v2` example, compiled unchanged by the official `spacetimedb` crate.
#[path = "../../../../examples/chat-v2/src/lib.rs"]
mod module;
#[allow(unused_imports)]
pub use module::*;
