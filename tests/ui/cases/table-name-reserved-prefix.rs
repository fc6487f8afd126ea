use spacetimedb::table;

#[table(name = st_player)]
pub struct Player {
    id: u32,
}

fn main() {}
