use spacetimedb::table;

pub struct Handle(u32);

#[table(name = player)]
pub struct Player {
    id: u32,
    handle: Handle,
}

fn main() {}
