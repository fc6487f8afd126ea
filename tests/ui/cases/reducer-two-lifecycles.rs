use spacetimedb::{reducer, ReducerContext};

#[reducer(init, client_connected)]
pub fn start(ctx: &ReducerContext) {}

fn main() {}
