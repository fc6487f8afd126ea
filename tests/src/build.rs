//! Building the examples to wasm, both ways, with the `cargo` that runs the tests.
//!
//! * Ours: `cargo build --release --target wasm32-unknown-unknown -p <example>` in Worldtube's
//!   workspace, with `CARGO_TARGET_DIR=<target>/compat-ours`.
//! * Official: `cargo build --release --locked --target wasm32-unknown-unknown --manifest-path
//!   tests/official/<example>/Cargo.toml`, with `CARGO_TARGET_DIR=<target>/compat-official`. That
//!   package is its own workspace with a checked-in lock file pinning every `spacetimedb-*`
//!   crate to 1.3.2, and its `lib.rs` includes the example's source unchanged.
//!
//! Each example is built by its own `cargo build`, so that one that does not compile does not
//! hide the result of another; the later builds reuse the earlier ones' dependencies.
//!
//! Both target directories sit inside the workspace's target directory, apart from the one
//! `cargo test` itself uses, so the nested builds never wait for its lock.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The wasm target both builds use.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The target subdirectory of our builds.
pub const OURS_TARGET_SUBDIR: &str = "compat-ours";
/// The target subdirectory of the official builds.
pub const OFFICIAL_TARGET_SUBDIR: &str = "compat-official";

/// The examples the suite compares, by package name (`examples/<name>`).
pub const EXAMPLES: &[&str] = &["quickstart-chat", "arena", "kitchen-sink"];

/// The examples written for the 2.x API (`features = ["v2"]`), compared with the official
/// `spacetimedb` 2.8.3 crate (`RawModuleDef::V10`).
pub const EXAMPLES_V2: &[&str] = &["chat-v2"];

/// Which crate compiled a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// Worldtube, standing in for `spacetimedb`.
    Ours,
    /// The official `spacetimedb` 1.3.2 crate.
    Official,
}

impl Flavor {
    /// `"ours"` or `"official"`.
    pub const fn name(self) -> &'static str {
        match self {
            Flavor::Ours => "ours",
            Flavor::Official => "official",
        }
    }
}

/// Where the builds run: the workspace, its target directory and the `cargo` to use.
#[derive(Clone, Debug)]
pub struct Builder {
    /// Worldtube's workspace root.
    pub workspace_root: PathBuf,
    /// The workspace's target directory; the builds use subdirectories of it.
    pub target_dir: PathBuf,
    /// The `cargo` executable.
    pub cargo: PathBuf,
}

/// A finished build: the wasm file it produced and how long it took.
#[derive(Clone, Debug)]
pub struct Built {
    /// The `.wasm` file.
    pub wasm_file: PathBuf,
    /// Wall time of the `cargo build`.
    pub elapsed: Duration,
}

impl Builder {
    /// A builder for the workspace containing this crate, with `cargo` from `$CARGO` (set by
    /// `cargo test`; plain `cargo` otherwise) and the given target directory.
    pub fn new(target_dir: impl Into<PathBuf>) -> Builder {
        let workspace_root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_owned();
        let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
        Builder { workspace_root, target_dir: target_dir.into(), cargo }
    }

    /// The directory of the official build of `example`.
    pub fn official_manifest_dir(&self, example: &str) -> PathBuf {
        self.workspace_root.join("tests").join("official").join(example)
    }

    /// The target directory of a flavor.
    pub fn flavor_target_dir(&self, flavor: Flavor) -> PathBuf {
        self.target_dir.join(match flavor {
            Flavor::Ours => OURS_TARGET_SUBDIR,
            Flavor::Official => OFFICIAL_TARGET_SUBDIR,
        })
    }

    /// Where a build of `example` puts its wasm file.
    pub fn wasm_path(&self, flavor: Flavor, example: &str) -> PathBuf {
        let file = match flavor {
            Flavor::Ours => format!("{}.wasm", example.replace('-', "_")),
            Flavor::Official => format!("official_{}.wasm", example.replace('-', "_")),
        };
        self.flavor_target_dir(flavor).join(WASM_TARGET).join("release").join(file)
    }

    /// Builds `example` (a package name) with Worldtube, as a member of the workspace.
    pub fn build_ours(&self, example: &str) -> Result<Built, String> {
        let mut command = self.cargo_build(Flavor::Ours);
        command.current_dir(&self.workspace_root).args(["-p", example]);
        let elapsed = run(command).map_err(|error| {
            if error.contains("did not match any packages") {
                format!(
                    "{error}\nhint: every example must be a member of the workspace (`members` in the root Cargo.toml)"
                )
            } else {
                error
            }
        })?;
        self.finish(Flavor::Ours, example, elapsed)
    }

    /// Builds `example` with the official crate, from `tests/official/<example>`.
    pub fn build_official(&self, example: &str) -> Result<Built, String> {
        let manifest_dir = self.official_manifest_dir(example);
        let mut command = self.cargo_build(Flavor::Official);
        command.current_dir(&manifest_dir).arg("--locked").arg("--manifest-path").arg(manifest_dir.join("Cargo.toml"));
        let elapsed = run(command)?;
        self.finish(Flavor::Official, example, elapsed)
    }

    /// `cargo build --release --target wasm32-unknown-unknown` into the flavor's target dir.
    fn cargo_build(&self, flavor: Flavor) -> Command {
        let mut command = Command::new(&self.cargo);
        command
            .args(["build", "--release", "--target", WASM_TARGET])
            .env("CARGO_TARGET_DIR", self.flavor_target_dir(flavor))
            // Whatever `cargo test` was asked to build for must not leak into these builds.
            .env_remove("CARGO_BUILD_TARGET");
        command
    }

    /// The build's result, once its wasm file is known to exist.
    fn finish(&self, flavor: Flavor, example: &str, elapsed: Duration) -> Result<Built, String> {
        let wasm_file = self.wasm_path(flavor, example);
        if !wasm_file.is_file() {
            return Err(format!("the {} build finished but {} does not exist", flavor.name(), wasm_file.display()));
        }
        Ok(Built { wasm_file, elapsed })
    }
}

/// Runs a `cargo build`, returning its wall time, or the command and its output on failure.
fn run(mut command: Command) -> Result<Duration, String> {
    let start = Instant::now();
    let output = command.output().map_err(|error| format!("cannot run {command:?}: {error}"))?;
    let elapsed = start.elapsed();
    if output.status.success() {
        Ok(elapsed)
    } else {
        Err(format!(
            "{command:?} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}
