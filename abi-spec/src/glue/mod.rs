//! The glue between raw wasm-level calls and [`Host`]: one function per import, generated from
//! the `glue` view of the declaration table.
//!
//! Each function takes the module's [`Memory`], the [`Host`], and the raw arguments exactly as
//! the module passed them (pointers and lengths as [`Memory::Word`], values as `u32`/`u64`),
//! applies the pointer protocol of the import, and returns the raw result. `Err(Trap)` means the
//! host must abort the instance. The reference host's wasm runtime (wasmi) calls these from its
//! linker closures with the instance's linear memory; the native stand-in in worldtube-sys calls
//! them with process memory.
//!
//! Order of effects in every function: decode and check all inputs (traps first), call the
//! host, and only on success touch the out-pointers; an errno leaves module memory untouched
//! (the one exception is `HTTP_ERROR` from `procedure_http_request`, which comes with a handle:
//! see [`HttpOutcome`](crate::HttpOutcome)).

pub mod access;

use crate::{Host, Memory, Trap};

/// The Rust type the glue takes for one wasm parameter: see [`RawParam`](crate::RawParam).
macro_rules! glue_ty {
    ($mem:ident, $slot:ident) => {
        <crate::slot_type!($slot) as crate::RawParam>::Glue<<$mem as Memory>::Word>
    };
}

/// The host-method argument for one input parameter.
macro_rules! decode {
    ($mem:ident, Value, $v:ident) => {
        $v
    };
    ($mem:ident, ValueI64, $v:ident) => {
        $v
    };
    ($mem:ident, ConnectionId, $p:ident) => {
        access::read_connection_id(&*$mem, $p)?
    };
    ($mem:ident, OptLine, $v:ident) => {
        access::opt_line($v)
    };
    ($mem:ident, Str, $p:ident, $l:ident) => {
        access::read_str(&*$mem, $p, $l)?
    };
    ($mem:ident, LossyStr, $p:ident, $l:ident) => {
        &*access::read_lossy(&*$mem, $p, $l)?
    };
    ($mem:ident, OptLossyStr, $p:ident, $l:ident) => {
        access::read_opt_lossy(&*$mem, $p, $l)?.as_deref()
    };
    ($mem:ident, Bytes, $p:ident, $l:ident) => {
        access::read_bytes(&*$mem, $p, $l)?
    };
    ($mem:ident, IndexPrefix, $p:ident, $l:ident, $e:ident) => {
        access::read_index_prefix(&*$mem, $p, $l, $e)?
    };
}

/// One glue function, chosen by the output kind and result kind of the import. A combination
/// the table uses but this macro lacks is a compile error, not a silent gap.
macro_rules! glue_fn {
    // `@sig` receives the names `mem` and `host` from the caller rule so that the body (written
    // in that rule) and the parameters refer to the same hygienic identifiers.
    (@sig $mem:ident $host_arg:ident $name:ident $doc:literal [$($($iw:ident : $iwt:ident),+);*] [$($ow:ident : $owt:ident),*] -> $ret:ty $body:block) => {
        #[doc = concat!("Glue for `", stringify!($name), "`: ", $doc)]
        #[allow(clippy::too_many_arguments)]
        pub fn $name<M: Memory + ?Sized, H: Host + ?Sized>(
            $mem: &mut M,
            $host_arg: &mut H,
            $($($iw: glue_ty!(M, $iwt),)*)*
            $($ow: glue_ty!(M, $owt),)*
        ) -> Result<$ret, Trap> {
            let _ = &$mem;
            $body
        }
    };

    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [] Status) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [] -> u16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*)),*);
            access::finish_status(outcome, |()| Ok(()))
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [] Unit) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [] -> () {
            host.$host($(decode!(mem, $ik, $($iw),*)),*)
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [] Lenient) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [] -> () {
            // Arguments are read first: one the host cannot read ends the call quietly (the
            // closure returns its error before the host is called); a trap of the host's own
            // still ends the instance.
            let called: Result<Result<(), Trap>, Trap> = (|| Ok(host.$host($(decode!(mem, $ik, $($iw),*)),*)))();
            called.unwrap_or(Ok(()))
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [] ValueU32) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [] -> u32 {
            host.$host($(decode!(mem, $ik, $($iw),*)),*)
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [] ValueI64) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [] -> i64 {
            host.$host($(decode!(mem, $ik, $($iw),*)),*)
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [OutU32($o:ident : $ot:ident)] SignedStatus) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$o: $ot] -> i16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*)),*);
            access::finish_signed_status(outcome, |value| access::write_u32(mem, $o, value))
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [OutI64($o:ident : $ot:ident)] Status) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$o: $ot] -> u16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*)),*);
            access::finish_status(outcome, |value| access::write_i64(mem, $o, value))
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [OutHttpSources($o:ident : $ot:ident)] Status) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$o: $ot] -> u16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*)),*);
            access::finish_http(mem, $o, outcome)
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [OutU32($o:ident : $ot:ident)] Status) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$o: $ot] -> u16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*)),*);
            access::finish_status(outcome, |value| access::write_u32(mem, $o, value))
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [OutU64($o:ident : $ot:ident)] Status) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$o: $ot] -> u16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*)),*);
            access::finish_status(outcome, |value| access::write_u64(mem, $o, value))
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [OutIdentity($o:ident : $ot:ident)] Unit) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$o: $ot] -> () {
            let identity = host.$host($(decode!(mem, $ik, $($iw),*)),*)?;
            access::write_bytes(mem, $o, &identity)
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [RowWriteBack($p:ident : $pt:ident, $lp:ident : $lpt:ident)] Status) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$p: $pt, $lp: $lpt] -> u16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*),)* access::buffer(&*mem, $p, $lp)?);
            access::finish_status(outcome, |generated| access::write_back(mem, $p, $lp, &generated))
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [DrainBuffer($p:ident : $pt:ident, $lp:ident : $lpt:ident)] Status) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$p: $pt, $lp: $lpt] -> u16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*),)* access::buffer(&*mem, $p, $lp)?);
            access::finish_status(outcome, |consumed| access::write_consumed(mem, $lp, consumed))
        });
    };
    ($name:ident $host:ident $doc:literal [$($ik:ident($($iw:ident : $iwt:ident),*))*] [FillBuffer($p:ident : $pt:ident, $lp:ident : $lpt:ident)] StatusOrExhausted) => {
        glue_fn!(@sig mem host $name $doc [$($($iw: $iwt),*);*] [$p: $pt, $lp: $lpt] -> i16 {
            let outcome = host.$host($(decode!(mem, $ik, $($iw),*),)* access::buffer_mut(&mut *mem, $p, $lp)?);
            access::finish_fill(mem, $lp, outcome)
        });
    };
}

macro_rules! define_glue {
    ($( $name:ident $host:ident $doc:literal $inputs:tt $output:tt $result:ident; )*) => {
        $( glue_fn!($name $host $doc $inputs $output $result); )*
    };
}
crate::__import_table! { glue [define_glue] }
