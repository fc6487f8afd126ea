//! Example modules built for wasm32, for tests that run `.wasm` files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The `.wasm` file of example package `package` (e.g. `"quickstart-chat"`), built in release mode
/// once per test binary, in its own target directory inside the workspace's, so the nested build
/// never waits for the lock `cargo test` holds.
pub(crate) fn example_wasm(package: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<Vec<(String, PathBuf)>>> = OnceLock::new();
    let built = BUILT.get_or_init(Default::default);
    let mut built = built.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, path)) = built.iter().find(|(p, _)| p == package) {
        return path.clone();
    }
    let target_dir = wasm_target_dir();
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    let output = Command::new(cargo)
        .current_dir(workspace())
        .args(["build", "--release", "--target", "wasm32-unknown-unknown", "-p", package])
        .env("CARGO_TARGET_DIR", &target_dir)
        .env_remove("CARGO_BUILD_TARGET")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "building {package} for wasm32 failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file = target_dir.join(format!("wasm32-unknown-unknown/release/{}.wasm", package.replace('-', "_")));
    assert!(file.is_file(), "{} is missing", file.display());
    built.push((package.to_owned(), file.clone()));
    file
}

/// The workspace's root directory.
pub(crate) fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("host/ is in the workspace")
}

/// The target directory the examples are built in (`<target dir>/host-example-wasm`).
pub(crate) fn wasm_target_dir() -> PathBuf {
    // `CARGO_TARGET_TMPDIR` is `<target dir>/tmp`.
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("tmp is in the target dir");
    target_dir.join("host-example-wasm")
}
