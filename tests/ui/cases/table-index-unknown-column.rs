use spacetimedb::table;

#[table(name = player, index(name = by_score, btree(columns = [scor])))]
pub struct Player {
    score: u32,
}

fn main() {}
