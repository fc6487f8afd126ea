// A mistake in the signature of a reducer that a scheduled table names gives one error: the
// reducer's marker type and its `ReducerInfo` impl are still generated, as stubs.
use spacetimedb::{reducer, table, ReducerContext, ScheduleAt};

#[table(name = reminder, scheduled(send_reminder))]
pub struct Reminder {
    #[primary_key]
    #[auto_inc]
    scheduled_id: u64,
    scheduled_at: ScheduleAt,
    text: String,
}

#[reducer]
pub fn send_reminder(ctx: ReducerContext, reminder: Reminder) {
    let _ = (ctx.sender, reminder.text);
}

fn main() {}
