use spacetimedb::{reducer, ReducerContext};

#[reducer(init)]
pub fn setup(ctx: &ReducerContext) {}

#[reducer(init)]
pub fn setup_again(ctx: &ReducerContext) {}

fn main() {}
