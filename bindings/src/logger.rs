//! `log` records and panics, routed to the host's database log.

use crate::sys::{self, LogLevel};
use std::fmt::Write;
use std::sync::Mutex;

struct HostLogger {
    /// Reused formatting buffer, so logging does not allocate each time.
    buf: Mutex<String>,
}

/// Kept from growing without bound after one huge record.
const MAX_KEPT_BUFFER: usize = 16 * 1024;

impl log::Log for HostLogger {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let level = match record.level() {
            log::Level::Error => LogLevel::Error,
            log::Level::Warn => LogLevel::Warn,
            log::Level::Info => LogLevel::Info,
            log::Level::Debug => LogLevel::Debug,
            log::Level::Trace => LogLevel::Trace,
        };
        if !host_available() {
            return;
        }
        let mut buf = self.buf.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        buf.clear();
        let _ = write!(buf, "{}", record.args());
        sys::console_log(level, Some(record.target()), record.file(), record.line(), &buf);
        buf.shrink_to(MAX_KEPT_BUFFER);
    }

    fn flush(&self) {}
}

static LOGGER: HostLogger = HostLogger { buf: Mutex::new(String::new()) };

/// Installs the host logger unless the module installed its own; everything down to `trace` is
/// passed on (the host decides what to keep).
pub(crate) fn init_log() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Trace);
    }
}

/// Installs the panic hook that writes the panic message, with file and line, to the database
/// log at level `PANIC` (101), before the module traps.
pub(crate) fn init_panic_hook() {
    #[cfg(target_arch = "wasm32")]
    std::panic::set_hook(Box::new(report_panic));
    // Natively, tests still want the usual report on stderr.
    #[cfg(not(target_arch = "wasm32"))]
    {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            report_panic(info);
            previous(info);
        }));
    }
}

/// Logs a panic's message and location to the host, if one can take it. A function of its own
/// (not the hook's closure body) so that the hook's call shims are calls to it, not copies.
#[inline(never)]
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let message = match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(s), _) => s,
        (_, Some(s)) => s.as_str(),
        _ => "Box<dyn Any>",
    };
    if host_available() {
        let location = info.location();
        sys::console_log(LogLevel::Panic, None, location.map(|l| l.file()), location.map(|l| l.line()), message);
    }
}

/// Whether a host can take a log record right now: always on wasm; natively only when one is
/// installed for this thread and not busy (a panic inside a host call must not re-enter it).
fn host_available() -> bool {
    #[cfg(target_arch = "wasm32")]
    return true;
    #[cfg(not(target_arch = "wasm32"))]
    return sys::has_host();
}
