use spacetimedb::{table, view, AnonymousViewContext, Query};

#[table(accessor = player, public)]
pub struct Player {
    #[primary_key]
    id: u64,
    name: String,
}

#[table(accessor = guild, public)]
pub struct Guild {
    #[primary_key]
    id: u64,
}

#[view(accessor = wrong_rows, public)]
fn wrong_rows(ctx: &AnonymousViewContext) -> impl Query<Guild> {
    ctx.from.player()
}

#[view(accessor = wrong_literal, public)]
fn wrong_literal(ctx: &AnonymousViewContext) -> impl Query<Player> {
    ctx.from.player().r#where(|p| p.name.eq(7u64))
}

fn main() {}
