//! Timing a stretch of reducer code in the database log.

use crate::sys;

/// Starts a named timer on the host; when it ends (by [`end`](Self::end) or drop) the host logs
/// the elapsed time, as `Timing span "name": 1.234ms`, to the database log.
///
/// The time is measured by the host, so it is real time, not the reducer's
/// [`timestamp`](crate::ReducerContext::timestamp) (which does not move during a call).
///
/// ```
/// use worldtube::log_stopwatch::LogStopwatch;
/// use worldtube::{reducer, table, ReducerContext, Table};
///
/// #[table(name = tile)]
/// pub struct Tile {
///     #[primary_key]
///     id: u32,
/// }
///
/// #[reducer]
/// pub fn generate_map(ctx: &ReducerContext) {
///     let _whole = LogStopwatch::new("generate_map"); // logged when dropped, at the end
///     let tiles = LogStopwatch::new("tiles");
///     for id in 0..100 {
///         ctx.db.tile().insert(Tile { id });
///     }
///     tiles.end(); // logged now
/// }
/// # let mut db = worldtube_testing::TestDb::new();
/// # let outcome = db.call::<generate_map>(worldtube_testing::TestDb::identity("me"), ());
/// # outcome.assert_ok();
/// # let spans: Vec<&str> = outcome.logs().iter().map(|l| l.message.as_str()).collect();
/// # assert_eq!(spans.len(), 2, "{spans:?}");
/// # assert!(spans[0].starts_with("Timing span \"tiles\": "), "{spans:?}");
/// # assert!(spans[1].starts_with("Timing span \"generate_map\": "), "{spans:?}");
/// ```
#[derive(Debug)]
pub struct LogStopwatch {
    timer: sys::TimerId,
}

impl LogStopwatch {
    /// Starts a timer called `name`. Keep it in a variable: `let _t = LogStopwatch::new(..)`
    /// times until the end of the scope, whereas `let _ = ...` ends it at once.
    pub fn new(name: &str) -> Self {
        Self { timer: sys::console_timer_start(name) }
    }

    /// Ends the timer now, logging the elapsed time (dropping it does the same).
    pub fn end(self) {}
}

impl Drop for LogStopwatch {
    fn drop(&mut self) {
        // The only failure is an unknown timer, which cannot happen for one we started.
        let _ = sys::console_timer_end(self.timer);
    }
}
