use spacetimedb::table;

#[table(public)]
pub struct Player {
    id: u32,
}

fn main() {}
