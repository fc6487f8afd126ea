use spacetimedb::{table, ScheduleAt};

#[table(name = timer, scheduled(ring))]
pub struct Timer {
    #[primary_key]
    #[auto_inc]
    id: u64,
    scheduled_at: ScheduleAt,
}

fn main() {}
