//! The `quickstart-chat` example, compiled unchanged by the official `spacetimedb` crate.
#[path = "../../../../examples/quickstart-chat/src/lib.rs"]
mod module;
#[allow(unused_imports)]
pub use module::*;
