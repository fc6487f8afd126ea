use spacetimedb::{table, SpacetimeType};

#[derive(SpacetimeType)]
pub struct Counter {
    n: u64,
}

#[table(name = thing)]
pub struct Thing {
    #[auto_inc]
    counter: Counter,
}

fn main() {}
