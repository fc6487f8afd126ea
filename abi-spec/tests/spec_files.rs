//! SPEC.md and abi.json are generated; this fails when the checked-in copies are stale.
//! `UPDATE_SPEC=1 cargo test -p worldtube-abi --test spec_files` rewrites them instead.

#[path = "../gen/mod.rs"]
mod gen;

#[test]
fn spec_files_are_up_to_date() {
    let update = std::env::var_os("UPDATE_SPEC").is_some_and(|v| v == "1");
    for (path, fresh) in gen::spec_files() {
        if update {
            std::fs::write(&path, &fresh).unwrap();
            continue;
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == fresh,
            "{} is stale: run `cargo run -p worldtube-abi --example gen-spec` (or UPDATE_SPEC=1 cargo test -p worldtube-abi --test spec_files)",
            path.display()
        );
    }
}

#[test]
fn abi_json_parses_and_lists_every_import() {
    let json: serde_json::Value = serde_json::from_str(&gen::spec_files()[1].1).unwrap();
    assert_eq!(json["imports"].as_array().unwrap().len(), 30);
    assert_eq!(json["import_module"], "spacetime_10.0");
    assert_eq!(json["versions"].as_array().unwrap().len(), 6);
    let clear = json["imports"].as_array().unwrap().iter().find(|i| i["name"] == "datastore_clear").unwrap();
    assert_eq!((&clear["module"], &clear["needs_host_with"]), (&"spacetime_10.5".into(), &"10.5".into()));
    let view = json["exports"].as_array().unwrap().iter().find(|e| e["name"] == "__call_view__").unwrap();
    assert_eq!(view["needs_host_with"], "10.4");
}
