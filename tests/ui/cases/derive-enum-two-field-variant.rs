use spacetimedb::SpacetimeType;

#[derive(SpacetimeType)]
pub enum Shape {
    Rect(f32, f32),
}

fn main() {}
