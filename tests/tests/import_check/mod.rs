//! Checks a module's import section against the declaration table, signature by signature.

use wasmparser::{Parser, Payload, TypeRef, ValType};
use worldtube_abi::{WasmType, IMPORTS};

/// One function import: module, name, parameter and result types (wasm text names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FuncImport {
    pub module: String,
    pub name: String,
    pub params: Vec<String>,
    pub results: Vec<String>,
}

fn type_name(ty: ValType) -> String {
    ty.to_string()
}

/// The function imports of `wasm`, in order; a non-function import is an error.
pub(crate) fn func_imports(wasm: &[u8]) -> Result<Vec<FuncImport>, String> {
    let mut types = Vec::new();
    let mut imports = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|error| format!("invalid wasm: {error}"))? {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    types.push(ty.map_err(|error| format!("type section: {error}"))?);
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.map_err(|error| format!("import section: {error}"))?;
                    let TypeRef::Func(index) = import.ty else {
                        return Err(format!("{}::{} is not a function import", import.module, import.name));
                    };
                    let ty = types.get(index as usize).ok_or_else(|| format!("no type {index}"))?;
                    imports.push(FuncImport {
                        module: import.module.to_owned(),
                        name: import.name.to_owned(),
                        params: ty.params().iter().copied().map(type_name).collect(),
                        results: ty.results().iter().copied().map(type_name).collect(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(imports)
}

/// What is wrong with `wasm`'s imports, compared with the table: a module no import of the
/// table lives in, a name the table does not have (in that module), or other wasm types.
pub(crate) fn import_problems(wasm: &[u8]) -> Vec<String> {
    let imports = match func_imports(wasm) {
        Ok(imports) => imports,
        Err(error) => return vec![error],
    };
    let names = |types: Vec<WasmType>| -> Vec<String> { types.into_iter().map(|t| t.name().to_owned()).collect() };
    let mut problems = Vec::new();
    for import in imports {
        let FuncImport { module, name, params, results } = &import;
        if !IMPORTS.iter().any(|decl| decl.module == module) {
            problems.push(format!("{module}::{name}: `{module}` is not an ABI import module of the table"));
            continue;
        }
        let Some(decl) = IMPORTS.iter().find(|decl| decl.module == module && decl.name == name) else {
            problems.push(format!("{module}::{name}: the table has no import of that name in `{module}`"));
            continue;
        };
        let (want_params, want_results) = (names(decl.wasm_param_types()), names(decl.wasm_result_types()));
        if (params, results) != (&want_params, &want_results) {
            problems.push(format!(
                "{module}::{name}: ({}) -> ({}), but the table declares ({}) -> ({})",
                params.join(", "),
                results.join(", "),
                want_params.join(", "),
                want_results.join(", ")
            ));
        }
    }
    problems
}

#[test]
fn the_check_reports_each_kind_of_mismatch() {
    let wasm = wat::parse_str(
        r#"(module
            (import "spacetime_10.0" "table_id_from_name" (func (param i32 i32 i32) (result i32)))
            (import "spacetime_10.0" "console_log" (func (param i32 i32 i32 i32 i32 i32 i32 i64)))
            (import "spacetime_10.0" "no_such_import" (func))
            (import "spacetime_9.9" "identity" (func (param i32)))
        )"#,
    )
    .unwrap();
    let problems = import_problems(&wasm);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with("spacetime_10.0::console_log: (i32, i32, i32, i32, i32, i32, i32, i64) -> ()"));
    assert!(problems[1].contains("no import of that name"), "{}", problems[1]);
    assert!(problems[2].contains("not an ABI import module"), "{}", problems[2]);
}
