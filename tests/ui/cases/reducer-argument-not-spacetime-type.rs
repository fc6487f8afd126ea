use spacetimedb::{reducer, ReducerContext};

pub struct Opaque {
    pub inner: u32,
}

#[reducer]
pub fn store(ctx: &ReducerContext, value: Opaque) {}

fn main() {}
