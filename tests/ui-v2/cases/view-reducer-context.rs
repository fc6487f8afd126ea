use spacetimedb::{table, view, ReducerContext, ViewContext};

#[table(accessor = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
}

#[view(accessor = by_reducer_ctx, public)]
fn by_reducer_ctx(_ctx: &ReducerContext) -> Vec<Player> {
    Vec::new()
}

#[view(accessor = by_value, public)]
fn by_value(_ctx: ViewContext) -> Vec<Player> {
    Vec::new()
}

#[view(accessor = no_context, public)]
fn no_context() -> Vec<Player> {
    Vec::new()
}

fn main() {}
