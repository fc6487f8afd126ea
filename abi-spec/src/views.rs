//! The one parser of the declaration table, and the normalized views every consumer expands.
//!
//! `@parse` below is the only place that matches the entry grammar of `table.rs`. It turns each
//! entry into a positional record with what consumers need already worked out (the flat wasm
//! parameter list, the parameters the [`Host`](crate::Host) method takes), and hands all records
//! to one view:
//!
//! | View | Hands out | Used by |
//! |---|---|---|
//! | `statics` | (expands the [`IMPORTS`](crate::IMPORTS) data itself) | `imports.rs` |
//! | `glue` | name, host method, kinds and wasm slots, result kind | `glue/mod.rs` |
//! | `raw_fns` | [`for_each_import!`]: typed raw signatures | worldtube-sys (`extern` block, native stand-ins, touch-all), the host's wasm linker |
//! | `host_methods` | typed [`Host`](crate::Host) methods, aliases left out | `host.rs` (the traits), `call.rs` ([`Call`](crate::Call)), [`impl_host_via_calls!`] |
//!
//! A record is `[name module host ok_type [alias?] doc [inputs] [output?] result [errnos] [traps]
//! ownership [host args] [wasm params]]`; only the views below read it.

/// Expands `$callback! { ... }` with the raw signature of every import (deprecated aliases
/// included), in table order, with the Rust types already resolved:
///
/// ```text
/// #[doc = "<what it does>"]
/// "<import module>" fn <name>(<wasm param>: <raw Rust type>, ...) -> <raw Rust result type>;
/// ```
///
/// The parameter types are [`slot_type!`](crate::slot_type)s, the result a
/// [`result_type!`](crate::result_type): exactly what a module declares in its `extern` block.
///
/// ```
/// macro_rules! count {
///     ($( #[doc = $doc:literal] $module:literal fn $name:ident($($p:ident : $t:ty),*) -> $r:ty; )*) => {
///         [$(stringify!($name)),*].len()
///     };
/// }
/// assert_eq!(worldtube_abi::for_each_import!(count), worldtube_abi::IMPORTS.len());
/// ```
#[macro_export]
macro_rules! for_each_import {
    ($callback:ident) => {
        $crate::__import_table! { raw_fns [$callback] }
    };
}

