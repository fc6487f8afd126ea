use spacetimedb::{table, view, AnonymousViewContext, SpacetimeType};

#[derive(SpacetimeType)]
pub struct Reading {
    sensor: u32,
    value: f32,
}

#[table(accessor = reading, public)]
pub struct Stored {
    #[primary_key]
    id: u64,
    sensor: u32,
    value: f32,
}

#[view(accessor = by_missing_column, public, primary_key = serial)]
fn by_missing_column(_ctx: &AnonymousViewContext) -> Vec<Reading> {
    Vec::new()
}

#[view(accessor = by_float, public, primary_key = value)]
fn by_float(_ctx: &AnonymousViewContext) -> Vec<Reading> {
    Vec::new()
}

fn main() {}
