//! The raw imports, expanded from [`worldtube_abi::for_each_import!`], which hands out every
//! import's signature with the Rust types already resolved.
//!
//! On wasm32 they are a real `extern` block linked against each import's module (the module of
//! the ABI version that introduced it: `spacetime_10.0` ... `spacetime_10.5`). Only the imports a
//! module actually calls end up in its wasm, so a module that calls no 10.1+ import still loads
//! on every 10.0 host. Natively they are ordinary functions with the same names
//! and signatures that run the shared glue against process memory and the thread's installed
//! [`Host`](worldtube_abi::Host) (see [`crate::set_host`]); a trap becomes a panic.
//!
//! Every function is `unsafe`: pointers must be valid for the lengths given (the host reads or
//! writes through them) and must not be NULL unless the import allows it.

#[cfg(target_arch = "wasm32")]
macro_rules! declare_raw_imports {
    ($( #[doc = $doc:literal] $module:literal fn $name:ident($($param:ident : $ty:ty),*) -> $ret:ty; )*) => {
        $(
            #[link(wasm_import_module = $module)]
            extern "C" {
                #[doc = $doc]
                #[doc = ""]
                #[doc = "# Safety\nPointers must be valid for the given lengths; see the crate docs."]
                pub fn $name($($param: $ty),*) -> $ret;
            }
        )*
    };
}

#[cfg(target_arch = "wasm32")]
worldtube_abi::for_each_import!(declare_raw_imports);

#[cfg(not(target_arch = "wasm32"))]
macro_rules! define_native_imports {
    ($( #[doc = $doc:literal] $module:literal fn $name:ident($($param:ident : $ty:ty),*) -> $ret:ty; )*) => {
        $(
            #[doc = $doc]
            #[doc = ""]
            #[doc = "Native stand-in: dispatches to the thread's installed Host; panics on a trap."]
            #[doc = ""]
            #[doc = "# Safety\nPointers must be valid for the given lengths; see the module docs."]
            #[allow(clippy::too_many_arguments)]
            pub unsafe fn $name($($param: $ty),*) -> $ret {
                crate::native::dispatch(stringify!($name), |mem, host| {
                    // Natively, pointers and lengths travel to the glue as addresses (`usize`).
                    worldtube_abi::glue::$name(mem, host, $(worldtube_abi::RawParam::into_native($param)),*)
                })
            }
        )*
    };
}

#[cfg(not(target_arch = "wasm32"))]
worldtube_abi::for_each_import!(define_native_imports);
