use spacetimedb::table;

#[table(public)]
pub struct PlayerState {
    score: u32,
}

fn main() {}
