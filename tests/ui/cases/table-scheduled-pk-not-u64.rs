use spacetimedb::{reducer, table, ReducerContext, ScheduleAt};

#[table(name = timer, scheduled(ring))]
pub struct Timer {
    #[primary_key]
    #[auto_inc]
    id: u32,
    scheduled_at: ScheduleAt,
}

#[reducer]
fn ring(_ctx: &ReducerContext, _timer: Timer) {}

fn main() {}
