// A broken `#[derive(SpacetimeType)]` on a type used as a column and as a reducer argument gives
// one error: the derive still emits (stub) impls, so the table and the reducer compile on.
use spacetimedb::{reducer, table, ReducerContext, SpacetimeType, Table};

#[derive(SpacetimeType)]
pub enum Shape {
    Point,
    Rect(u32, u32),
}

#[table(name = drawing)]
pub struct Drawing {
    #[primary_key]
    #[auto_inc]
    id: u64,
    shape: Shape,
}

#[reducer]
pub fn draw(ctx: &ReducerContext, shape: Shape) {
    ctx.db.drawing().insert(Drawing { id: 0, shape });
}

fn main() {}
