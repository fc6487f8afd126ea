use spacetimedb::{reducer, table, ReducerContext, ScheduleAt};

#[table(name = timer, scheduled(ring))]
pub struct Timer {
    id: u64,
    scheduled_at: ScheduleAt,
}

#[reducer]
fn ring(_ctx: &ReducerContext, _timer: Timer) {}

fn main() {}
