use spacetimedb::table;

#[table(name = tag)]
pub struct Tag {
    #[primary_key]
    #[auto_inc]
    label: String,
}

fn main() {}
