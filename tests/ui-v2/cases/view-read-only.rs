use spacetimedb::{table, view, Table, ViewContext};

#[table(accessor = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
}

#[view(accessor = sneaky, public)]
fn sneaky(ctx: &ViewContext) -> Vec<Player> {
    ctx.db.player().insert(Player { id: 1 });
    Vec::new()
}

fn main() {}
