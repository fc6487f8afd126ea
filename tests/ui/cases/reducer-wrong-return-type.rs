use spacetimedb::{reducer, ReducerContext};

#[reducer]
pub fn count(ctx: &ReducerContext) -> u32 {
    0
}

fn main() {}
