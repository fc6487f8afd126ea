use spacetimedb::{reducer, table, ReducerContext};

#[table(name = player, index(name = by_score, btree(columns = [score])))]
pub struct Player {
    score: u32,
}

#[reducer]
pub fn look(ctx: &ReducerContext) {
    for _ in ctx.db.player().by_score().filter("high") {}
}

fn main() {}
