//! Regenerates `abi-spec/SPEC.md` and `abi-spec/abi.json` from the declaration data:
//! `cargo run -p worldtube-abi --example gen-spec`.

#[path = "../gen/mod.rs"]
mod gen;

fn main() {
    for (path, contents) in gen::spec_files() {
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        println!("wrote {}", path.display());
    }
}
