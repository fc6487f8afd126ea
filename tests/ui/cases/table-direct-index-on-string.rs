use spacetimedb::table;

#[table(name = player)]
pub struct Player {
    #[unique]
    #[index(direct)]
    name: String,
}

fn main() {}
