//! What a module must (or may) export for the host, as data.

use crate::{AbiVersion, ExportDecl, ExportKind, ExportParam, WasmType};

const fn v(minor: u16) -> AbiVersion {
    AbiVersion { major: 10, minor }
}

const fn p(name: &'static str, ty: WasmType, doc: &'static str) -> ExportParam {
    ExportParam { name, ty, doc }
}

/// Every export a host looks for: the 10.0 ones in the order it uses them, then the later ones.
pub static EXPORTS: &[ExportDecl] = &[
    ExportDecl {
        name: "memory",
        is_prefix: false,
        kind: ExportKind::Memory,
        required: true,
        version: v(0),
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
        version: v(0),
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
        version: v(0),
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
        version: v(0),
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
        version: v(0),
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
    ExportDecl {
        name: "__call_procedure__",
        is_prefix: false,
        kind: ExportKind::Function,
        required: false,
        version: v(3),
        params: &[
            p("id", WasmType::I32, "u32 index of the procedure among the module definition's procedures."),
            p("sender_0", WasmType::I64, "Caller Identity, bytes 0..8, as for __call_reducer__."),
            p("sender_1", WasmType::I64, "Caller Identity, bytes 8..16."),
            p("sender_2", WasmType::I64, "Caller Identity, bytes 16..24."),
            p("sender_3", WasmType::I64, "Caller Identity, bytes 24..32."),
            p("conn_id_0", WasmType::I64, "ConnectionId, bytes 0..8, as for __call_reducer__."),
            p("conn_id_1", WasmType::I64, "ConnectionId, bytes 8..16."),
            p("timestamp", WasmType::I64, "Call time in microseconds since the Unix epoch."),
            p("args", WasmType::I32, "BytesSource with the BSATN of the procedure's argument product, or 0 when it is empty."),
            p("result", WasmType::I32, "BytesSink that receives the BSATN of the procedure's return value."),
        ],
        results: &[WasmType::I32],
        doc: "Runs one procedure. Unlike a reducer it runs outside any transaction and opens its own with procedure_start_mut_tx; only procedures may sleep or make HTTP requests. Needed by modules that define procedures.",
        returns: "0; a failing procedure traps. Any other value is an error.",
    },
    ExportDecl {
        name: "__call_view__",
        is_prefix: false,
        kind: ExportKind::Function,
        required: false,
        version: v(4),
        params: &[
            p("id", WasmType::I32, "u32 index of the view among the module definition's views that take the caller."),
            p("sender_0", WasmType::I64, "Caller Identity, bytes 0..8, as for __call_reducer__."),
            p("sender_1", WasmType::I64, "Caller Identity, bytes 8..16."),
            p("sender_2", WasmType::I64, "Caller Identity, bytes 16..24."),
            p("sender_3", WasmType::I64, "Caller Identity, bytes 24..32."),
            p("args", WasmType::I32, "BytesSource with the BSATN of the view's arguments, or 0 when they are empty."),
            p("result", WasmType::I32, "BytesSink that receives the view's rows."),
        ],
        results: &[WasmType::I32],
        doc: "Evaluates a view that depends on its caller, in a read-only transaction. Needed by modules that define such views.",
        returns: "0 = the sink holds the rows in the older plain form; 2 = the sink starts with a result header (newer form). A failing view traps.",
    },
    ExportDecl {
        name: "__call_view_anon__",
        is_prefix: false,
        kind: ExportKind::Function,
        required: false,
        version: v(4),
        params: &[
            p("id", WasmType::I32, "u32 index of the view among the module definition's views that do not take the caller."),
            p("args", WasmType::I32, "BytesSource with the BSATN of the view's arguments, or 0 when they are empty."),
            p("result", WasmType::I32, "BytesSink that receives the view's rows."),
        ],
        results: &[WasmType::I32],
        doc: "Evaluates a view that does not depend on its caller, in a read-only transaction. Needed by modules that define such views.",
        returns: "As for __call_view__.",
    },
];
