use spacetimedb::table;

// 1.x syntax under the 2.x switch: `name = ident` must become `accessor = ident`.
#[table(name = player, public)]
pub struct Player {
    score: u32,
}

fn main() {}
