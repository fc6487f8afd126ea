use spacetimedb::SpacetimeType;

#[derive(SpacetimeType)]
pub union Bits {
    a: u32,
    b: f32,
}

fn main() {}
