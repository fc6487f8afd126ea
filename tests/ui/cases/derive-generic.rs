use spacetimedb::SpacetimeType;

#[derive(SpacetimeType)]
pub struct Wrapper<T> {
    inner: T,
}

fn main() {}
