use spacetimedb::table;

#[table(name = bag)]
pub struct Bag<T> {
    item: T,
}

fn main() {}
