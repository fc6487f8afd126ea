//! SPEC.md: prose from `prose.rs` around tables rendered from the declaration data.

use std::fmt::Write;

use worldtube_abi::*;

use super::prose;

const SLOT_KINDS: [(SlotKind, &str); 12] = [
    (SlotKind::U32, "a `u32` value"),
    (SlotKind::U64, "a `u64` value"),
    (SlotKind::I64, "an `i64` value"),
    (SlotKind::Ptr, "address of bytes the host only reads"),
    (SlotKind::MutPtr, "address of a buffer the host may write"),
    (SlotKind::Len, "a byte length"),
    (SlotKind::LenPtr, "address of a 4-byte length cell the host reads and overwrites"),
    (SlotKind::U32Ptr, "address where the host writes a `u32` (LE)"),
    (SlotKind::U64Ptr, "address where the host writes a `u64` (LE)"),
    (SlotKind::I64Ptr, "address where the host writes an `i64` (LE)"),
    (SlotKind::IdentityPtr, "address where the host writes 32 bytes"),
    (SlotKind::SourcePairPtr, "address where the host writes two `u32` handles (8 bytes, LE)"),
];

const PARAM_KINDS: [(ParamKind, &str); 17] = [
    (ParamKind::Value, "a plain value"),
    (ParamKind::ValueI64, "a plain signed 64-bit value"),
    (ParamKind::ConnectionId, "address of a 16-byte `ConnectionId` (LE) the host reads; NULL or out-of-bounds traps"),
    (ParamKind::Str, "`(ptr, len)` UTF-8 text; NULL, out-of-bounds or invalid UTF-8 traps"),
    (ParamKind::LossyStr, "`(ptr, len)` text; invalid UTF-8 is replaced by U+FFFD; NULL traps"),
    (ParamKind::OptLossyStr, "like lossy_str, but address 0 means \"absent\" (no trap)"),
    (ParamKind::OptLine, "a `u32` where `u32::MAX` means \"absent\""),
    (ParamKind::Bytes, "`(ptr, len)` bytes the host reads; NULL traps even when `len` is 0"),
    (ParamKind::IndexPrefix, "`(ptr, len, elems)`: `elems` is a column count (traps above `u16::MAX`); when it is 0 `ptr`/`len` are ignored, otherwise they are bytes"),
    (ParamKind::OutU32, "out-pointer: on success the host writes a `u32`, LE"),
    (ParamKind::OutU64, "out-pointer: on success the host writes a `u64`, LE"),
    (ParamKind::OutI64, "out-pointer: on success the host writes an `i64`, LE"),
    (ParamKind::OutIdentity, "out-pointer: the host writes 32 bytes"),
    (ParamKind::RowWriteBack, "`(ptr, len_ptr)` in/out: a row of `*len_ptr` bytes goes in; on success the generated values and their length come back in the same places"),
    (ParamKind::FillBuffer, "`(ptr, len_ptr)`: a buffer of capacity `*len_ptr` the host fills; it stores the count written (or, with `BUFFER_TOO_SMALL`, the size needed) in `*len_ptr`"),
    (ParamKind::DrainBuffer, "`(ptr, len_ptr)`: `*len_ptr` bytes offered to the host; on success it stores the count consumed in `*len_ptr`"),
    (ParamKind::OutHttpSources, "out-pointer to two `u32` handles: on success the host writes both; with `HTTP_ERROR` only the first; with any other errno neither"),
];

fn result_text(result: ResultKind) -> &'static str {
    match result {
        ResultKind::Status => "`i32` status (a `u16`): `0` on success, otherwise an errno.",
        ResultKind::StatusOrExhausted => {
            "`i32` status (an `i16`): `0` = data delivered and more remains, `-1` = exhausted (handle destroyed by the host), positive = errno."
        }
        ResultKind::SignedStatus => "`i32` status (an `i16`): `0` on success, otherwise an errno; never negative.",
        ResultKind::ValueU32 => "`i32` holding a `u32` value. Never an errno.",
        ResultKind::ValueI64 => "`i64` value. Never an errno.",
        ResultKind::Unit => "Nothing. Never an errno.",
        ResultKind::Lenient => {
            "Nothing. Never an errno, and never a trap for what the module passes: a string the host cannot read (NULL where not allowed, out of bounds) makes it ignore the call."
        }
    }
}

