// A broken column rule (`#[auto_inc]` on a `String`) gives one error, not one more per reducer
// that inserts into the table or looks rows up by that column.
use spacetimedb::{reducer, table, ReducerContext, Table};

#[table(name = ticket, public)]
pub struct Ticket {
    #[primary_key]
    #[auto_inc]
    code: String,
    holder: String,
}

#[reducer]
pub fn issue(ctx: &ReducerContext, holder: String) {
    ctx.db.ticket().insert(Ticket { code: String::new(), holder });
}

#[reducer]
pub fn cancel(ctx: &ReducerContext, code: String) {
    ctx.db.ticket().code().delete(&code);
}

#[reducer]
pub fn count(ctx: &ReducerContext) {
    let _ = ctx.db.ticket().count();
}

fn main() {}
