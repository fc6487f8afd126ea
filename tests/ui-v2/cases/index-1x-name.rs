use spacetimedb::table;

#[table(accessor = player, index(name = by_score, btree(columns = [score])))]
pub struct Player {
    score: u32,
}

fn main() {}
