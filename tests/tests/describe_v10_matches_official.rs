//! Each 2.x example (`features = ["v2"]`), built by Worldtube and by the official `spacetimedb`
//! 2.8.3 crate from the same source, must describe itself with the same bytes
//! (`RawModuleDef::V10`), ours must import nothing the official build does not, and must export
//! `__call_reducer__`, `__call_procedure__`, `__call_view__`, `__call_view_anon__` and
//! `__call_http_handler__` as the official build does, with the same signatures.

use std::collections::BTreeSet;
use std::path::Path;

use worldtube_compat::build::{Builder, Flavor, EXAMPLES_V2};
use worldtube_compat::runner;
use worldtube_lib::raw_def::RawModuleDef;

fn builder() -> Builder {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("the tmp dir is inside the target dir");
    Builder::new(target_dir)
}

/// The wasm of `example` built as `flavor`; panics with the build's error.
fn wasm(flavor: Flavor, example: &str) -> Vec<u8> {
    let builder = builder();
    let built = match flavor {
        Flavor::Ours => builder.build_ours(example),
        Flavor::Official => builder.build_official(example),
    }
    .unwrap_or_else(|error| panic!("the {} build of {example} failed:\n{error}", flavor.name()));
    eprintln!("{} build of {example} took {:.1?}", flavor.name(), built.elapsed);
    std::fs::read(&built.wasm_file).unwrap_or_else(|error| panic!("cannot read {}: {error}", built.wasm_file.display()))
}

fn imports(wasm: &[u8]) -> BTreeSet<(String, String)> {
    runner::interface(wasm).expect("the module loads").imports.into_iter().map(|i| (i.module, i.name)).collect()
}

#[test]
fn v2_examples_describe_like_official_and_import_a_subset() {
    for &example in EXAMPLES_V2 {
        let ours_wasm = wasm(Flavor::Ours, example);
        let official_wasm = wasm(Flavor::Official, example);
        let ours_run = runner::describe(&ours_wasm).unwrap_or_else(|e| panic!("describing our {example}: {e}"));
        let official_run =
            runner::describe(&official_wasm).unwrap_or_else(|e| panic!("describing official {example}: {e}"));
        let (ours, official) = (ours_run.bytes, official_run.bytes);
        if ours != official {
            eprintln!("{example}: our __preinit__ order: {:?}", ours_run.preinits);
            eprintln!("{example}: official __preinit__ order: {:?}", official_run.preinits);
            for (what, bytes) in [("ours", &ours), ("official", &official)] {
                if let Ok(RawModuleDef::V10(def)) = worldtube_lib::bsatn::from_slice::<RawModuleDef>(bytes) {
                    let kinds: Vec<String> = def
                        .sections
                        .iter()
                        .map(|s| format!("{s:?}").split('(').next().unwrap_or("").to_owned())
                        .collect();
                    eprintln!("{example}: {what} sections: {kinds:?}");
                }
            }
        }

        // The official decoder sees V10 in both, and re-encodes ours to the same bytes.
        let decoded = spacetimedb_lib_2::bsatn::from_slice::<spacetimedb_lib_2::RawModuleDef>(&ours)
            .unwrap_or_else(|e| panic!("spacetimedb-lib 2.8.3 cannot decode our {example}: {e}"));
        assert!(matches!(decoded, spacetimedb_lib_2::RawModuleDef::V10(_)), "our {example} is not V10");
        assert_eq!(spacetimedb_lib_2::bsatn::to_vec(&decoded).unwrap(), ours, "{example}: re-encoding differs");
        let ours_def = worldtube_lib::bsatn::from_slice::<RawModuleDef>(&ours).expect("we decode our own");
        let official_def = worldtube_lib::bsatn::from_slice::<RawModuleDef>(&official).expect("we decode official");
        assert_eq!(format!("{ours_def:#?}"), format!("{official_def:#?}"), "{example}: the definitions differ");
        assert_eq!(ours, official, "{example}: the description bytes differ");

        let ours_imports = imports(&ours_wasm);
        let official_imports = imports(&official_wasm);
        let extra: Vec<_> = ours_imports.difference(&official_imports).collect();
        assert!(extra.is_empty(), "our {example} imports what the official build does not: {extra:#?}");
        eprintln!("{example}: ours imports {ours_imports:?}\nofficial imports {official_imports:?}");

        // The host calls these by name and signature: the reducer, procedure, view and HTTP
        // handler entry points of the official build are ours too, alike.
        let calls = |wasm: &[u8]| -> BTreeSet<(String, String)> {
            let interface = runner::interface(wasm).expect("the module loads");
            interface
                .exports
                .into_iter()
                .filter(|e| {
                    matches!(
                        &*e.name,
                        "__call_reducer__"
                            | "__call_procedure__"
                            | "__call_view__"
                            | "__call_view_anon__"
                            | "__call_http_handler__"
                    )
                })
                .map(|e| (e.name, e.ty))
                .collect()
        };
        let (ours_calls, official_calls) = (calls(&ours_wasm), calls(&official_wasm));
        assert_eq!(official_calls.len(), 5, "the official {example} exports {official_calls:#?}");
        let missing: Vec<_> = official_calls.difference(&ours_calls).collect();
        assert!(
            missing.is_empty(),
            "our {example} lacks the official entry points {missing:#?} (ours: {ours_calls:#?})"
        );
    }
}
