use spacetimedb::{reducer, ReducerContext};

#[reducer]
pub fn add(ctx: &ReducerContext, (a, b): (u32, u32)) {}

fn main() {}
