use spacetimedb::{reducer, ReducerContext};

#[reducer(on_connect)]
pub fn start(ctx: &ReducerContext) {}

fn main() {}
