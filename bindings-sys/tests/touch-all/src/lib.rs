//! Calls every import once so none is dropped from the import section. The calls are generated
//! from the same view of the table as worldtube-sys's `extern` block, so a new import is touched
//! without editing this file. Never run: the test only inspects the built module's imports.

use worldtube_sys::raw;

macro_rules! touch_all {
    ($( #[doc = $doc:literal] $module:literal fn $name:ident($($param:ident : $ty:ty),*) -> $ret:ty; )*) => {
        /// Calls every raw import with zero arguments, only to make the calls exist.
        ///
        /// # Safety
        /// Never call it.
        #[no_mangle]
        pub unsafe extern "C" fn touch_all() {
            $(
                // Zero is a valid bit pattern for every raw parameter type (integers and raw
                // pointers); the values never reach a host.
                raw::$name($({
                    let $param: $ty = core::mem::zeroed();
                    $param
                }),*);
            )*
        }
    };
}

worldtube_abi::for_each_import!(touch_all);
