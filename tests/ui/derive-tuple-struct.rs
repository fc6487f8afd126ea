use spacetimedb::SpacetimeType;

#[derive(SpacetimeType)]
pub struct Meters(f32);

fn main() {}
