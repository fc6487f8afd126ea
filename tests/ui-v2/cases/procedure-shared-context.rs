use spacetimedb::{procedure, ProcedureContext};

#[procedure]
fn count(ctx: &ProcedureContext) -> u32 {
    let _ = ctx;
    0
}

fn main() {}
