//! Fixed numbers and names of the 10.0 interface.

/// The only wasm import module a module built for 10.0 hosts may import from.
pub const IMPORT_MODULE: &str = "spacetime_10.0";

/// Prefix shared by every SpacetimeDB import module (`spacetime_MAJOR.MINOR`).
pub const IMPORT_MODULE_PREFIX: &str = "spacetime_";

/// Major ABI version; a host only loads modules with the same major.
pub const ABI_MAJOR: u16 = 10;

/// Minor ABI version this crate declares; a host loads a module if its own minor is at least this.
pub const ABI_MINOR: u16 = 0;

/// A row-iterator chunk is closed once it exceeds this many bytes (so a chunk is larger only by
/// the size of its final row, and a row never spans two chunks).
pub const ROW_ITER_CHUNK_SIZE: usize = 32 * 1024;

/// `console_log`'s `line_number` value meaning "no line number".
pub const NO_LINE_NUMBER: u32 = u32::MAX;

/// Handle value that is never a valid `BytesSource` or `RowIter`; `__call_reducer__` receives it
/// as `args` when the reducer's arguments are empty.
pub const INVALID_HANDLE: u32 = 0;

/// Return value of `__call_reducer__` / `__setup__` on success.
pub const CALL_OK: i32 = 0;

/// Return value of `__call_reducer__` / `__setup__` when an error message was written to the
/// error sink (the same number as `HOST_CALL_FAILURE`).
pub const CALL_FAILED_WITH_MESSAGE: i32 = 1;

/// The status value `row_iter_bsatn_advance` and `bytes_source_read` return when the handle is
/// exhausted (and destroyed by the host).
pub const EXHAUSTED: i16 = -1;

/// Severity of a `console_log` record. The numbers are the wire values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum LogLevel {
    /// Something failed.
    Error = 0,
    /// Something looks wrong.
    Warn = 1,
    /// Normal progress.
    Info = 2,
    /// Detail for developers. Hosts also log unknown level numbers at this level.
    Debug = 3,
    /// Very fine detail.
    Trace = 4,
    /// The module panicked; the record carries the panic message.
    Panic = 101,
}

impl LogLevel {
    /// Every level, in wire-value order.
    pub const ALL: [LogLevel; 6] =
        [LogLevel::Error, LogLevel::Warn, LogLevel::Info, LogLevel::Debug, LogLevel::Trace, LogLevel::Panic];

    /// The wire value passed as `console_log`'s `level`.
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The level a host should use for a wire value: unknown numbers are treated as `Debug`.
    pub const fn from_code_or_debug(code: u32) -> LogLevel {
        match code {
            0 => LogLevel::Error,
            1 => LogLevel::Warn,
            2 => LogLevel::Info,
            4 => LogLevel::Trace,
            101 => LogLevel::Panic,
            _ => LogLevel::Debug,
        }
    }

    /// Upper-case name, as used in the spec.
    pub const fn name(self) -> &'static str {
        match self {
            LogLevel::Error => "ERROR",
            LogLevel::Warn => "WARN",
            LogLevel::Info => "INFO",
            LogLevel::Debug => "DEBUG",
            LogLevel::Trace => "TRACE",
            LogLevel::Panic => "PANIC",
        }
    }
}

/// An ABI version, `MAJOR.MINOR`, as named by an import module `spacetime_MAJOR.MINOR`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AbiVersion {
    /// Major version; a host only loads modules with the same major.
    pub major: u16,
    /// Minor version; a host loads a module if its own minor is at least the module's.
    pub minor: u16,
}

impl AbiVersion {
    /// The version of this crate's [`IMPORT_MODULE`].
    pub const CURRENT: AbiVersion = AbiVersion { major: ABI_MAJOR, minor: ABI_MINOR };

    /// The version an import module name denotes (`spacetime_10.0` → 10.0), or `None` if the
    /// name does not have the form `spacetime_MAJOR.MINOR` (decimal numbers that fit in a `u16`).
    pub const fn of_import_module(module: &str) -> Option<AbiVersion> {
        let bytes = module.as_bytes();
        let prefix = IMPORT_MODULE_PREFIX.as_bytes();
        if bytes.len() < prefix.len() {
            return None;
        }
        let mut i = 0;
        while i < prefix.len() {
            if bytes[i] != prefix[i] {
                return None;
            }
            i += 1;
        }
        let Some((major, i)) = parse_u16(bytes, i) else { return None };
        if i >= bytes.len() || bytes[i] != b'.' {
            return None;
        }
        match parse_u16(bytes, i + 1) {
            Some((minor, end)) if end == bytes.len() => Some(AbiVersion { major, minor }),
            _ => None,
        }
    }
}

/// The decimal number at `bytes[start..]` (at least one digit) and the index after it.
const fn parse_u16(bytes: &[u8], start: usize) -> Option<(u16, usize)> {
    let mut value: u32 = 0;
    let mut i = start;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        value = value * 10 + (bytes[i] - b'0') as u32;
        if value > u16::MAX as u32 {
            return None;
        }
        i += 1;
    }
    if i == start {
        None
    } else {
        Some((value as u16, i))
    }
}

impl std::fmt::Display for AbiVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}
