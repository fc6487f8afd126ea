//! [`Trap`]: the host aborting the module instance.

use std::borrow::Cow;
use std::fmt;

/// A fatal ABI violation: the host must abort the wasm instance instead of returning a status.
///
/// The glue produces one for NULL or out-of-bounds pointers, invalid UTF-8 where a name must be
/// valid, out-of-range column counts, and hosts can return one for failures that have no errno
/// (e.g. datastore errors the 10.0 errno table cannot express). Natively, worldtube-sys turns a
/// trap into a panic carrying [`Trap::message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    message: Cow<'static, str>,
}

impl Trap {
    /// A trap with the given human-readable reason.
    pub fn new(message: impl Into<Cow<'static, str>>) -> Self {
        Trap { message: message.into() }
    }

    /// The trap a host returns for an import it does not implement.
    pub fn unsupported(import: &'static str) -> Self {
        Trap::new(format!("this host does not implement the import `{import}`"))
    }

    /// Why the instance was aborted.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "wasm trap: {}", self.message)
    }
}

impl std::error::Error for Trap {}
