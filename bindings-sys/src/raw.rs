//! The raw `spacetime_10.0` imports, expanded from [`worldtube_abi::for_each_import!`].
//!
//! On wasm32 they are a real `extern` block linked against import module `spacetime_10.0`
//! (and nothing else). Natively they are ordinary functions with the same names and
//! signatures that run the shared glue against process memory and the thread's installed
//! [`Host`](worldtube_abi::Host) (see [`crate::set_host`]); a trap becomes a panic.
//!
//! Every function is `unsafe`: pointers must be valid for the lengths given (the host reads or
//! writes through them) and must not be NULL unless the import allows it.

/// The Rust type of one wasm parameter, by its [`SlotKind`](worldtube_abi::SlotKind) name.
macro_rules! raw_ty {
    (U32) => { u32 };
    (U64) => { u64 };
    (Ptr) => { *const u8 };
    (MutPtr) => { *mut u8 };
    (Len) => { usize };
    (LenPtr) => { *mut usize };
    (U32Ptr) => { *mut u32 };
    (U64Ptr) => { *mut u64 };
    (IdentityPtr) => { *mut [u8; 32] };
}

/// The Rust return type, by [`ResultKind`](worldtube_abi::ResultKind) name.
macro_rules! raw_ret {
    (Status) => {
        u16
    };
    (StatusOrExhausted) => {
        i16
    };
    (ValueU32) => {
        u32
    };
    (Unit) => {
        ()
    };
}

#[cfg(target_arch = "wasm32")]
macro_rules! declare_raw_imports {
    ($(
        import $name:ident {
            host: $host:ident,
            alias_of: [$($alias:ident)?],
            doc: $doc:literal,
            inputs: [ $( $in:ident : $ik:ident ( $( $iw:ident : $iwt:ident ),* ) $idoc:literal ),* $(,)? ],
            output: [ $( $on:ident : $ok:ident ( $( $ow:ident : $owt:ident ),* ) $odoc:literal )? ],
            result: $result:ident,
            errnos: [ $( $err:ident : $when:literal ),* $(,)? ],
            traps: [ $( $trap:literal ),* $(,)? ],
            ownership: $own:literal $(,)?
        }
    )*) => {
        // The module name must be a literal here; `wasm_imports_match_table` checks it equals
        // worldtube_abi::IMPORT_MODULE.
        #[link(wasm_import_module = "spacetime_10.0")]
        extern "C" {
            $(
                #[doc = $doc]
                #[doc = ""]
                #[doc = "# Safety\nPointers must be valid for the given lengths; see the crate docs."]
                pub fn $name(
                    $($($iw: raw_ty!($iwt),)*)*
                    $($($ow: raw_ty!($owt),)*)?
                ) -> raw_ret!($result);
            )*
        }
    };
}

#[cfg(target_arch = "wasm32")]
worldtube_abi::for_each_import!(declare_raw_imports);

/// Natively, pointers and lengths travel to the glue as addresses (`usize`).
#[cfg(not(target_arch = "wasm32"))]
macro_rules! native_word {
    (U32, $v:ident) => {
        $v
    };
    (U64, $v:ident) => {
        $v
    };
    ($pointer_or_len:ident, $v:ident) => {
        $v as usize
    };
}

#[cfg(not(target_arch = "wasm32"))]
macro_rules! define_native_imports {
    ($(
        import $name:ident {
            host: $host:ident,
            alias_of: [$($alias:ident)?],
            doc: $doc:literal,
            inputs: [ $( $in:ident : $ik:ident ( $( $iw:ident : $iwt:ident ),* ) $idoc:literal ),* $(,)? ],
            output: [ $( $on:ident : $ok:ident ( $( $ow:ident : $owt:ident ),* ) $odoc:literal )? ],
            result: $result:ident,
            errnos: [ $( $err:ident : $when:literal ),* $(,)? ],
            traps: [ $( $trap:literal ),* $(,)? ],
            ownership: $own:literal $(,)?
        }
    )*) => {
        $(
            #[doc = $doc]
            #[doc = ""]
            #[doc = "Native stand-in: dispatches to the thread's installed Host; panics on a trap."]
            #[doc = ""]
            #[doc = "# Safety\nPointers must be valid for the given lengths; see the module docs."]
            #[allow(clippy::too_many_arguments)]
            pub unsafe fn $name(
                $($($iw: raw_ty!($iwt),)*)*
                $($($ow: raw_ty!($owt),)*)?
            ) -> raw_ret!($result) {
                crate::native::dispatch(stringify!($name), |mem, host| {
                    worldtube_abi::glue::$name(
                        mem,
                        host,
                        $($(native_word!($iwt, $iw),)*)*
                        $($(native_word!($owt, $ow),)*)?
                    )
                })
            }
        )*
    };
}

#[cfg(not(target_arch = "wasm32"))]
worldtube_abi::for_each_import!(define_native_imports);
