//! Builds a wasm module that calls every raw import (of every version) and checks its import
//! section against the declaration table: same (module, name, signature) set, and no module the
//! table does not name. (That our 1.x-style examples import only from `spacetime_10.0` is checked
//! on their wasm builds, official and ours, in `tests/tests/describe_matches_official.rs`.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use wasmparser::{Parser, Payload, TypeRef, ValType};
use worldtube_abi::{WasmType, IMPORTS};

type Signature = (String, String, Vec<&'static str>, Vec<&'static str>);

fn build_fixture() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = crate_dir.join("tests/touch-all/Cargo.toml");
    // A target dir of its own: no lock fights with the `cargo test` that runs us.
    let target_dir = crate_dir.join("../target/wasm-imports-fixture");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--offline", "--quiet", "--target", "wasm32-unknown-unknown", "--manifest-path"])
        .arg(&fixture)
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .expect("failed to run cargo");
    assert!(status.success(), "building the touch-all fixture for wasm32 failed");
    target_dir.join("wasm32-unknown-unknown/debug/worldtube_sys_touch_all.wasm")
}

fn wasm_name(ty: ValType) -> &'static str {
    match ty {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        other => panic!("unexpected value type {other:?} in an import signature"),
    }
}

fn imports_of(wasm: &[u8]) -> BTreeSet<Signature> {
    let mut types = Vec::new();
    let mut imports = BTreeSet::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.expect("valid wasm") {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    types.push(ty.expect("function type"));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.expect("import");
                    let TypeRef::Func(index) = import.ty else {
                        panic!("non-function import {}::{}", import.module, import.name);
                    };
                    let ty = &types[index as usize];
                    imports.insert((
                        import.module.to_owned(),
                        import.name.to_owned(),
                        ty.params().iter().copied().map(wasm_name).collect(),
                        ty.results().iter().copied().map(wasm_name).collect(),
                    ));
                }
            }
            _ => {}
        }
    }
    imports
}

fn table_signatures() -> BTreeSet<Signature> {
    IMPORTS
        .iter()
        .map(|decl| {
            (
                decl.module.to_owned(),
                decl.name.to_owned(),
                decl.wasm_param_types().into_iter().map(WasmType::name).collect(),
                decl.wasm_result_types().into_iter().map(WasmType::name).collect(),
            )
        })
        .collect()
}

#[test]
fn wasm_imports_match_table() {
    let wasm = std::fs::read(build_fixture()).expect("fixture .wasm");
    let actual = imports_of(&wasm);

    let table_modules: BTreeSet<&str> = IMPORTS.iter().map(|decl| decl.module).collect();
    let foreign: Vec<_> = actual.iter().filter(|(module, ..)| !table_modules.contains(module.as_str())).collect();
    assert!(foreign.is_empty(), "imports from modules the table does not name ({table_modules:?}): {foreign:?}");

    let expected = table_signatures();
    assert_eq!(expected.len(), 30, "the table has 20 imports of 10.0 and 10 of 10.1-10.5");
    let missing: Vec<_> = expected.difference(&actual).collect();
    let extra: Vec<_> = actual.difference(&expected).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing from wasm: {missing:#?}\nnot in table: {extra:#?}");
}
