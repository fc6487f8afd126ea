use spacetimedb::{table, view};

#[table(accessor = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
}

pub struct MyContext;

#[view(accessor = all_players, public)]
fn all_players(_ctx: &MyContext) -> Vec<Player> {
    Vec::new()
}

fn main() {}
