use spacetimedb::{table, view, ReducerContext};

#[table(name = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
}

#[view(accessor = all_players, public)]
fn all_players(_ctx: &ReducerContext) -> Vec<Player> {
    Vec::new()
}

fn main() {}
