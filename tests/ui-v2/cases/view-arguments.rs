use spacetimedb::{table, view, ViewContext};

#[table(accessor = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
}

#[view(accessor = player_by_id, public)]
fn player_by_id(ctx: &ViewContext, id: u64) -> Option<Player> {
    ctx.db.player().id().find(id)
}

fn main() {}
