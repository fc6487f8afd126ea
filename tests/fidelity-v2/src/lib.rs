//! A small 2.x module for the fidelity scenarios: what chat-v2 cannot show — a panicking reducer
//! and procedure, log records at every level, a procedure that rolls its transaction back, a
//! scheduled reducer that falls due while a procedure sleeps, and type names the server converts
//! (a `camelCase` field, `PascalCase` variants).

use std::time::Duration;

use spacetimedb::{procedure, reducer, table, ProcedureContext, ReducerContext, ScheduleAt, SpacetimeType, Table};

/// How a note is written; the server names the variants `plainText` and `bigShout`.
#[derive(SpacetimeType, Clone, Copy, PartialEq, Eq, Debug)]
pub enum NoteKind {
    PlainText,
    BigShout,
}

/// Notes, written by reducers and procedures.
#[table(accessor = note, public)]
pub struct Note {
    #[primary_key]
    #[auto_inc]
    pub id: u64,
    pub text: String,
    pub kind: NoteKind,
}

/// What `pair` answers: its field `firstValue` is `first_value` on the server.
#[derive(SpacetimeType, Clone, Debug, PartialEq)]
#[allow(non_snake_case)]
pub struct Pair {
    pub firstValue: u32,
    pub second: String,
    pub kind: NoteKind,
}

/// Says that it ran.
#[reducer(init)]
pub fn init(_ctx: &ReducerContext) {
    log::info!("probe initialised");
}

/// Fails with `message`.
#[reducer]
pub fn fail_with(_ctx: &ReducerContext, message: String) -> Result<(), String> {
    Err(message)
}

/// Logs `text` at every level, then panics with it if asked.
#[reducer]
pub fn log_levels(_ctx: &ReducerContext, text: String, panic: bool) {
    log::trace!("trace: {text}");
    log::debug!("debug: {text}");
    log::info!("info: {text}");
    log::warn!("warn: {text}");
    log::error!("error: {text}");
    if panic {
        panic!("{text}");
    }
}

/// Adds a note.
#[reducer]
pub fn add_note(ctx: &ReducerContext, text: String, kind: NoteKind) {
    ctx.db.note().insert(Note { id: 0, text, kind });
}

/// Answers its arguments as a [`Pair`].
#[procedure]
pub fn pair(_ctx: &mut ProcedureContext, first: u32, second: String) -> Pair {
    Pair { firstValue: first, second, kind: NoteKind::BigShout }
}

/// Panics with `text` after logging it.
#[procedure]
pub fn panic_in_procedure(_ctx: &mut ProcedureContext, text: String) -> u32 {
    log::info!("about to panic: {text}");
    panic!("{text}");
}

/// Adds a note in a transaction of its own and answers its id; refuses (rolling back) an empty
/// text, after the insert.
#[procedure]
pub fn note_in_tx(ctx: &mut ProcedureContext, text: String) -> Result<u64, String> {
    ctx.try_with_tx(|tx| {
        let note = tx.db.note().insert(Note { id: 0, text: text.clone(), kind: NoteKind::PlainText });
        if text.is_empty() {
            return Err(format!("empty note {} rolled back", note.id));
        }
        Ok(note.id)
    })
}

/// A note that `write_note` writes when it falls due.
#[table(accessor = pending_note, scheduled(write_note))]
pub struct PendingNote {
    #[primary_key]
    #[auto_inc]
    pub scheduled_id: u64,
    pub scheduled_at: ScheduleAt,
    pub text: String,
}

/// Writes a note that fell due.
#[reducer]
pub fn write_note(ctx: &ReducerContext, pending: PendingNote) {
    log::info!("writing {}", pending.text);
    ctx.db.note().insert(Note { id: 0, text: pending.text, kind: NoteKind::PlainText });
}

/// Schedules a note `after_ms` from now, sleeps `sleep_ms`, and answers the texts of the notes
/// it then sees: a note that fell due while it slept is among them (a server runs the scheduled
/// reducer meanwhile).
#[procedure]
pub fn sleep_past_a_note(ctx: &mut ProcedureContext, text: String, after_ms: u64, sleep_ms: u64) -> Vec<String> {
    let at = ctx.timestamp + Duration::from_millis(after_ms);
    ctx.with_tx(|tx| {
        tx.db.pending_note().insert(PendingNote { scheduled_id: 0, scheduled_at: at.into(), text: text.clone() });
    });
    log::info!("sleeping");
    ctx.sleep_until(ctx.timestamp + Duration::from_millis(sleep_ms));
    log::info!("awake");
    ctx.with_tx(|tx| tx.db.note().iter().map(|note| note.text).collect())
}