/// Implements [`Host`](crate::Host) for a type that implements [`HandleCall`](crate::HandleCall):
/// every method builds its [`Call`](crate::Call), hands it to
/// [`handle_call`](crate::HandleCall::handle_call) and returns the [`Reply`](crate::Reply).
/// The generic parameters go in brackets before the type:
///
/// ```
/// use worldtube_abi::{Call, Errno, HandleCall, Host, Reply};
///
/// /// Counts the calls, forwards all but `identity` to the inner host.
/// struct Counting<H> { inner: H, calls: usize }
///
/// impl<H: Host> HandleCall for Counting<H> {
///     fn handle_call(&mut self, call: Call<'_>) -> Reply {
///         self.calls += 1;
///         match call {
///             Call::identity {} => Reply::identity(Ok([7; 32])),
///             call => call.forward(&mut self.inner),
///         }
///     }
/// }
/// worldtube_abi::impl_host_via_calls!([H: Host] Counting<H>);
///
/// struct NoTables;
/// impl worldtube_abi::PartialHost for NoTables {
///     fn table_id_from_name(&mut self, _: &str) -> worldtube_abi::HostResult<u32> {
///         Err(Errno::NO_SUCH_TABLE.into())
///     }
/// }
///
/// let mut host = Counting { inner: NoTables, calls: 0 };
/// assert_eq!(host.identity(), Ok([7; 32]));
/// assert_eq!(host.table_id_from_name("t"), Err(Errno::NO_SUCH_TABLE.into()));
/// assert_eq!(host.calls, 2);
/// ```
#[macro_export]
macro_rules! impl_host_via_calls {
    ([$($generics:tt)*] $ty:ty) => {
        $crate::__import_table! { host_methods '_ [$crate::__impl_host_via_calls] [[$($generics)*] $ty;] }
    };
}

/// The body of [`impl_host_via_calls!`], fed by the `host_methods` view.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_host_via_calls {
    ([$($generics:tt)*] $ty:ty;
     $( #[doc = $doc:expr] fn $method:ident($( #[doc = $arg_doc:literal] $arg:ident : $arg_ty:ty ),*) -> $ret:ty; )*) => {
        impl<$($generics)*> $crate::Host for $ty {
            $(
                #[inline]
                fn $method(&mut self, $($arg: $arg_ty),*) -> $ret {
                    match $crate::HandleCall::handle_call(self, $crate::Call::$method { $($arg),* }) {
                        $crate::Reply::$method(reply) => reply,
                        other => Err(other.mismatch(stringify!($method))),
                    }
                }
            )*
        }
    };
}

/// The parser and the views; see the [module docs](self). Not for use outside worldtube-abi's
/// own macros.
#[doc(hidden)]
#[macro_export]
macro_rules! __imports {
    // ---- Parsing: the only place that matches the entry grammar ----

    // Every entry parsed: hand the records to the view.
    (@parse [$view:ident $($view_args:tt)*] [$($records:tt)*]) => {
        $crate::__imports! { @$view $($view_args)* $($records)* }
    };
    (@parse $view:tt [$($records:tt)*]
        import $name:ident {
            module: $module:literal,
            host: $host:ident -> $ok:ty,
            alias_of: [$($alias:ident)?],
            doc: $doc:literal,
            inputs: [ $( $in:ident : $ik:ident ( $( $iw:ident : $iwt:ident ),* ) $idoc:literal ),* $(,)? ],
            output: [ $( $on:ident : $okind:ident ( $( $ow:ident : $owt:ident ),* ) $odoc:literal )? ],
            result: $result:ident,
            errnos: [ $( $err:ident : $when:literal ),* $(,)? ],
            traps: [ $( $trap:literal ),* $(,)? ],
            ownership: $own:literal $(,)?
        }
        $($rest:tt)*
    ) => {
        $crate::__imports! { @host_args $view [$($records)*] [$($rest)*]
            [$name $module $host $ok [$($alias)?] $doc
             [$( $in $ik [$($iw $iwt)*] $idoc )*]
             [$( $on $okind [$($ow $owt)*] $odoc )?]
             $result [$( $err $when )*] [$( $trap )*] $own]
            [$( $in $ik $idoc )*]
            [$( $on $okind $odoc )?]
            [$( $($iw $iwt)* )* $( $($ow $owt)* )?]
        }
    };
    // The Host method gets every input, and the output buffer unless the output is a value the
    // method returns instead.
    (@host_args $view:tt $records:tt $rest:tt $record:tt $args:tt [$on:ident OutU32 $odoc:literal] $wasm:tt) => {
        $crate::__imports! { @push $view $records $rest $record $args $wasm }
    };
    (@host_args $view:tt $records:tt $rest:tt $record:tt $args:tt [$on:ident OutU64 $odoc:literal] $wasm:tt) => {
        $crate::__imports! { @push $view $records $rest $record $args $wasm }
    };
    (@host_args $view:tt $records:tt $rest:tt $record:tt $args:tt [$on:ident OutI64 $odoc:literal] $wasm:tt) => {
        $crate::__imports! { @push $view $records $rest $record $args $wasm }
    };
    (@host_args $view:tt $records:tt $rest:tt $record:tt $args:tt [$on:ident OutHttpSources $odoc:literal] $wasm:tt) => {
        $crate::__imports! { @push $view $records $rest $record $args $wasm }
    };
    (@host_args $view:tt $records:tt $rest:tt $record:tt $args:tt [$on:ident OutIdentity $odoc:literal] $wasm:tt) => {
        $crate::__imports! { @push $view $records $rest $record $args $wasm }
    };
    (@host_args $view:tt $records:tt $rest:tt $record:tt [$($args:tt)*] [$($buffer:tt)*] $wasm:tt) => {
        $crate::__imports! { @push $view $records $rest $record [$($args)* $($buffer)*] $wasm }
    };
    (@push $view:tt [$($records:tt)*] [$($rest:tt)*] [$($record:tt)*] $args:tt $wasm:tt) => {
        $crate::__imports! { @parse $view [$($records)* [$($record)* $args $wasm]] $($rest)* }
    };

    // ---- View `statics`: the IMPORTS data ----
    (@statics $(
        [$name:ident $module:literal $host:ident $ok:tt [$($alias:ident)?] $doc:literal
         [$( $in:ident $ik:ident [$($iw:ident $iwt:ident)*] $idoc:literal )*]
         [$( $on:ident $okind:ident [$($ow:ident $owt:ident)*] $odoc:literal )?]
         $result:ident [$( $err:ident $when:literal )*] [$( $trap:literal )*] $own:literal $args:tt $wasm:tt]
    )*) => {
        /// Each import's declaration by import name, for [`Call::import`](crate::Call::import).
        #[allow(non_upper_case_globals)]
        pub(crate) mod decls {
            use $crate::{AbiVersion, Errno, ErrnoUse, ImportDecl, ParamDecl, ParamKind, ResultKind, SlotKind, WasmParam};
            $(
                pub(crate) const $name: ImportDecl = ImportDecl {
                    name: stringify!($name),
                    module: $module,
                    version: match AbiVersion::of_import_module($module) {
                        Some(version) => version,
                        None => panic!(concat!("not an import module name of the form spacetime_MAJOR.MINOR: ", $module)),
                    },
                    host_method: stringify!($host),
                    doc: $doc,
                    params: &[
                        $( ParamDecl {
                            name: stringify!($in),
                            kind: ParamKind::$ik,
                            doc: $idoc,
                            wasm: &[ $( WasmParam { name: stringify!($iw), slot: SlotKind::$iwt }, )* ],
                        }, )*
                        $( ParamDecl {
                            name: stringify!($on),
                            kind: ParamKind::$okind,
                            doc: $odoc,
                            wasm: &[ $( WasmParam { name: stringify!($ow), slot: SlotKind::$owt }, )* ],
                        }, )?
                    ],
                    result: ResultKind::$result,
                    errnos: &[ $( ErrnoUse { errno: Errno::$err, when: $when }, )* ],
                    traps: &[ $( $trap, )* ],
                    ownership: $own,
                    deprecated_alias_of: $crate::__imports!(@optional_name $($alias)?),
                };
            )*
        }

        /// Every import, in declaration order (deprecated aliases included).
        pub static IMPORTS: &[ImportDecl] = &[$(decls::$name),*];
    };
    (@optional_name) => { None };
    (@optional_name $name:ident) => { Some(stringify!($name)) };

    // ---- View `glue`: what the glue functions are made of ----
    (@glue [$($callback:tt)*] $(
        [$name:ident $module:tt $host:ident $ok:tt $alias:tt $doc:literal
         [$( $in:ident $ik:ident [$($iw:ident $iwt:ident)*] $idoc:literal )*]
         [$( $on:ident $okind:ident [$($ow:ident $owt:ident)*] $odoc:literal )?]
         $result:ident $errnos:tt $traps:tt $own:tt $args:tt $wasm:tt]
    )*) => {
        $($callback)*! {
            $( $name $host $doc [$( $ik($($iw: $iwt),*) )*] [$( $okind($($ow: $owt),*) )?] $result; )*
        }
    };

    // ---- View `raw_fns`: `for_each_import!` ----
    (@raw_fns [$($callback:tt)*] $(
        [$name:ident $module:literal $host:tt $ok:tt $alias:tt $doc:literal $inputs:tt $output:tt
         $result:ident $errnos:tt $traps:tt $own:tt $args:tt [$($w:ident $wt:ident)*]]
    )*) => {
        $($callback)*! {
            $(
                #[doc = $doc]
                $module fn $name($($w: $crate::slot_type!($wt)),*) -> $crate::result_type!($result);
            )*
        }
    };

    // ---- View `host_methods`: one typed Host method per distinct method ----
    // `$lt` is the lifetime the borrowed parameters get; the callback sees `$prefix` first.
    (@host_methods $lt:tt $callback:tt $prefix:tt $($records:tt)*) => {
        $crate::__imports! { @host_method $lt $callback $prefix [] $($records)* }
    };
    (@host_method $lt:tt [$($callback:tt)*] [$($prefix:tt)*] [$($methods:tt)*]) => {
        $($callback)*! { $($prefix)* $($methods)* }
    };
    // A deprecated alias calls its original's method: no method of its own.
    (@host_method $lt:tt $callback:tt $prefix:tt $methods:tt
        [$name:ident $module:tt $host:ident $ok:tt [$alias:ident] $($skip:tt)*] $($rest:tt)*) => {
        $crate::__imports! { @host_method $lt $callback $prefix $methods $($rest)* }
    };
    (@host_method $lt:tt $callback:tt $prefix:tt [$($methods:tt)*]
        [$name:ident $module:tt $host:ident $ok:tt [] $doc:literal $inputs:tt $output:tt
         $result:ident $errnos:tt $traps:tt $own:tt [$( $arg:ident $kind:ident $arg_doc:literal )*] $wasm:tt]
        $($rest:tt)*) => {
        $crate::__imports! { @host_method $lt $callback $prefix [
            $($methods)*
            #[doc = concat!("`", stringify!($name), "`: ", $doc)]
            fn $host($( #[doc = $arg_doc] $arg: $crate::__host_arg_type!($lt $kind) ),*)
                -> $crate::__host_return_type!($result $ok);
        ] $($rest)* }
    };
}
