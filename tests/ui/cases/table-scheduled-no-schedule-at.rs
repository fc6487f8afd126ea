use spacetimedb::{reducer, table, ReducerContext};

#[table(name = timer, scheduled(ring))]
pub struct Timer {
    #[primary_key]
    #[auto_inc]
    id: u64,
}

#[reducer]
fn ring(_ctx: &ReducerContext, _timer: Timer) {}

fn main() {}
