//! Which SpacetimeDB generation the user's crate is written for: 1.x (the default) or 2.x.
//!
//! The switch is the crate's own dependency line: `spacetimedb = { package = "worldtube",
//! features = ["v2"], … }` (or `worldtube = { …, features = ["v2"] }`, or `{ workspace = true,
//! features = ["v2"] }`, or a `[workspace.dependencies]` entry with the feature that the crate
//! inherits). The macros read that line from the crate's `Cargo.toml` (`CARGO_MANIFEST_DIR`), so
//! the choice is per crate: Cargo's feature unification, which turns `v2` on for every crate of a
//! build once one crate asks for it, does not change the generation of a crate that did not ask.
//! Nothing is ever guessed from the code.

use std::path::{Path, PathBuf};

/// The package name of the runtime crate.
const RUNTIME_PACKAGE: &str = "worldtube";
/// The feature that selects the 2.x API.
const V2_FEATURE: &str = "v2";

/// The generation of the API a crate is written against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Generation {
    /// SpacetimeDB 1.x: `#[table(name = ident)]`, describes as `RawModuleDef::V9`.
    V1,
    /// SpacetimeDB 2.x: `#[table(accessor = ident)]`, describes as `RawModuleDef::V10`.
    V2,
}

/// The generation of the crate being compiled (cached per manifest for the life of the process).
pub(crate) fn current() -> Generation {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Generation>>> = OnceLock::new();
    let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") else { return Generation::V1 };
    let dir = PathBuf::from(dir);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(&g) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&dir) {
        return g;
    }
    let g = if wants_v2(&dir) { Generation::V2 } else { Generation::V1 };
    cache.lock().unwrap_or_else(|p| p.into_inner()).insert(dir, g);
    g
}

/// Whether the manifest in `dir` enables `v2` on its dependency on the runtime crate.
fn wants_v2(dir: &Path) -> bool {
    let Some(manifest) = read(&dir.join("Cargo.toml")) else { return false };
    // The package itself (its own tests and doctests) is 1.x.
    if package_name(&manifest).as_deref() == Some(RUNTIME_PACKAGE) {
        return false;
    }
    let mut inherited = Vec::new();
    for deps in dependency_tables(&manifest) {
        for (key, item) in deps.iter() {
            if item.get("workspace").and_then(|w| w.as_bool()) == Some(true) {
                // `features` here add to the workspace entry's; the package is named there.
                inherited.push((key.to_owned(), has_v2(item)));
            } else if is_runtime(key, item) && has_v2(item) {
                return true;
            }
        }
    }
    !inherited.is_empty() && workspace_dependency_has_v2(dir, &inherited)
}

/// Some inherited dependency (`key`, whether its own line adds `v2`) is the runtime in the nearest
/// enclosing workspace manifest's `[workspace.dependencies]`, with `v2` there or on its own line.
fn workspace_dependency_has_v2(dir: &Path, inherited: &[(String, bool)]) -> bool {
    for ancestor in dir.ancestors() {
        let Some(manifest) = read(&ancestor.join("Cargo.toml")) else { continue };
        let Some(ws) = manifest.get("workspace") else { continue };
        let Some(deps) = ws.get("dependencies").and_then(|d| d.as_table_like()) else { return false };
        return inherited
            .iter()
            .any(|(key, own_v2)| deps.get(key).is_some_and(|item| is_runtime(key, item) && (*own_v2 || has_v2(item))));
    }
    false
}

fn read(path: &Path) -> Option<toml_edit::Document<String>> {
    let text = std::fs::read_to_string(path).ok()?;
    toml_edit::Document::parse(text).ok()
}

fn package_name(manifest: &toml_edit::Table) -> Option<String> {
    manifest.get("package")?.get("name")?.as_str().map(str::to_owned)
}

/// `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]` and their `[target.*.…]` forms.
fn dependency_tables(manifest: &toml_edit::Table) -> Vec<&dyn toml_edit::TableLike> {
    const KINDS: [&str; 4] = ["dependencies", "dev-dependencies", "dev_dependencies", "build-dependencies"];
    let mut out: Vec<&dyn toml_edit::TableLike> = Vec::new();
    for kind in KINDS {
        if let Some(t) = manifest.get(kind).and_then(|i| i.as_table_like()) {
            out.push(t);
        }
    }
    if let Some(targets) = manifest.get("target").and_then(|i| i.as_table_like()) {
        for (_, target) in targets.iter() {
            for kind in KINDS {
                if let Some(t) = target.get(kind).and_then(|i| i.as_table_like()) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// The dependency `key = item` is the runtime crate (by key or by `package = "worldtube"`).
fn is_runtime(key: &str, item: &toml_edit::Item) -> bool {
    match item.get("package").and_then(|p| p.as_str()) {
        Some(package) => package == RUNTIME_PACKAGE,
        None => key == RUNTIME_PACKAGE,
    }
}

/// The dependency's `features` list names `v2`.
fn has_v2(item: &toml_edit::Item) -> bool {
    item.get("features").and_then(|f| f.as_array()).is_some_and(|a| a.iter().any(|v| v.as_str() == Some(V2_FEATURE)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_says_v2(text: &str) -> bool {
        let dir = std::env::temp_dir().join(format!("wt-gen-{}-{}", std::process::id(), text.len()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Cargo.toml"), text).unwrap();
        let r = wants_v2(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        r
    }

    #[test]
    fn reads_the_dependency_line() {
        assert!(!manifest_says_v2(
            "[package]\nname='m'\n[dependencies]\nspacetimedb = { package = 'worldtube', path = 'x' }\n"
        ));
        assert!(manifest_says_v2(
            "[package]\nname='m'\n[dependencies]\nspacetimedb = { package = 'worldtube', path = 'x', features = ['v2'] }\n"
        ));
        assert!(manifest_says_v2(
            "[package]\nname='m'\n[dependencies.worldtube]\npath = 'x'\nfeatures = ['rand', 'v2']\n"
        ));
        assert!(!manifest_says_v2("[package]\nname='m'\n[dependencies]\nother = { path = 'x', features = ['v2'] }\n"));
        assert!(manifest_says_v2(
            "[package]\nname='m'\n[workspace]\n[workspace.dependencies]\nspacetimedb = { package = 'worldtube', path = 'x', features = ['v2'] }\n[dependencies]\nspacetimedb = { workspace = true }\n"
        ));
        assert!(!manifest_says_v2(
            "[package]\nname='worldtube'\n[dependencies]\nworldtube = { path = '.', features = ['v2'] }\n"
        ));
    }
}
