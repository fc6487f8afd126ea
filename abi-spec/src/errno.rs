//! The errno table and the [`Errno`] type generated from it.

use std::fmt;
use std::num::NonZeroU16;

/// Calls `$callback! { $( code NAME "message"; )* }` with every errno, in code order.
///
/// Codes 1-9 and 11-15 are what a 10.0 host returns. Code 10 (`WRONG_INDEX_ALGO`) and codes 16
/// and up came with later hosts; among the imports of the table only those of `spacetime_10.3`
/// and later return them (`AUTO_INC_OVERFLOW`, `TRANSACTION_IS_READ_ONLY` and
/// `TRANSACTION_IS_MUT` are defined but returned by no import today).
#[macro_export]
macro_rules! for_each_errno {
    ($callback:ident) => {
        $callback! {
            1 HOST_CALL_FAILURE "the host call failed (also what __call_reducer__ and __setup__ return after writing an error message)";
            2 NOT_IN_TRANSACTION "a datastore call was made while no transaction is open, e.g. from __describe_module__";
            3 BSATN_DECODE_ERROR "the bytes passed in are not valid BSATN for the type the host expected";
            4 NO_SUCH_TABLE "no table has this id or name";
            5 NO_SUCH_INDEX "no index has this id or name";
            6 NO_SUCH_ITER "the row iterator handle is unknown, closed or already exhausted";
            7 NO_SUCH_CONSOLE_TIMER "the console timer id is unknown or already ended";
            8 NO_SUCH_BYTES "the bytes source or sink handle is unknown or already destroyed";
            9 NO_SPACE "the bytes sink cannot take more data";
            10 WRONG_INDEX_ALGO "the index does not support this kind of scan";
            11 BUFFER_TOO_SMALL "the buffer cannot hold the next item; the needed size was written to the length pointer";
            12 UNIQUE_ALREADY_EXISTS "the row would duplicate a value in a unique column";
            13 SCHEDULE_AT_DELAY_TOO_LONG "the scheduled time is too far in the future";
            14 INDEX_NOT_UNIQUE "the index used to update a row is not unique";
            15 NO_SUCH_ROW "no row matches the key taken from the update's unique index";
            16 AUTO_INC_OVERFLOW "an auto-increment sequence ran out of values";
            17 WOULD_BLOCK_TRANSACTION "a blocking call (start a transaction, sleep, HTTP) was made while a transaction is open";
            18 TRANSACTION_NOT_ANONYMOUS "no transaction started by procedure_start_mut_tx is open (e.g. the caller is a reducer)";
            19 TRANSACTION_IS_READ_ONLY "the open transaction is read-only but the call needs a mutable one";
            20 TRANSACTION_IS_MUT "the open transaction is mutable but the call needs a read-only one";
            21 HTTP_ERROR "the HTTP request failed before a response arrived";
        }
    };
}

/// A nonzero status code returned by a host call.
///
/// Any nonzero `u16` can be represented (a newer host may return codes this table does not
/// know); [`Errno::is_known`] tells whether the table has the code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Errno(NonZeroU16);

/// One row of the errno table, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrnoDecl {
    /// The status value.
    pub code: u16,
    /// Upper-case constant name.
    pub name: &'static str,
    /// One-sentence explanation.
    pub message: &'static str,
}

const fn nonzero(code: u16) -> NonZeroU16 {
    match NonZeroU16::new(code) {
        Some(code) => code,
        None => panic!("errno 0 means success and cannot be an Errno"),
    }
}

macro_rules! define_errno_items {
    ($( $code:literal $name:ident $message:literal; )*) => {
        impl Errno {
            $(
                #[doc = concat!("Errno ", stringify!($code), ": ", $message, ".")]
                pub const $name: Errno = Errno(nonzero($code));
            )*
        }

        /// Every errno of the table, in code order.
        pub static ERRNOS: &[ErrnoDecl] = &[
            $( ErrnoDecl { code: $code, name: stringify!($name), message: $message }, )*
        ];

        impl Errno {
            /// Upper-case name, or `"UNKNOWN_ERRNO"` for a code outside the table.
            // A match, not a lookup in `ERRNOS`: a module that names an errno in a message then
            // carries the names only, not every message of the table.
            pub const fn name(self) -> &'static str {
                match self.code() {
                    $( $code => stringify!($name), )*
                    _ => "UNKNOWN_ERRNO",
                }
            }
        }
    };
}
for_each_errno!(define_errno_items);

impl Errno {
    /// The errno for a nonzero status; `None` for `0` (success).
    pub const fn from_code(code: u16) -> Option<Errno> {
        match NonZeroU16::new(code) {
            Some(code) => Some(Errno(code)),
            None => None,
        }
    }

    /// The numeric status value.
    pub const fn code(self) -> u16 {
        self.0.get()
    }

    /// The table row for this code, if the table has it.
    pub fn decl(self) -> Option<&'static ErrnoDecl> {
        ERRNOS.iter().find(|decl| decl.code == self.code())
    }

    /// Whether the table has this code.
    pub fn is_known(self) -> bool {
        self.decl().is_some()
    }

    /// Human-readable explanation.
    pub fn message(self) -> &'static str {
        self.decl().map_or("the host returned a status code the errno table does not define", |decl| decl.message)
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Errno({} {})", self.code(), self.name())
    }
}

/// `NAME (errno N)`, e.g. `NO_SUCH_TABLE (errno 4)`. The explanation ([`Errno::message`]) is
/// left out: modules print errnos in their panic messages, and the whole table of explanations
/// would then be in every module's wasm. [`HostError`](crate::HostError)'s `Display`, which
/// hosts print, adds it.
impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (errno {})", self.name(), self.code())
    }
}

impl std::error::Error for Errno {}
