//! Renders SPEC.md and abi.json from the declaration data. Shared by `examples/gen-spec.rs`
//! (writes the files) and `tests/spec_files.rs` (fails when the checked-in files are stale).

mod json;
mod markdown;
mod prose;

use std::path::PathBuf;

/// `(path, freshly rendered contents)` of every generated file.
pub(crate) fn spec_files() -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    vec![(dir.join("SPEC.md"), markdown::render()), (dir.join("abi.json"), json::render())]
}
