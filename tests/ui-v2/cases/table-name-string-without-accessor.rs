use spacetimedb::table;

#[table(name = "player", public)]
pub struct Player {
    score: u32,
}

fn main() {}
