use spacetimedb::{table, view, ViewContext};

#[table(accessor = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
}

#[view(public)]
fn all_players(_ctx: &ViewContext) -> Vec<Player> {
    Vec::new()
}

fn main() {}