fn render_import(out: &mut String, decl: &ImportDecl) {
    let params: Vec<String> =
        decl.wasm_params().map(|p| format!("{}: {}", p.name, p.slot.wasm_type().name())).collect();
    let result = decl.result.wasm_type().map_or(String::new(), |t| format!(" -> {}", t.name()));
    writeln!(out, "### `{}`\n", decl.name).unwrap();
    writeln!(out, "```text\n(import \"{}\" \"{}\") ({}){}\n```\n", decl.module, decl.name, params.join(", "), result)
        .unwrap();
    writeln!(out, "Needs a host that provides {} ({}).\n", decl.version, servers(decl.version)).unwrap();
    if let Some(original) = decl.deprecated_alias_of {
        writeln!(out, "**Deprecated alias** of [`{original}`](#{original}): a host must still provide it.\n").unwrap();
    }
    writeln!(out, "{}\n", decl.doc).unwrap();

    writeln!(out, "**Parameters**\n").unwrap();
    if decl.params.is_empty() {
        writeln!(out, "None.").unwrap();
    }
    for param in decl.params {
        let wasm: Vec<String> = param.wasm.iter().map(|w| format!("`{}`", w.name)).collect();
        let direction = param.kind.direction();
        writeln!(out, "* {} ({}, {}): {}", wasm.join(", "), param.kind.name(), direction, param.doc).unwrap();
    }
    writeln!(out, "\n**Returns**: {}\n", result_text(decl.result)).unwrap();

    writeln!(out, "**Errnos**\n").unwrap();
    if decl.errnos.is_empty() {
        writeln!(out, "None.").unwrap();
    }
    for errno in decl.errnos {
        writeln!(out, "* `{}` ({}): {}", errno.errno.name(), errno.errno.code(), errno.when).unwrap();
    }

    writeln!(out, "\n**Traps**\n").unwrap();
    if decl.traps.is_empty() {
        writeln!(out, "Never.").unwrap();
    }
    for trap in decl.traps {
        writeln!(out, "* {trap}").unwrap();
    }
    writeln!(out, "\n**Ownership**: {}\n", decl.ownership).unwrap();
}

/// The servers that provide `version`.
fn servers(version: AbiVersion) -> &'static str {
    version.decl().map_or("no known server", |decl| decl.servers)
}

fn render_versions(out: &mut String) {
    out.push_str(prose::VERSIONS);
    writeln!(out, "\n| Version | Import module | Adds | Servers that provide it |\n|---|---|---|---|").unwrap();
    for decl in VERSIONS {
        writeln!(out, "| {} | `{}` | {} | {} |", decl.version, decl.version.import_module(), decl.adds, decl.servers)
            .unwrap();
    }
    out.push_str(prose::VERSIONS_AFTER);
}

fn render_exports(out: &mut String) {
    writeln!(out, "## 7. Module exports\n").unwrap();
    writeln!(out, "| Export | Signature | Required | Since | Purpose |\n|---|---|---|---|---|").unwrap();
    for export in EXPORTS {
        let name = if export.is_prefix { format!("`{}*`", export.name) } else { format!("`{}`", export.name) };
        let required = match (export.required, export.unstable) {
            (true, _) => "yes",
            (false, false) => "no",
            (false, true) => "no (unstable)",
        };
        writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            name,
            export.wasm_signature(),
            required,
            export.version,
            export.doc
        )
        .unwrap();
    }
    writeln!(out, "\nAn export from a version after 10.0 needs a host that provides that version to be called; a host that does not know it ignores it. The host checks the exact signature of each export it knows, except an unstable one: a module exporting that with another signature (a later server's form) loads, and the host does not call that export.\n").unwrap();
    out.push_str(prose::STARTUP);
    writeln!(out, "\n### 7.2 Export parameters\n").unwrap();
    for export in EXPORTS.iter().filter(|e| e.kind == ExportKind::Function && !e.params.is_empty()) {
        writeln!(out, "`{}{}` (since {})\n", export.name, export.wasm_signature(), export.version).unwrap();
        for param in export.params {
            writeln!(out, "* `{}: {}` — {}", param.name, param.ty.name(), param.doc).unwrap();
        }
        writeln!(out, "\nReturns: {}\n", export.returns).unwrap();
    }
    out.push_str(prose::CALL_REDUCER);
}

