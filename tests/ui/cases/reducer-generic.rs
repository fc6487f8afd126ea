use spacetimedb::{reducer, ReducerContext, SpacetimeType};

#[reducer]
pub fn add<T: SpacetimeType>(ctx: &ReducerContext, value: T) {}

fn main() {}
