use spacetimedb::{reducer, ReducerContext};

#[reducer]
pub fn start(ctx: &ReducerContext) {}

#[reducer(name = "start")]
pub fn begin(ctx: &ReducerContext) {}

fn main() {}
