use spacetimedb::{procedure, ProcedureContext};

pub struct NotSpacetime {
    pub n: u32,
}

#[procedure]
fn make(_ctx: &mut ProcedureContext) -> NotSpacetime {
    NotSpacetime { n: 1 }
}

fn main() {}
