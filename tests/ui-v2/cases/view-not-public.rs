use spacetimedb::{table, view, ViewContext};

#[table(accessor = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
}

#[view(accessor = all_players)]
fn all_players(_ctx: &ViewContext) -> Vec<Player> {
    Vec::new()
}

#[view(accessor = some_players, private)]
fn some_players(_ctx: &ViewContext) -> Vec<Player> {
    Vec::new()
}

fn main() {}
