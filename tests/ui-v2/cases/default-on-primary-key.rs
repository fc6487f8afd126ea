use spacetimedb::table;

#[table(accessor = player)]
pub struct Player {
    #[primary_key]
    #[default(7)]
    id: u32,
    #[default(0)]
    score: u32,
}

fn main() {}
