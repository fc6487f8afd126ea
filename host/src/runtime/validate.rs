//! Checking a wasm module's imports and exports against the interface (`spacetime_10.0` to
//! `spacetime_10.5`) before instantiating it, the way the server does (SPEC §1, §7), with one
//! readable message per problem.

use std::collections::BTreeMap;

use wasmi::{ExternType, FuncType, Module, ValType};
use worldtube_abi::{AbiVersion, ExportKind, WasmType, ABI_MAJOR, EXPORTS, IMPORT_MODULE_PREFIX};

/// Every problem with the module's interface; empty if it fits.
pub(crate) fn interface_problems(module: &Module) -> Vec<String> {
    let mut problems = Vec::new();
    check_imports(module, &mut problems);
    check_exports(module, &mut problems);
    problems
}

/// `` `spacetime_10.0` ... `spacetime_10.5` ``: the import modules this host provides.
fn provided_modules() -> String {
    format!("`{}` ... `{}`", AbiVersion::BASE.import_module(), AbiVersion::CURRENT.import_module())
}

fn check_imports(module: &Module, problems: &mut Vec<String>) {
    let mut abi_imports = 0usize;
    // Imports from `spacetime_*` modules of no version this host provides, and from anything
    // else, grouped by module.
    let mut other_versions: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut foreign: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for import in module.imports() {
        let (from, name) = (import.module(), import.name());
        if !from.starts_with(IMPORT_MODULE_PREFIX) {
            foreign.entry(from).or_default().push(name);
            continue;
        }
        abi_imports += 1;
        let version = AbiVersion::of_import_module(from);
        if !version.is_some_and(|v| v.major == ABI_MAJOR && v <= AbiVersion::CURRENT) {
            other_versions.entry(from).or_default().push(name);
            continue;
        }
        let decl = match worldtube_abi::import(name) {
            Some(decl) if decl.module == from => decl,
            Some(decl) => {
                problems.push(format!(
                    "imports `{name}` from `{from}`, but `{name}` belongs to `{}` (ABI {}, the version that \
                     introduced it); import it from there",
                    decl.module, decl.version
                ));
                continue;
            }
            None => {
                problems.push(format!("imports `{name}` from `{from}`, which has no function of that name"));
                continue;
            }
        };
        match import.ty() {
            ExternType::Func(ty) => {
                let expected = func_type(&decl.wasm_param_types(), &decl.wasm_result_types());
                if *ty != expected {
                    problems.push(format!(
                        "imports `{name}` from `{from}` with the signature {}, but ABI {} declares {}",
                        signature(ty),
                        decl.version,
                        signature(&expected)
                    ));
                }
            }
            other => problems.push(format!("imports `{name}` from `{from}` as a {}; it is a function", kind(other))),
        }
    }
    for (from, names) in other_versions {
        let why = match AbiVersion::of_import_module(from) {
            Some(version) if version.major == ABI_MAJOR => format!(
                "so it requires ABI {version}, which no known server provides: this host provides ABI {} to {} ({})",
                AbiVersion::BASE,
                AbiVersion::CURRENT,
                provided_modules()
            ),
            Some(version) => format!(
                "so it requires ABI {version}, but this host provides ABI {} to {} (the major versions must be \
                 equal)",
                AbiVersion::BASE,
                AbiVersion::CURRENT
            ),
            None => "which is not a `spacetime_MAJOR.MINOR` import module".to_owned(),
        };
        problems.push(format!("imports {} from `{from}`, {why}", list(&names)));
    }
    for (from, names) in foreign {
        problems.push(format!(
            "imports {} from `{from}`; only imports from {} are allowed (no WASI, `env`, wasm-bindgen, ...: \
             build the module for wasm32-unknown-unknown)",
            list(&names),
            provided_modules()
        ));
    }
    if abi_imports == 0 {
        problems.push(format!(
            "imports nothing from {}, so its ABI version is unknown (a module must import at least one host \
             function)",
            provided_modules()
        ));
    }
}

fn check_exports(module: &Module, problems: &mut Vec<String>) {
    // SPEC §1: official tooling rejects modules that export `__wbindgen*` names (a wasm-bindgen
    // build); their imports from `__wbindgen_placeholder__` are already rejected above.
    let wbindgen: Vec<&str> =
        module.exports().map(|export| export.name()).filter(|name| name.starts_with(WBINDGEN_PREFIX)).collect();
    if !wbindgen.is_empty() {
        problems.push(format!(
            "exports {}, which marks a wasm-bindgen build; SpacetimeDB modules must not use wasm-bindgen (no \
             `__wbindgen*` imports or exports): remove the wasm-bindgen dependency",
            list(&wbindgen)
        ));
    }
    for decl in EXPORTS {
        let matches = |name: &str| if decl.is_prefix { name.starts_with(decl.name) } else { name == decl.name };
        let found: Vec<(&str, ExternType)> =
            module.exports().filter(|export| matches(export.name())).map(|e| (e.name(), e.ty().clone())).collect();
        if found.is_empty() && decl.required {
            problems.push(format!("does not export `{}` ({})", decl.name, decl.wasm_signature()));
        }
        for (name, ty) in found {
            match (decl.kind, &ty) {
                (ExportKind::Memory, ExternType::Memory(_)) => {}
                (ExportKind::Function, ExternType::Func(ty)) => {
                    let params: Vec<WasmType> = decl.params.iter().map(|param| param.ty).collect();
                    let expected = func_type(&params, decl.results);
                    // An unstable export of another form (a later server's) is left uncalled.
                    if *ty != expected && !decl.unstable {
                        problems.push(format!(
                            "exports `{name}` with the signature {}, but the host calls it as {}",
                            signature(ty),
                            signature(&expected)
                        ));
                    }
                }
                (ExportKind::Memory, other) => {
                    problems.push(format!("exports `{name}` as a {}; it must be the linear memory", kind(other)))
                }
                (ExportKind::Function, other) => problems.push(format!(
                    "exports `{name}` as a {}; it must be a function {}",
                    kind(other),
                    decl.wasm_signature()
                )),
            }
        }
    }
}

/// The prefix of wasm-bindgen's import and export names.
const WBINDGEN_PREFIX: &str = "__wbindgen";

/// `` `a`, `b` `` (at most a few names).
fn list(names: &[&str]) -> String {
    const SHOWN: usize = 4;
    let mut text = names.iter().take(SHOWN).map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// The `wasmi` function type of an ABI signature.
pub(crate) fn func_type(params: &[WasmType], results: &[WasmType]) -> FuncType {
    FuncType::new(params.iter().copied().map(val_type), results.iter().copied().map(val_type))
}

fn val_type(ty: WasmType) -> ValType {
    match ty {
        WasmType::I32 => ValType::I32,
        WasmType::I64 => ValType::I64,
    }
}

/// A signature in wasm text style, as the spec writes them: `(i32, i64) -> i32`, `() -> ()`.
pub(crate) fn signature(ty: &FuncType) -> String {
    let names = |types: &[ValType]| types.iter().map(|ty| format!("{ty:?}").to_lowercase()).collect::<Vec<_>>();
    let params = names(ty.params()).join(", ");
    let results = match ty.results() {
        [] => "()".to_owned(),
        [one] => names(&[*one]).join(""),
        many => format!("({})", names(many).join(", ")),
    };
    format!("({params}) -> {results}")
}

fn kind(ty: &ExternType) -> &'static str {
    match ty {
        ExternType::Func(_) => "function",
        ExternType::Memory(_) => "memory",
        ExternType::Table(_) => "table",
        ExternType::Global(_) => "global",
    }
}
