//! Invariants of the declaration data itself.

use std::collections::BTreeSet;

use worldtube_abi::{
    import, AbiVersion, Call, Errno, HostError, Reply, ResultKind, ERRNOS, EXPORTS, IMPORTS, IMPORT_MODULE, VERSIONS,
};

/// The import names of one import module, in table order.
fn names_in(module: &str) -> Vec<&'static str> {
    IMPORTS.iter().filter(|decl| decl.module == module).map(|decl| decl.name).collect()
}

#[test]
fn twenty_imports_in_spacetime_10_0_and_ten_in_later_modules() {
    assert_eq!(IMPORT_MODULE, "spacetime_10.0");
    assert_eq!(names_in("spacetime_10.0").len(), 20);
    assert_eq!(names_in("spacetime_10.1"), ["bytes_source_remaining_length"]);
    assert_eq!(names_in("spacetime_10.2"), ["get_jwt"]);
    assert_eq!(
        names_in("spacetime_10.3"),
        [
            "procedure_start_mut_tx",
            "procedure_commit_mut_tx",
            "procedure_abort_mut_tx",
            "procedure_sleep_until",
            "procedure_http_request"
        ]
    );
    assert_eq!(
        names_in("spacetime_10.4"),
        ["datastore_index_scan_point_bsatn", "datastore_delete_by_index_scan_point_bsatn"]
    );
    assert_eq!(names_in("spacetime_10.5"), ["datastore_clear"]);
    assert_eq!(IMPORTS.len(), 30, "no import outside these six modules");
    let names: BTreeSet<_> = IMPORTS.iter().map(|decl| decl.name).collect();
    assert_eq!(names.len(), 30, "names are unique");
}

#[test]
fn every_version_of_the_table_is_described_and_ordered() {
    let versions: Vec<String> = VERSIONS.iter().map(|v| v.version.to_string()).collect();
    assert_eq!(versions, ["10.0", "10.1", "10.2", "10.3", "10.4", "10.5"]);
    assert_eq!(VERSIONS.last().unwrap().version, AbiVersion::CURRENT);
    assert_eq!(VERSIONS[0].version, AbiVersion::BASE);
    for decl in IMPORTS {
        assert!(decl.version.decl().is_some(), "{} names an undescribed version", decl.name);
    }
    for export in EXPORTS {
        assert!(export.version.decl().is_some(), "{} names an undescribed version", export.name);
    }
    assert_eq!(AbiVersion { major: 10, minor: 4 }.import_module(), "spacetime_10.4");
    assert!(VERSIONS[0].servers.contains("1.x and 2.x"));
    assert!(VERSIONS[5].servers.contains("2.2"));
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

    // The later versions (spacetimedb-bindings-sys 2.8.3).
    assert_eq!(sig("bytes_source_remaining_length"), "(i32, i32) -> i32");
    assert_eq!(import("bytes_source_remaining_length").unwrap().result, ResultKind::SignedStatus);
    assert_eq!(sig("get_jwt"), "(i32, i32) -> i32");
    assert_eq!(sig("procedure_start_mut_tx"), "(i32) -> i32");
    assert_eq!(sig("procedure_commit_mut_tx"), "() -> i32");
    assert_eq!(sig("procedure_abort_mut_tx"), "() -> i32");
    assert_eq!(sig("procedure_sleep_until"), "(i64) -> i64");
    assert_eq!(sig("procedure_http_request"), "(i32, i32, i32, i32, i32) -> i32");
    assert_eq!(sig("datastore_index_scan_point_bsatn"), "(i32, i32, i32, i32) -> i32");
    assert_eq!(sig("datastore_delete_by_index_scan_point_bsatn"), "(i32, i32, i32, i32) -> i32");
    assert_eq!(sig("datastore_clear"), "(i32, i32) -> i32");
}

#[test]
fn errno_table_is_1_to_21() {
    let codes: Vec<u16> = ERRNOS.iter().map(|e| e.code).collect();
    assert_eq!(codes, (1..=21).collect::<Vec<u16>>());
    assert_eq!(Errno::NO_SUCH_TABLE.code(), 4);
    assert_eq!(Errno::WRONG_INDEX_ALGO.code(), 10);
    assert_eq!(Errno::AUTO_INC_OVERFLOW.code(), 16);
    assert_eq!(Errno::WOULD_BLOCK_TRANSACTION.code(), 17);
    assert_eq!(Errno::TRANSACTION_NOT_ANONYMOUS.code(), 18);
    assert_eq!(Errno::TRANSACTION_IS_READ_ONLY.code(), 19);
    assert_eq!(Errno::TRANSACTION_IS_MUT.code(), 20);
    assert_eq!(Errno::HTTP_ERROR.code(), 21);
    assert_eq!(Errno::from_code(11), Some(Errno::BUFFER_TOO_SMALL));
    assert_eq!(Errno::from_code(0), None);
    assert!(!Errno::from_code(22).unwrap().is_known());
    // A 10.0 import never declares an errno of a later host.
    for decl in IMPORTS.iter().filter(|decl| decl.version == AbiVersion::BASE) {
        assert!(decl.errnos.iter().all(|e| e.errno.code() <= 15 && e.errno.code() != 10), "{}", decl.name);
    }
    assert_eq!(Errno::UNIQUE_ALREADY_EXISTS.name(), "UNIQUE_ALREADY_EXISTS");
    assert_eq!(Errno::NO_SUCH_ROW.to_string(), "NO_SUCH_ROW (errno 15)");
    assert_eq!(Errno::from_code(22).unwrap().name(), "UNKNOWN_ERRNO");
    assert_eq!(
        HostError::Errno(Errno::NO_SUCH_ROW).to_string(),
        "NO_SUCH_ROW (errno 15): no row matches the key taken from the update's unique index"
    );
}

#[test]
fn exports_have_the_validated_signatures() {
    let sig = |name: &str| EXPORTS.iter().find(|e| e.name == name).unwrap().wasm_signature();
    assert_eq!(sig("memory"), "memory");
    assert_eq!(sig("__describe_module__"), "(i32) -> ()");
    assert_eq!(sig("__call_reducer__"), "(i32, i64, i64, i64, i64, i64, i64, i64, i32, i32) -> i32");
    assert_eq!(sig("__setup__"), "(i32) -> i32");
    assert_eq!(sig("__preinit__"), "() -> ()");
    assert_eq!(sig("__call_procedure__"), sig("__call_reducer__"));
    assert_eq!(sig("__call_view__"), "(i32, i64, i64, i64, i64, i32, i32) -> i32");
    assert_eq!(sig("__call_view_anon__"), "(i32, i32, i32) -> i32");
    assert_eq!(sig("__call_http_handler__"), "(i32, i64, i32, i32, i32, i32) -> i32");
    let since = |name: &str| EXPORTS.iter().find(|e| e.name == name).unwrap().version.to_string();
    assert_eq!(since("__call_reducer__"), "10.0");
    assert_eq!(since("__call_procedure__"), "10.3");
    assert_eq!(since("__call_view__"), "10.4");
    assert_eq!(since("__call_view_anon__"), "10.4");
    assert_eq!(since("__call_http_handler__"), "10.5");
    assert!(EXPORTS.iter().filter(|e| e.version > AbiVersion::BASE).all(|e| !e.required));
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
