use spacetimedb::{reducer, ReducerContext};

#[reducer(name = go)]
pub fn start(ctx: &ReducerContext) {}

fn main() {}
