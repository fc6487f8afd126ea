use spacetimedb::table;

#[table(name = player, public, private)]
pub struct Player {
    id: u32,
}

fn main() {}
