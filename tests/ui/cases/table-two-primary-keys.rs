use spacetimedb::table;

#[table(name = player)]
pub struct Player {
    #[primary_key]
    id: u32,
    #[primary_key]
    name: String,
}

fn main() {}
