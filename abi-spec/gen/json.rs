//! abi.json: the tables in machine-readable form.

use serde_json::{json, Value};
use worldtube_abi::*;

fn import(decl: &ImportDecl) -> Value {
    json!({
        "name": decl.name,
        "module": decl.module,
        "since": decl.version.to_string(),
        "needs_host_with": decl.version.to_string(),
        "host_method": decl.host_method,
        "doc": decl.doc,
        "deprecated_alias_of": decl.deprecated_alias_of,
        "params": decl.params.iter().map(|param| json!({
            "name": param.name,
            "kind": param.kind.name(),
            "direction": param.kind.direction(),
            "doc": param.doc,
            "wasm": param.wasm.iter().map(|w| json!({
                "name": w.name,
                "type": w.slot.wasm_type().name(),
                "rust_type": w.slot.rust_type(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "wasm_params": decl.wasm_param_types().iter().map(|t| t.name()).collect::<Vec<_>>(),
        "result": {
            "kind": decl.result.name(),
            "wasm": decl.result.wasm_type().map(WasmType::name),
            "rust_type": decl.result.rust_type(),
        },
        "errnos": decl.errnos.iter().map(|e| json!({
            "code": e.errno.code(),
            "name": e.errno.name(),
            "when": e.when,
        })).collect::<Vec<_>>(),
        "traps": decl.traps,
        "ownership": decl.ownership,
    })
}

fn export(decl: &ExportDecl) -> Value {
    json!({
        "name": decl.name,
        "name_is_prefix": decl.is_prefix,
        "kind": match decl.kind { ExportKind::Memory => "memory", ExportKind::Function => "function" },
        "required": decl.required,
        "unstable": decl.unstable,
        "since": decl.version.to_string(),
        "needs_host_with": decl.version.to_string(),
        "params": decl.params.iter().map(|p| json!({
            "name": p.name, "type": p.ty.name(), "doc": p.doc,
        })).collect::<Vec<_>>(),
        "results": decl.results.iter().map(|t| t.name()).collect::<Vec<_>>(),
        "doc": decl.doc,
        "returns": decl.returns,
    })
}

pub(super) fn render() -> String {
    let value = json!({
        "abi_version": { "major": ABI_MAJOR, "minor": ABI_MINOR },
        "import_module": IMPORT_MODULE,
        "versions": VERSIONS.iter().map(|v| json!({
            "version": v.version.to_string(),
            "import_module": v.version.import_module(),
            "adds": v.adds,
            "servers": v.servers,
        })).collect::<Vec<_>>(),
        "imports": IMPORTS.iter().map(import).collect::<Vec<_>>(),
        "exports": EXPORTS.iter().map(export).collect::<Vec<_>>(),
        "errnos": ERRNOS.iter().map(|e| json!({
            "code": e.code, "name": e.name, "message": e.message,
        })).collect::<Vec<_>>(),
        "constants": {
            "ROW_ITER_CHUNK_SIZE": ROW_ITER_CHUNK_SIZE,
            "NO_LINE_NUMBER": NO_LINE_NUMBER,
            "INVALID_HANDLE": INVALID_HANDLE,
            "EXHAUSTED": EXHAUSTED,
            "CALL_OK": CALL_OK,
            "CALL_FAILED_WITH_MESSAGE": CALL_FAILED_WITH_MESSAGE,
        },
        "log_levels": LogLevel::ALL.iter().map(|l| json!({
            "name": l.name(), "code": l.code(),
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).expect("JSON values always serialize");
    text.push('\n');
    text
}
