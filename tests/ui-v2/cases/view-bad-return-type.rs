use spacetimedb::{table, view, AnonymousViewContext, ViewContext};

#[table(accessor = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
}

#[view(accessor = player_count, public)]
fn player_count(ctx: &AnonymousViewContext) -> u64 {
    ctx.db.player().count()
}

#[view(accessor = nothing, public)]
fn nothing(_ctx: &ViewContext) {}

#[view(accessor = players, public)]
fn players(_ctx: &ViewContext) -> Result<Vec<Player>, String> {
    Ok(Vec::new())
}

fn main() {}
