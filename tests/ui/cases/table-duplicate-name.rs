use spacetimedb::table;

#[table(name = player)]
pub struct Player {
    id: u32,
}

#[table(name = player)]
pub struct Gamer {
    id: u32,
}

fn main() {}
