//! The kit's data: the probes and cases of `probes/cases.json`, the whole-module cases of
//! `probes/modules.json`, and building their wasm.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use worldtube_lib::algebraic::AlgebraicType;

use crate::module::{describe, expand, probe_definition, Generated};

/// The kit: every probe and whole-module case, loaded from a `probes/` directory.
#[derive(Debug, Clone)]
pub struct Kit {
    /// The directory the kit was loaded from.
    pub dir: PathBuf,
    /// `prelude.wat`, pasted into templates at `{{prelude}}`.
    pub prelude: String,
    /// The ABI probes (`cases.json`).
    pub probes: Vec<Probe>,
    /// The whole-module cases (`modules.json`).
    pub modules: Vec<ModuleCase>,
    /// How long one install or call may take (default [`Kit::TIME_BUDGET`]); one that takes longer
    /// fails its case even if it ended as expected (a loop must be ended in seconds, not minutes).
    pub time_budget: std::time::Duration,
}

/// One probe module (a WAT template under `abi/`) and its cases.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// The template, relative to `probes/abi/`.
    pub file: String,
    /// What the probe covers.
    pub about: String,
    /// Its cases; case `k` is reducer `k + 2` and the template's function `$case.NAME`.
    pub cases: Vec<ProbeCase>,
}

/// One ABI case: a call of one import at one edge, and what the host must do.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeCase {
    /// The case's name: its reducer's name, and `$case.NAME` in the template.
    pub name: String,
    /// The import it calls.
    pub import: String,
    /// The edge of SPEC.md it checks, in words.
    pub edge: String,
    /// The reducer's arguments (none when absent).
    #[serde(default)]
    pub args: Args,
    /// What the host must do.
    pub expect: Expect,
}

/// A reducer's parameter types and the arguments a case passes, in both encodings. The default
/// is no arguments (`json` an empty array).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawArgs")]
pub struct Args {
    /// The parameter types: `u8`, `u32`, `u64`, `bool` or `string`.
    pub types: Vec<String>,
    /// The BSATN of the arguments (the parameters concatenated).
    pub bsatn: Vec<u8>,
    /// The same arguments as a JSON array, in parameter order.
    pub json: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArgs {
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    bsatn: String,
    #[serde(default)]
    json: Option<serde_json::Value>,
}

impl Default for Args {
    fn default() -> Args {
        Args { types: Vec::new(), bsatn: Vec::new(), json: serde_json::Value::Array(Vec::new()) }
    }
}

impl TryFrom<RawArgs> for Args {
    type Error = String;

    fn try_from(raw: RawArgs) -> Result<Args, String> {
        let args = Args {
            types: raw.types,
            bsatn: from_hex(&raw.bsatn)?,
            json: raw.json.unwrap_or_else(|| serde_json::Value::Array(Vec::new())),
        };
        args.param_types()?;
        Ok(args)
    }
}

impl Args {
    /// The parameter types as algebraic types.
    pub fn param_types(&self) -> Result<Vec<AlgebraicType>, String> {
        self.types
            .iter()
            .map(|name| match name.as_str() {
                "u8" => Ok(AlgebraicType::U8),
                "u32" => Ok(AlgebraicType::U32),
                "u64" => Ok(AlgebraicType::U64),
                "bool" => Ok(AlgebraicType::Bool),
                "string" => Ok(AlgebraicType::String),
                other => Err(format!("unknown parameter type `{other}` (u8, u32, u64, bool, string)")),
            })
            .collect()
    }
}

/// What a probe case must observe: exactly one of `errno`, `status` and `trap`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The import returns this errno (its name in [`worldtube_abi::ERRNOS`]).
    #[serde(default)]
    pub errno: Option<String>,
    /// The import returns this status (`0` success, `-1` exhausted), or the case's own result
    /// for an import without one.
    #[serde(default)]
    pub status: Option<i32>,
    /// The call traps.
    #[serde(default)]
    pub trap: bool,
    /// With `status`: the out-value the case reports, as lowercase hex.
    #[serde(default)]
    pub out: Option<String>,
    /// The database log gains a message containing this text during the call.
    #[serde(default)]
    pub log: Option<String>,
}

impl Expect {
    /// The status code the case must report, if it must report one (an errno's code or `status`).
    pub fn expected_status(&self) -> Result<Option<i32>, String> {
        match (&self.errno, self.status, self.trap) {
            (Some(name), None, false) => worldtube_abi::ERRNOS
                .iter()
                .find(|e| e.name == name)
                .map(|e| Some(i32::from(e.code)))
                .ok_or_else(|| format!("unknown errno `{name}` (not in worldtube_abi::ERRNOS)")),
            (None, Some(status), false) => Ok(Some(status)),
            (None, None, true) => Ok(None),
            _ => Err("an expectation needs exactly one of `errno`, `status` and `trap`".to_owned()),
        }
    }
}

