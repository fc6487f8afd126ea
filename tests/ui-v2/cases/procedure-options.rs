use spacetimedb::{procedure, ProcedureContext};

#[procedure(init)]
fn setup(_ctx: &mut ProcedureContext) {}

#[procedure]
async fn later(_ctx: &mut ProcedureContext, (_a, _b): (u8, u8)) {}

fn main() {}
