use spacetimedb::{reducer, table, ReducerContext};

#[table(name = player, index(name = by_level, btree(columns = [level])))]
pub struct Player {
    level: u32,
}

#[reducer]
pub fn look(ctx: &ReducerContext) {
    for _ in ctx.db.player().by_level().filter(1.5f32) {}
}

fn main() {}
