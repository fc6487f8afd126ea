//! [`Call`]: a [`Host`] method call as a value, and what it returned ([`Reply`]), generated from
//! the declaration table. A host that wraps another one (the runtime's call-phase forwarder, a
//! recording test double) implements [`HandleCall`] as one `match` with a few special arms and a
//! wildcard [`Call::forward`], and gets its [`Host`] impl from
//! [`impl_host_via_calls!`](crate::impl_host_via_calls).

use crate::{Errno, Host, HostError, ImportDecl, Trap};

/// Defines [`Call`] and [`Reply`] from the `host_methods` view.
macro_rules! define_calls {
    ($lt:lifetime;
     $( #[doc = $doc:expr] fn $method:ident($( #[doc = $arg_doc:literal] $arg:ident : $ty:ty ),*) -> $ret:ty; )*) => {
        /// One call of a [`Host`] method with its decoded arguments. The variants are named
        /// after the methods, so that a `match` reads like the calls it handles.
        #[allow(non_camel_case_types)]
        #[derive(Debug)]
        pub enum Call<$lt> {
            $( #[doc = $doc] $method { $( #[doc = $arg_doc] $arg: $ty, )* }, )*
        }

        /// What a [`Host`] method returned, in the variant of its [`Call`].
        #[allow(non_camel_case_types)]
        #[derive(Debug, PartialEq, Eq)]
        pub enum Reply {
            $( #[doc = $doc] $method($ret), )*
        }

        impl Call<'_> {
            /// The name of the [`Host`] method (and of the import it implements).
            pub fn name(&self) -> &'static str {
                match self {
                    $( Call::$method { .. } => stringify!($method), )*
                }
            }

            /// The declaration of the import this method implements (not of a deprecated alias):
            /// its errnos, traps and so on.
            pub fn import(&self) -> &'static ImportDecl {
                match self {
                    $( Call::$method { .. } => &crate::imports::decls::$method, )*
                }
            }

            /// Makes the call on `host`.
            #[inline]
            pub fn forward<H: Host + ?Sized>(self, host: &mut H) -> Reply {
                match self {
                    $( Call::$method { $($arg),* } => Reply::$method(host.$method($($arg),*)), )*
                }
            }

            /// The reply that fails this call with `errno`, without making it. A method whose
            /// import returns no status cannot return an errno: its reply is a trap saying so.
            pub fn fail(self, errno: Errno) -> Reply {
                match self {
                    $( Call::$method { .. } => Reply::$method(Err(FromErrno::from_errno(errno, stringify!($method)))), )*
                }
            }
        }

        impl Reply {
            /// The name of the [`Host`] method that replied.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Reply::$method(_) => stringify!($method), )*
                }
            }
        }
    };
}
crate::__import_table! { host_methods 'a [define_calls] ['a;] }

impl Reply {
    /// The trap for a [`HandleCall`] that answered a call of `expected` with this reply of
    /// another method (a bug in the handler), as that method's error type. Used by
    /// [`impl_host_via_calls!`](crate::impl_host_via_calls).
    #[doc(hidden)]
    pub fn mismatch<E: From<Trap>>(self, expected: &'static str) -> E {
        E::from(Trap::new(format!("host bug: a call of `{expected}` was answered with the reply of `{}`", self.name())))
    }
}

/// The error type of a [`Host`] method, built from an errno.
trait FromErrno {
    fn from_errno(errno: Errno, method: &'static str) -> Self;
}

impl FromErrno for HostError {
    fn from_errno(errno: Errno, _method: &'static str) -> Self {
        HostError::Errno(errno)
    }
}

impl FromErrno for Trap {
    fn from_errno(errno: Errno, method: &'static str) -> Self {
        Trap::new(format!("`{method}` returns no status, so it cannot fail with {errno}"))
    }
}

/// A host that sees every [`Host`] call as a [`Call`] value.
/// [`impl_host_via_calls!`](crate::impl_host_via_calls) implements [`Host`] for it; each method
/// must be answered with the [`Reply`] variant of its own call (anything else traps).
pub trait HandleCall {
    /// Handles one call.
    fn handle_call(&mut self, call: Call<'_>) -> Reply;
}
