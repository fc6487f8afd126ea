use spacetimedb::SpacetimeType;

#[derive(SpacetimeType)]
pub enum Shape {
    Circle { radius: f32, center: (f32, f32) },
}

fn main() {}
