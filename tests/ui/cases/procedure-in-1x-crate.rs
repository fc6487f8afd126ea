use spacetimedb::{procedure, ProcedureContext};

#[procedure]
fn add(_ctx: &mut ProcedureContext, a: u32, b: u32) -> u32 {
    a + b
}

fn main() {}
