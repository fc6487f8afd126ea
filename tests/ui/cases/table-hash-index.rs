use spacetimedb::table;

#[table(name = player)]
pub struct Player {
    #[index(hash)]
    name: String,
}

fn main() {}
