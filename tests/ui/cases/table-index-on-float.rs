use spacetimedb::table;

#[table(name = body)]
pub struct Body {
    #[index(btree)]
    mass: f64,
}

fn main() {}
