//! The import table as static data ([`IMPORTS`]), expanded from [`for_each_import!`](crate::for_each_import).

use crate::{Errno, ErrnoUse, ImportDecl, ParamDecl, ParamKind, ResultKind, SlotKind, WasmParam, IMPORT_MODULE};

macro_rules! optional_name {
    () => {
        None
    };
    ($name:ident) => {
        Some(stringify!($name))
    };
}

macro_rules! define_import_statics {
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
        /// Every import of ABI 10.0, in declaration order (deprecated aliases included).
        pub static IMPORTS: &[ImportDecl] = &[$(
            ImportDecl {
                name: stringify!($name),
                module: IMPORT_MODULE,
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
                        kind: ParamKind::$ok,
                        doc: $odoc,
                        wasm: &[ $( WasmParam { name: stringify!($ow), slot: SlotKind::$owt }, )* ],
                    }, )?
                ],
                result: ResultKind::$result,
                errnos: &[ $( ErrnoUse { errno: Errno::$err, when: $when }, )* ],
                traps: &[ $( $trap, )* ],
                ownership: $own,
                deprecated_alias_of: optional_name!($($alias)?),
            },
        )*];
    };
}
crate::for_each_import!(define_import_statics);

/// The import with this name, if ABI 10.0 has it.
pub fn import(name: &str) -> Option<&'static ImportDecl> {
    IMPORTS.iter().find(|decl| decl.name == name)
}
