//! Getting a module's wasm: reading a `.wasm` file, or building a module crate's directory; and
//! describing it.

use super::CliError;
use crate::abi_host::AbiHost;
use crate::runtime::{ModuleInstance, RuntimeError, WasmModule};
use crate::schema::ModuleDef;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A module's wasm bytes and where they came from.
#[derive(Debug, Clone)]
pub struct ModuleFile {
    /// The `.wasm` file read.
    pub path: PathBuf,
    /// Its contents.
    pub wasm: Vec<u8>,
}

/// Reads the module at `path`: a `.wasm` file, or a directory with a `Cargo.toml`, which is
/// built for `wasm32-unknown-unknown` in release mode first (see [`build`]).
pub fn load(path: &Path) -> Result<ModuleFile, CliError> {
    let path = if path.is_dir() { build(path)? } else { path.to_owned() };
    let wasm = std::fs::read(&path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            " (give a .wasm file, or a module crate's directory to build it)"
        } else {
            ""
        };
        CliError::Io(format!("cannot read the module `{}`: {e}{hint}", path.display()))
    })?;
    Ok(ModuleFile { path, wasm })
}

/// Builds the module crate in directory `dir` with
/// `$CARGO build --release --target wasm32-unknown-unknown --manifest-path <dir>/Cargo.toml`
/// (`cargo` if `CARGO` is not set; `CARGO_TARGET_DIR` and the rest of cargo's environment are
/// respected) and returns the path of the `.wasm` file it produced. Cargo's progress and
/// diagnostics go to stderr.
pub fn build(dir: &Path) -> Result<PathBuf, CliError> {
    let manifest = dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(CliError::Io(format!(
            "`{}` is a directory without a Cargo.toml; give a .wasm file or a module crate's directory",
            dir.display()
        )));
    }
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    eprintln!("building {} for wasm32-unknown-unknown (release)", dir.display());
    let output = Command::new(&cargo)
        .args(["build", "--release", "--target", "wasm32-unknown-unknown", "--message-format=json-render-diagnostics"])
        .arg("--manifest-path")
        .arg(&manifest)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| CliError::Io(format!("cannot run `{}`: {e}", cargo.display())))?;
    if !output.status.success() {
        return Err(CliError::Io(format!("building `{}` failed ({})", dir.display(), output.status)));
    }
    // The package's own cdylib artifact: the last `.wasm` file of a compiler-artifact message
    // for this manifest.
    let manifest = std::fs::canonicalize(&manifest).unwrap_or(manifest);
    let wasm = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Json>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter(|m| m["manifest_path"].as_str().is_some_and(|p| Path::new(p) == manifest))
        .flat_map(|m| m["filenames"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f.as_str().map(PathBuf::from))
        .rfind(|f| f.extension().is_some_and(|e| e == "wasm"));
    wasm.ok_or_else(|| {
        CliError::Io(format!(
            "building `{}` produced no .wasm file: is it a module crate (`crate-type = [\"cdylib\"]`)?",
            dir.display()
        ))
    })
}

/// Loads `wasm` (checking its interface) and runs its describe step: the definition of either
/// generation.
pub fn describe(wasm: &[u8]) -> Result<(WasmModule, ModuleDef), CliError> {
    let mut module = WasmModule::new(wasm).map_err(module_error)?;
    let (_, described) = module.describe(AbiHost::new(crate::names::identity(crate::names::DATABASE)));
    let bytes = described.map_err(module_error)?;
    match crate::engine::decode_module_def(&bytes) {
        Ok(def) => Ok((module, def)),
        Err(e) => Err(CliError::Module(e.to_string())),
    }
}

/// A runtime error as a module problem.
pub fn module_error(error: RuntimeError) -> CliError {
    CliError::Module(error.to_string())
}
