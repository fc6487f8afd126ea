use spacetimedb::{reducer, ReducerContext};

pub struct Oops;

#[reducer]
pub fn fail(ctx: &ReducerContext) -> Result<(), Oops> {
    Err(Oops)
}

fn main() {}
