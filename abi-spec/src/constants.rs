//! Fixed numbers and names of the interface, and its versions.

/// The base import module, ABI 10.0: every SpacetimeDB 1.x and 2.x server provides it, so a
/// module that imports only from it loads on all of them. (The later modules, `spacetime_10.1`
/// and up, are in [`VERSIONS`].)
pub const IMPORT_MODULE: &str = "spacetime_10.0";

/// Prefix shared by every SpacetimeDB import module (`spacetime_MAJOR.MINOR`).
pub const IMPORT_MODULE_PREFIX: &str = "spacetime_";

/// Major ABI version; a host only loads modules with the same major.
pub const ABI_MAJOR: u16 = 10;

/// The highest minor ABI version the declaration table has imports of (`spacetime_10.5`); a host
/// loads a module if its own minor is at least the highest minor the module imports from.
pub const ABI_MINOR: u16 = 5;

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
    /// The highest version the declaration table has imports of (10.5).
    pub const CURRENT: AbiVersion = AbiVersion { major: ABI_MAJOR, minor: ABI_MINOR };

    /// The base version, 10.0 ([`IMPORT_MODULE`]).
    pub const BASE: AbiVersion = AbiVersion { major: ABI_MAJOR, minor: 0 };

    /// What [`VERSIONS`] says about this version, if it is one of them.
    pub fn decl(self) -> Option<&'static VersionDecl> {
        VERSIONS.iter().find(|decl| decl.version == self)
    }

    /// The import module of this version, `spacetime_MAJOR.MINOR`.
    pub fn import_module(self) -> String {
        format!("{IMPORT_MODULE_PREFIX}{self}")
    }

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

/// One ABI version of the interface and the SpacetimeDB servers that provide it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionDecl {
    /// The version; its import module is `spacetime_MAJOR.MINOR`.
    pub version: AbiVersion,
    /// The SpacetimeDB server releases that link every import of this version (and so load a
    /// module that needs it).
    pub servers: &'static str,
    /// What the version added.
    pub adds: &'static str,
}

/// Every ABI version of the declaration table, oldest first. A host that provides a version
/// provides every earlier minor of the same major too.
///
/// Server releases, from the SpacetimeDB sources at their tags: 1.0 to 1.4 provide 10.0 only;
/// 1.5 adds 10.1; 1.7 adds 10.2; 10.3 arrives in steps (1.8 `procedure_sleep_until`, 1.9 the
/// transaction calls, 1.10 `procedure_http_request`); 1.8 to 1.11 already *report* 10.4 but
/// link none of its imports, which 1.12 does; every 2.x provides 10.4, and 2.2 adds 10.5.
pub static VERSIONS: &[VersionDecl] = &[
    VersionDecl {
        version: AbiVersion { major: 10, minor: 0 },
        servers: "every SpacetimeDB 1.x and 2.x server",
        adds: "the base interface: tables, indexes, row iterators, bytes sources and sinks, logging, identity",
    },
    VersionDecl {
        version: AbiVersion { major: 10, minor: 1 },
        servers: "SpacetimeDB 1.5 and later 1.x, and every 2.x server",
        adds: "`bytes_source_remaining_length`",
    },
    VersionDecl {
        version: AbiVersion { major: 10, minor: 2 },
        servers: "SpacetimeDB 1.7 and later 1.x, and every 2.x server",
        adds: "`get_jwt`",
    },
    VersionDecl {
        version: AbiVersion { major: 10, minor: 3 },
        servers: "SpacetimeDB 1.10 and later 1.x, and every 2.x server",
        adds: "procedures: their transactions, `procedure_sleep_until`, `procedure_http_request`, and the `__call_procedure__` export",
    },
    VersionDecl {
        version: AbiVersion { major: 10, minor: 4 },
        servers: "SpacetimeDB 1.12 and later 1.x, and every 2.x server",
        adds: "point scans of an index (`datastore_index_scan_point_bsatn`, `datastore_delete_by_index_scan_point_bsatn`), and the view exports",
    },
    VersionDecl {
        version: AbiVersion { major: 10, minor: 5 },
        servers: "SpacetimeDB 2.2 and later 2.x servers only",
        adds: "`datastore_clear`",
    },
];
