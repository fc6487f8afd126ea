// One mistake in a table's attribute gives one error, even though three reducers use the table
// (its handle, accessor trait, unique column and index are still generated, as stubs).
use spacetimedb::{reducer, table, ReducerContext, Table};

#[table(name = player, pubic, index(name = by_level, btree(columns = [level])))]
pub struct Player {
    #[primary_key]
    #[auto_inc]
    id: u64,
    name: String,
    level: u32,
}

#[reducer]
pub fn join(ctx: &ReducerContext, name: String) {
    ctx.db.player().insert(Player { id: 0, name, level: 1 });
}

#[reducer]
pub fn list(ctx: &ReducerContext) {
    let names: Vec<String> = ctx.db.player().iter().map(|p| p.name).collect();
    let ids: Vec<u64> = ctx.db.player().by_level().filter(1u32).map(|p| p.id).collect();
    let _ = (names, ids);
}

#[reducer]
pub fn level_up(ctx: &ReducerContext, id: u64) {
    if let Some(mut p) = ctx.db.player().id().find(id) {
        p.level += 1;
        ctx.db.player().id().update(p);
    }
}

fn main() {}
