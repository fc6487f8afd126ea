use spacetimedb::{reducer, table, ReducerContext, ScheduleAt};

#[table(name = timer, scheduled(ring))]
pub struct Timer {
    #[primary_key]
    #[auto_inc]
    id: u64,
    scheduled_at: ScheduleAt,
}

#[reducer]
fn ring(_ctx: &ReducerContext, _id: u64) {}

fn main() {}
