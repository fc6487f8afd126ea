use spacetimedb::table;

#[table(name = player, name = gamer)]
pub struct Player {
    id: u32,
}

fn main() {}
