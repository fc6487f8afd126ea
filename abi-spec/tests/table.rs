//! Invariants of the declaration data itself.

use std::collections::BTreeSet;

use worldtube_abi::{
    import, AbiVersion, Call, Errno, HostError, Reply, ResultKind, ERRNOS, EXPORTS, IMPORTS, IMPORT_MODULE,
};

#[test]
fn there_are_twenty_imports_all_in_spacetime_10_0() {
    assert_eq!(IMPORTS.len(), 20);
    assert!(IMPORTS.iter().all(|decl| decl.module == IMPORT_MODULE && IMPORT_MODULE == "spacetime_10.0"));
    let names: BTreeSet<_> = IMPORTS.iter().map(|decl| decl.name).collect();
    assert_eq!(names.len(), 20, "names are unique");
}

#[test]
fn aliases_share_signature_and_host_method_with_their_original() {
    let aliases: Vec<_> = IMPORTS.iter().filter(|decl| decl.deprecated_alias_of.is_some()).collect();
    assert_eq!(
        aliases.iter().map(|decl| decl.name).collect::<Vec<_>>(),
        ["datastore_btree_scan_bsatn", "datastore_delete_by_btree_scan_bsatn"]
    );
    for alias in aliases {
        let original = import(alias.deprecated_alias_of.unwrap()).unwrap();
        assert_eq!(alias.wasm_signature(), original.wasm_signature());
        assert_eq!(alias.host_method, original.host_method);
        assert_eq!(alias.errnos, original.errnos);
    }
}

#[test]
fn signatures_match_the_reference() {
    let sig = |name: &str| import(name).unwrap().wasm_signature();
    assert_eq!(sig("table_id_from_name"), "(i32, i32, i32) -> i32");
    assert_eq!(sig("datastore_index_scan_range_bsatn"), format!("({}) -> i32", ["i32"; 9].join(", ")));
    assert_eq!(sig("datastore_update_bsatn"), "(i32, i32, i32, i32) -> i32");
    assert_eq!(sig("volatile_nonatomic_schedule_immediate"), "(i32, i32, i32, i32) -> ()");
    assert_eq!(sig("console_log"), format!("({}) -> ()", ["i32"; 8].join(", ")));
    assert_eq!(sig("console_timer_start"), "(i32, i32) -> i32");
    assert_eq!(sig("identity"), "(i32) -> ()");
    assert_eq!(import("row_iter_bsatn_advance").unwrap().result, ResultKind::StatusOrExhausted);
}

#[test]
fn errno_table_is_1_to_15_without_10() {
    let codes: Vec<u16> = ERRNOS.iter().map(|e| e.code).collect();
    assert_eq!(codes, [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15]);
    assert_eq!(Errno::NO_SUCH_TABLE.code(), 4);
    assert_eq!(Errno::from_code(11), Some(Errno::BUFFER_TOO_SMALL));
    assert_eq!(Errno::from_code(0), None);
    assert!(!Errno::from_code(10).unwrap().is_known());
    assert_eq!(Errno::UNIQUE_ALREADY_EXISTS.name(), "UNIQUE_ALREADY_EXISTS");
    assert!(Errno::NO_SUCH_ROW.to_string().starts_with("NO_SUCH_ROW (errno 15): "));
}

#[test]
fn exports_have_the_validated_signatures() {
    let sig = |name: &str| EXPORTS.iter().find(|e| e.name == name).unwrap().wasm_signature();
    assert_eq!(sig("memory"), "memory");
    assert_eq!(sig("__describe_module__"), "(i32) -> ()");
    assert_eq!(sig("__call_reducer__"), "(i32, i64, i64, i64, i64, i64, i64, i64, i32, i32) -> i32");
    assert_eq!(sig("__setup__"), "(i32) -> i32");
    assert_eq!(sig("__preinit__"), "() -> ()");
}

#[test]
fn every_import_names_its_module_and_version() {
    for decl in IMPORTS {
        assert_eq!(AbiVersion::of_import_module(decl.module), Some(decl.version), "{}", decl.name);
        assert!(decl.version <= AbiVersion::CURRENT, "{} is newer than this crate's ABI", decl.name);
    }
    assert_eq!(import("identity").unwrap().version.to_string(), "10.0");
}

#[test]
fn import_module_names_parse_strictly() {
    let parse = AbiVersion::of_import_module;
    assert_eq!(parse("spacetime_10.0"), Some(AbiVersion { major: 10, minor: 0 }));
    assert_eq!(parse("spacetime_10.5"), Some(AbiVersion { major: 10, minor: 5 }));
    assert_eq!(parse("spacetime_11.12"), Some(AbiVersion { major: 11, minor: 12 }));
    for bad in [
        "spacetime_10",
        "spacetime_10.",
        "spacetime_.0",
        "spacetime_10.0x",
        "env",
        "spacetime_70000.0",
        "Spacetime_10.0",
    ] {
        assert_eq!(parse(bad), None, "{bad}");
    }
}

#[test]
fn each_host_method_is_named_after_the_import_it_implements() {
    // `Call::import` finds a method's declaration by this name.
    for decl in IMPORTS.iter().filter(|decl| decl.deprecated_alias_of.is_none()) {
        assert_eq!(decl.host_method, decl.name);
    }
    let call = Call::datastore_index_scan_range_bsatn {
        index_id: 1,
        prefix: worldtube_abi::IndexPrefix { bytes: &[], elems: 0 },
        rstart: &[],
        rend: &[],
    };
    assert_eq!(call.name(), "datastore_index_scan_range_bsatn");
    assert_eq!(call.import(), import("datastore_index_scan_range_bsatn").unwrap());
}

#[test]
fn failing_a_call_returns_the_errno_or_traps_without_a_status() {
    let reply = Call::table_id_from_name { name: "t" }.fail(Errno::NOT_IN_TRANSACTION);
    assert_eq!(reply, Reply::table_id_from_name(Err(HostError::Errno(Errno::NOT_IN_TRANSACTION))));
    match (Call::identity {}).fail(Errno::NOT_IN_TRANSACTION) {
        Reply::identity(Err(trap)) => assert!(trap.message().contains("no status"), "{trap}"),
        other => panic!("expected a trap, got {other:?}"),
    }
}
