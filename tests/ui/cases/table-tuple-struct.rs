use spacetimedb::table;

#[table(name = point)]
pub struct Point(f32, f32);

fn main() {}