pub(super) fn render() -> String {
    let mut out = String::new();
    writeln!(out, "<!-- Generated by `cargo run -p worldtube-abi --example gen-spec`; do not edit by hand. -->\n")
        .unwrap();
    writeln!(out, "# The `spacetime_10` host ABI ({} to {})\n", AbiVersion::BASE, AbiVersion::CURRENT).unwrap();
    out.push_str(prose::INTRO);
    writeln!(out, "\n## Contents\n").unwrap();
    for line in [
        "1. Versioning and linking",
        "2. Wasm-level types",
        "3. Constants",
        "4. Errnos",
        "5. Imports",
        "6. Handles and buffer protocols",
        "7. Module exports, start-up, reducer calls, lifecycle, scheduling",
        "8. Datastore semantics",
        "9. BSATN encoding",
        "10. AlgebraicType",
        "11. Special types",
        "12. Module definition (RawModuleDef V9)",
        "13. Validation rules",
        "14. Checking a host: the conformance kit",
    ] {
        writeln!(out, "{line}").unwrap();
    }
    out.push('\n');
    out.push_str(prose::VERSIONING);
    out.push('\n');
    render_versions(&mut out);
    out.push('\n');
    out.push_str(prose::TYPE_MAPPING);
    writeln!(out, "\n| Slot | Wasm type | Carries |\n|---|---|---|").unwrap();
    for (slot, text) in SLOT_KINDS {
        writeln!(out, "| `{slot:?}` | `{}` | {text} |", slot.wasm_type().name()).unwrap();
    }
    writeln!(out, "\n| Kind | Meaning |\n|---|---|").unwrap();
    for (kind, text) in PARAM_KINDS {
        writeln!(out, "| `{}` | {text} |", kind.name()).unwrap();
    }

    writeln!(out, "\n## 3. Constants\n").unwrap();
    writeln!(out, "| Name | Value | Meaning |\n|---|---|---|").unwrap();
    writeln!(
        out,
        "| import modules | `{IMPORT_MODULE}` ... `{}` | one per ABI version {ABI_MAJOR}.0 ... {ABI_MAJOR}.{ABI_MINOR} |",
        AbiVersion::CURRENT.import_module()
    )
    .unwrap();
    writeln!(out, "| `ROW_ITER_CHUNK_SIZE` | {ROW_ITER_CHUNK_SIZE} | a row-iterator chunk is closed once it exceeds this many bytes |").unwrap();
    writeln!(out, "| `NO_LINE_NUMBER` | {NO_LINE_NUMBER} | `console_log` line number meaning \"none\" |").unwrap();
    writeln!(
        out,
        "| `INVALID_HANDLE` | {INVALID_HANDLE} | never a valid `BytesSource`/`RowIter`; empty reducer arguments |"
    )
    .unwrap();
    writeln!(out, "| `EXHAUSTED` | {EXHAUSTED} | signed status: the handle is exhausted and destroyed |").unwrap();
    writeln!(out, "\nLog levels for `console_log` (any other value is logged as DEBUG):\n").unwrap();
    writeln!(out, "| Level | Value |\n|---|---|").unwrap();
    for level in LogLevel::ALL {
        writeln!(out, "| {} | {} |", level.name(), level.code()).unwrap();
    }

    writeln!(out, "\n## 4. Errnos\n").unwrap();
    writeln!(out, "A status of `0` is success. A 10.0 host returns codes 1-9 and 11-15; code 10 and codes 16 and up came with later hosts, and among the imports only those of 10.3 and later return them (each import lists its errnos).\n").unwrap();
    writeln!(out, "| Code | Name | Meaning |\n|---|---|---|").unwrap();
    for errno in ERRNOS {
        writeln!(out, "| {} | `{}` | {} |", errno.code, errno.name, errno.message).unwrap();
    }
    writeln!(
        out,
        "\nA datastore failure that none of these codes describes (e.g. a sequence overflow) makes the import trap.\n"
    )
    .unwrap();

    writeln!(out, "## 5. Imports\n").unwrap();
    let mut modules: Vec<&str> = Vec::new();
    for decl in IMPORTS {
        if !modules.contains(&decl.module) {
            modules.push(decl.module);
        }
    }
    let modules: Vec<String> = modules.iter().map(|module| format!("`{module}`")).collect();
    let (count, noun) = match modules.len() {
        1 => ("All", "module"),
        _ => ("The", "modules"),
    };
    writeln!(out, "{count} {} imports are in {noun} {}. Each import lives in the module of the ABI version that introduced it (column *Since*). A host must provide every one of them (deprecated aliases included); a module may import any subset.\n", IMPORTS.len(), modules.join(", ")).unwrap();
    writeln!(out, "| Import | Signature | Result | Needs |\n|---|---|---|---|").unwrap();
    for decl in IMPORTS {
        writeln!(
            out,
            "| [`{0}`](#{0}) | `{1}` | {2} | {3} |",
            decl.name,
            decl.wasm_signature(),
            decl.result.name(),
            decl.version
        )
        .unwrap();
    }
    out.push('\n');
    for decl in IMPORTS {
        render_import(&mut out, decl);
    }

    out.push_str(prose::PROTOCOLS);
    out.push('\n');
    render_exports(&mut out);
    out.push('\n');
    out.push_str(prose::DATASTORE);
    out.push('\n');
    out.push_str(prose::BSATN);
    out.push('\n');
    out.push_str(prose::TYPES);
    out.push('\n');
    out.push_str(prose::MODULE_DEF);
    out.push('\n');
    out.push_str(prose::IMPLEMENTERS);
    out
}