/// A whole-module case: a module that misbehaves as a whole, and what the host must do.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawModuleCase")]
pub struct ModuleCase {
    /// The case's name.
    pub name: String,
    /// What it checks.
    pub about: String,
    /// Where its bytes come from.
    pub source: Source,
    /// The reducers the template's description declares after `init` and `ping`.
    pub reducers: Vec<String>,
    /// What the host must do.
    pub expect: ModuleExpect,
}

/// Where a whole-module case's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A WAT template under `probes/modules/`.
    File(String),
    /// These bytes (UTF-8 text, so not wasm).
    Text(String),
    /// The first `len` bytes of the wasm built from this template.
    Truncated {
        /// The template.
        file: String,
        /// How many bytes to keep.
        len: usize,
    },
    /// This template, describing a generated definition instead of the probe definition.
    Generated {
        /// The template.
        file: String,
        /// The definition it describes.
        shape: Generated,
    },
}

/// What the host must do with a whole-module case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleExpect {
    /// Refuse to install it, with a non-empty error; then install and run another module.
    Refused,
    /// Install it; calling `reducer` succeeds, and table `empty` (if given) can be read and has
    /// no rows.
    Runs {
        /// The reducer to call.
        reducer: String,
        /// A table of the definition that must exist and be empty.
        empty: Option<String>,
    },
    /// Install it or refuse it with a non-empty error, as the host's limits decide; if installed,
    /// `ping` succeeds. Either way another module installs and runs afterwards. For definitions
    /// the spec leaves to each host's limits (SPEC.md section 13): what is checked is that the
    /// host survives them.
    Survives,
    /// Install it; calling `reducer` ends with `outcome` (`trap`, or `error` with `message`), the
    /// committed rows of `item` stay as they were, and `ping` then succeeds.
    CallFails {
        /// The reducer to call.
        reducer: String,
        /// The outcome: a trap, or an error with this message (`None`: a trap).
        message: Option<String>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModuleCase {
    name: String,
    about: String,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    truncate: Option<usize>,
    #[serde(default)]
    generate: Option<RawGenerated>,
    #[serde(default)]
    reducers: Vec<String>,
    expect: RawModuleExpect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModuleExpect {
    install: String,
    #[serde(default)]
    call: Option<String>,
    #[serde(default)]
    trap: bool,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    empty: Option<String>,
}

/// `generate` in `modules.json`: exactly one of the three.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
enum RawGenerated {
    Tables(u32),
    NestedArrays(u32),
    RefChain(u32),
}

impl From<RawGenerated> for Generated {
    fn from(raw: RawGenerated) -> Generated {
        match raw {
            RawGenerated::Tables(count) => Generated::Tables(count),
            RawGenerated::NestedArrays(depth) => Generated::NestedArrays(depth),
            RawGenerated::RefChain(depth) => Generated::RefChain(depth),
        }
    }
}

impl TryFrom<RawModuleCase> for ModuleCase {
    type Error = String;

    fn try_from(raw: RawModuleCase) -> Result<ModuleCase, String> {
        let source = match (raw.file, raw.text, raw.truncate, raw.generate) {
            (Some(file), None, None, None) => Source::File(file),
            (Some(file), None, Some(len), None) => Source::Truncated { file, len },
            (Some(file), None, None, Some(shape)) => Source::Generated { file, shape: shape.into() },
            (None, Some(text), None, None) => Source::Text(text),
            _ => {
                return Err(format!("case `{}`: give `file` (and maybe `truncate` or `generate`) or `text`", raw.name))
            }
        };
        let e = raw.expect;
        let expect = match (e.install.as_str(), e.call, e.trap, e.error, e.empty) {
            ("refused", None, false, None, None) => ModuleExpect::Refused,
            ("either", None, false, None, None) => ModuleExpect::Survives,
            ("ok", Some(reducer), false, None, empty) => ModuleExpect::Runs { reducer, empty },
            ("ok", Some(reducer), true, None, None) => ModuleExpect::CallFails { reducer, message: None },
            ("ok", Some(reducer), false, Some(message), None) => {
                ModuleExpect::CallFails { reducer, message: Some(message) }
            }
            _ => {
                return Err(format!(
                    "case `{}`: `expect` is {{\"install\": \"refused\"}}, {{\"install\": \"either\"}}, or \
                     {{\"install\": \"ok\", \"call\": NAME}} with maybe \"empty\": TABLE, \"trap\": true or \
                     \"error\": MESSAGE",
                    raw.name
                ))
            }
        };
        Ok(ModuleCase { name: raw.name, about: raw.about, source, reducers: raw.reducers, expect })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CasesFile {
    probes: Vec<Probe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModulesFile {
    modules: Vec<ModuleCase>,
}

impl Kit {
    /// The default [`Kit::time_budget`]: 60 s.
    pub const TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(60);

    /// The kit shipped with this crate (`probes/` next to its `Cargo.toml`).
    pub fn bundled() -> Result<Kit, String> {
        Kit::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/probes")))
    }

    /// Loads and checks the kit in `dir` (`prelude.wat`, `cases.json`, `modules.json`).
    pub fn load(dir: &Path) -> Result<Kit, String> {
        let prelude = read(&dir.join("prelude.wat"))?;
        let cases: CasesFile = serde_json::from_str(&read(&dir.join("cases.json"))?)
            .map_err(|e| format!("{}: {e}", dir.join("cases.json").display()))?;
        let modules: ModulesFile = serde_json::from_str(&read(&dir.join("modules.json"))?)
            .map_err(|e| format!("{}: {e}", dir.join("modules.json").display()))?;
        let mut names = std::collections::HashSet::new();
        for case in cases.probes.iter().flat_map(|p| &p.cases) {
            case.expect.expected_status().map_err(|e| format!("case `{}`: {e}", case.name))?;
            if !names.insert(case.name.as_str()) {
                return Err(format!("two cases are named `{}`", case.name));
            }
        }
        Ok(Kit {
            dir: dir.to_owned(),
            prelude,
            probes: cases.probes,
            modules: modules.modules,
            time_budget: Kit::TIME_BUDGET,
        })
    }

    /// The number of cases: every probe case and every whole-module case.
    pub fn len(&self) -> usize {
        self.probes.iter().map(|p| p.cases.len()).sum::<usize>() + self.modules.len()
    }

    /// Whether the kit has no case at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The wasm of a probe module: its template with the prelude, the dispatcher (reporting each
    /// case's status) and the description of its cases as reducers.
    pub fn probe_wasm(&self, probe: &Probe) -> Result<Vec<u8>, String> {
        let reducers = probe
            .cases
            .iter()
            .map(|case| Ok((case.name.clone(), case.args.param_types()?)))
            .collect::<Result<Vec<_>, String>>()?;
        let template = read(&self.dir.join("abi").join(&probe.file))?;
        let wat = expand(&template, &self.prelude, &reducers, &describe(probe_definition(&reducers)), true);
        wat::parse_str(wat).map_err(|e| format!("{}: {e}", probe.file))
    }

    /// The bytes of a whole-module case.
    pub fn module_bytes(&self, case: &ModuleCase) -> Result<Vec<u8>, String> {
        match &case.source {
            Source::File(file) => self.module_wasm(file, &case.reducers, None),
            Source::Generated { file, shape } => self.module_wasm(file, &case.reducers, Some(*shape)),
            Source::Text(text) => Ok(text.as_bytes().to_vec()),
            Source::Truncated { file, len } => {
                let mut wasm = self.module_wasm(file, &case.reducers, None)?;
                wasm.truncate(*len);
                Ok(wasm)
            }
        }
    }

    /// The wasm of the well-behaved module the runner installs to check that a host survived
    /// (`modules/control.wat`: reducers `init` and `ping`).
    pub fn control_wasm(&self) -> Result<Vec<u8>, String> {
        self.module_wasm("control.wat", &[], None)
    }

    fn module_wasm(&self, file: &str, reducers: &[String], shape: Option<Generated>) -> Result<Vec<u8>, String> {
        let template = read(&self.dir.join("modules").join(file))?;
        let reducers: Vec<_> = reducers.iter().map(|name| (name.clone(), Vec::new())).collect();
        let description =
            shape.map_or_else(|| describe(probe_definition(&reducers)), |shape| shape.description(&reducers));
        let wat = expand(&template, &self.prelude, &reducers, &description, false);
        wat::parse_str(wat).map_err(|e| format!("{file}: {e}"))
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Lowercase (or uppercase) hex to bytes.
pub(crate) fn from_hex(hex: &str) -> Result<Vec<u8>, String> {
    if !hex.len().is_multiple_of(2) {
        return Err(format!("odd-length hex `{hex}`"));
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| format!("invalid hex `{hex}`")))
        .collect()
}
