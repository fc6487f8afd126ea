use spacetimedb::table;

#[table(name = reading)]
pub struct Reading {
    #[auto_inc]
    value: f32,
}

fn main() {}
