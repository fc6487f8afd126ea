use spacetimedb::{reducer, ReducerContext};

#[reducer]
pub fn add(ctx: ReducerContext, a: u32) {}

fn main() {}
