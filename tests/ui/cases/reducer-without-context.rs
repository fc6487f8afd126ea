use spacetimedb::reducer;

#[reducer]
pub fn add(a: u32, b: u32) {}

fn main() {}
