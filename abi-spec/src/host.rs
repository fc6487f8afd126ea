//! [`Host`]: the imports as a safe Rust trait, and the small types its methods use.

use crate::{Errno, Trap};

/// Why a host call did not succeed: either a status code for the module, or a trap that
/// aborts the instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostError {
    /// Returned to the module as the call's status.
    Errno(Errno),
    /// Aborts the module instance (for failures 10.0 has no errno for).
    Trap(Trap),
}

impl From<Errno> for HostError {
    fn from(errno: Errno) -> Self {
        HostError::Errno(errno)
    }
}

impl From<Trap> for HostError {
    fn from(trap: Trap) -> Self {
        HostError::Trap(trap)
    }
}

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HostError::Errno(errno) => write!(f, "{errno}: {}", errno.message()),
            HostError::Trap(trap) => trap.fmt(f),
        }
    }
}

impl std::error::Error for HostError {}

/// Result of a [`Host`] method whose import returns a status.
pub type HostResult<T> = Result<T, HostError>;

/// The key prefix of an index range scan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexPrefix<'a> {
    /// BSATN of the first `elems` key column values, concatenated (empty when `elems == 0`).
    pub bytes: &'a [u8],
    /// How many leading key columns the prefix fixes; the range bounds apply to key column
    /// number `elems`.
    pub elems: u16,
}

/// What one `row_iter_bsatn_advance` call produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowIterAdvance {
    /// `written` bytes of whole chunks were copied and more chunks remain (status 0).
    More {
        /// Bytes written to the front of the buffer.
        written: usize,
    },
    /// `written` bytes were copied and nothing remains; the host has destroyed the iterator
    /// (status -1).
    Exhausted {
        /// Bytes written to the front of the buffer (may be 0).
        written: usize,
    },
    /// Nothing fitted; the next chunk needs `needed` bytes (status `BUFFER_TOO_SMALL`).
    BufferTooSmall {
        /// Size of the next chunk.
        needed: usize,
    },
}

/// What one `bytes_source_read` call produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceRead {
    /// Bytes written to the front of the buffer.
    pub written: usize,
    /// Whether these were the last bytes; the host has then destroyed the source (status -1).
    pub exhausted: bool,
}

/// What one `procedure_http_request` call produced, when it did not fail with another errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpOutcome {
    /// The server answered (with any HTTP status): status 0, and both handles are written.
    Response {
        /// `BytesSource` with the BSATN of the response head (status, headers, ...).
        response: u32,
        /// `BytesSource` with the response body.
        body: u32,
    },
    /// The request failed before any response: status `HTTP_ERROR`, and only this handle is
    /// written (to the first slot).
    Failed {
        /// `BytesSource` with the BSATN of the error.
        error: u32,
    },
}

/// Defines [`Host`], [`PartialHost`] and the blanket impl from the `host_methods` view.
macro_rules! define_host_traits {
    ($( #[doc = $doc:expr] fn $method:ident($( #[doc = $arg_doc:literal] $arg:ident : $ty:ty ),*) -> $ret:ty; )*) => {
        /// A host of the ABI with safe types: slices and strings instead of pointers, return
        /// values instead of out-pointers. The glue in [`crate::glue`] turns raw calls into calls
        /// of these methods and applies the pointer protocols, so an implementation never sees
        /// module memory.
        ///
        /// There is one method per distinct import, generated from the declaration table; the
        /// deprecated aliases call the same method as the import they alias. No method has a
        /// default, so a host that lacks one does not compile: a real host implements `Host`
        /// itself, a test double opts in to trapping defaults with [`PartialHost`].
        ///
        /// Methods whose import returns a status return [`HostResult`]: an [`Errno`] goes back to
        /// the module, a [`Trap`] aborts it. Methods of imports without a status can only trap.
        pub trait Host {
            $( #[doc = $doc] fn $method(&mut self, $($arg: $ty),*) -> $ret; )*
        }

        /// A [`Host`] whose missing methods trap with [`Trap::unsupported`]: for test doubles
        /// that implement only what they need. Every `PartialHost` is a [`Host`] (call the methods
        /// through `Host`; with both traits in scope a method call is ambiguous):
        ///
        /// ```
        /// struct NoTables;
        /// impl worldtube_abi::PartialHost for NoTables {}
        ///
        /// use worldtube_abi::Host;
        /// let trap = NoTables.table_id_from_name("t").unwrap_err();
        /// assert!(trap.to_string().contains("table_id_from_name"), "{trap}");
        /// ```
        pub trait PartialHost {
            $(
                #[doc = $doc]
                #[doc = ""]
                #[doc = "Unless implemented: traps with [`Trap::unsupported`]."]
                fn $method(&mut self, $($arg: $ty),*) -> $ret {
                    let _ = ($($arg,)*);
                    Err(unsupported(stringify!($method)))
                }
            )*
        }

        impl<T: PartialHost + ?Sized> Host for T {
            $(
                #[inline]
                fn $method(&mut self, $($arg: $ty),*) -> $ret {
                    PartialHost::$method(self, $($arg),*)
                }
            )*
        }
    };
}
crate::__import_table! { host_methods '_ [define_host_traits] [] }

/// The trap of a [`PartialHost`] method that is not implemented, as that method's error type.
fn unsupported<E: From<Trap>>(method: &'static str) -> E {
    E::from(Trap::unsupported(method))
}
