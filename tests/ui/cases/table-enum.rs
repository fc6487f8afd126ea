use spacetimedb::table;

#[table(name = color)]
pub enum Color {
    Red,
    Green,
}

fn main() {}
