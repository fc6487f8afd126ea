use spacetimedb::procedure;

pub struct MyContext;

#[procedure]
fn count(_ctx: &mut MyContext) -> u32 {
    0
}

fn main() {}
