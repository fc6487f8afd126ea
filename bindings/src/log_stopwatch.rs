//! Timing a stretch of reducer code in the database log.

use crate::sys;

/// Starts a named timer on the host; when it ends (by [`end`](Self::end) or drop) the host logs
/// the elapsed time.
pub struct LogStopwatch {
    timer: sys::TimerId,
}

impl LogStopwatch {
    /// Starts a timer called `name`.
    pub fn new(name: &str) -> Self {
        Self { timer: sys::console_timer_start(name) }
    }

    /// Ends the timer now.
    pub fn end(self) {}
}

impl Drop for LogStopwatch {
    fn drop(&mut self) {
        // The only failure is an unknown timer, which cannot happen for one we started.
        let _ = sys::console_timer_end(self.timer);
    }
}
