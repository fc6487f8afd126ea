use spacetimedb::{reducer, ReducerContext};

#[reducer]
pub async fn add(ctx: &ReducerContext, a: u32) {}

fn main() {}
