use spacetimedb::{procedure, ReducerContext};

#[procedure]
fn count(ctx: &ReducerContext) -> u32 {
    let _ = ctx;
    0
}

fn main() {}
