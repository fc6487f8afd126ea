use spacetimedb::table;

#[table(name = player, pubic)]
pub struct Player {
    id: u32,
}

fn main() {}
