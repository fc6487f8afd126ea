use spacetimedb::table;

#[table(name = body)]
pub struct Body {
    #[unique]
    mass: f32,
}

fn main() {}
