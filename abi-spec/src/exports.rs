//! What a module must (or may) export for the host, as data.

use crate::{ExportDecl, ExportKind, ExportParam, WasmType};

const fn p(name: &'static str, ty: WasmType, doc: &'static str) -> ExportParam {
    ExportParam { name, ty, doc }
}

/// Every export the 10.0 host looks for, in the order it uses them.
pub static EXPORTS: &[ExportDecl] = &[
    ExportDecl {
        name: "memory",
        is_prefix: false,
        kind: ExportKind::Memory,
        required: true,
        params: &[],
        results: &[],
        doc: "The module's linear memory. Every pointer passed to or from the host is an offset into it.",
        returns: "",
    },
    ExportDecl {
        name: "__preinit__",
        is_prefix: true,
        kind: ExportKind::Function,
        required: false,
        params: &[],
        results: &[],
        doc: "Any number of exports whose name starts with `__preinit__`. On every new instance the host calls each of them once, in byte-wise sorted order of their full names, before anything else. A trap aborts module creation.",
        returns: "",
    },
    ExportDecl {
        name: "__setup__",
        is_prefix: false,
        kind: ExportKind::Function,
        required: false,
        params: &[p("error", WasmType::I32, "BytesSink for a UTF-8 error message.")],
        results: &[WasmType::I32],
        doc: "Optional; called after the preinit functions.",
        returns: "0 = ok; 1 = failed, with a UTF-8 message written to `error`; any other value is treated as an unknown failure.",
    },
    ExportDecl {
        name: "__describe_module__",
        is_prefix: false,
        kind: ExportKind::Function,
        required: true,
        params: &[p("description", WasmType::I32, "BytesSink that receives the BSATN of a RawModuleDef (tag 1 = V9).")],
        results: &[],
        doc: "Called on every new instance after the preinit functions and __setup__, outside any transaction (datastore imports return NOT_IN_TRANSACTION). The module writes its definition to the sink; the host decodes and validates it the first time and discards it afterwards.",
        returns: "",
    },
    ExportDecl {
        name: "__call_reducer__",
        is_prefix: false,
        kind: ExportKind::Function,
        required: true,
        params: &[
            p("id", WasmType::I32, "u32 index of the reducer in RawModuleDefV9.reducers as written by __describe_module__."),
            p("sender_0", WasmType::I64, "Bytes 0..8 of the caller Identity's 32-byte little-endian form, read as a little-endian u64."),
            p("sender_1", WasmType::I64, "Bytes 8..16 of the caller Identity, same scheme."),
            p("sender_2", WasmType::I64, "Bytes 16..24 of the caller Identity, same scheme."),
            p("sender_3", WasmType::I64, "Bytes 24..32 of the caller Identity, same scheme."),
            p("conn_id_0", WasmType::I64, "Bytes 0..8 of the 16-byte little-endian ConnectionId; an all-zero id means no connection."),
            p("conn_id_1", WasmType::I64, "Bytes 8..16 of the ConnectionId."),
            p("timestamp", WasmType::I64, "Call time in microseconds since the Unix epoch (an i64 passed as u64)."),
            p("args", WasmType::I32, "BytesSource with the BSATN of the reducer's argument product, or 0 when the arguments are empty (read nothing then)."),
            p("error", WasmType::I32, "BytesSink for a UTF-8 error message."),
        ],
        results: &[WasmType::I32],
        doc: "Runs one reducer inside a transaction the host opened. A trap is fatal: the instance is discarded and the transaction rolled back.",
        returns: "0 = success (commit); 1 = the reducer failed with the message written to `error` (roll back); any other value is an unknown failure (roll back).",
    },
];
