//! The describe step of a module, run as a SpacetimeDB host runs it — by the reference host's
//! wasm runtime (`worldtube_host::runtime::WasmModule`, the same one `worldtube run` uses):
//! every `spacetime_10.0` import linked with its exact signature, the `__preinit__*` exports in
//! byte-wise order, `__setup__` if present, then `__describe_module__`, outside any transaction.
//! Also lists a module's imports and exports without running it.

use std::fmt;

use wasmi::{Engine, ExternType, Module, ValType};
use worldtube_host::runtime::{ModuleInstance, RuntimeError, WasmModule};
use worldtube_host::{AbiHost, LogRecord};
use worldtube_lib::Identity;

/// One import of a module: where it comes from and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The import module, e.g. `spacetime_10.0`.
    pub module: String,
    /// The field name, e.g. `bytes_sink_write`.
    pub name: String,
    /// What kind of item and, for a function, its signature, e.g. `func(i32, i32) -> (i32)`.
    pub ty: String,
}

/// One export of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The export name.
    pub name: String,
    /// What kind of item and, for a function, its signature.
    pub ty: String,
}

/// What a module imports and exports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleInterface {
    /// The imports, in the order the module declares them.
    pub imports: Vec<Import>,
    /// The exports, sorted by name (byte-wise).
    pub exports: Vec<Export>,
}

impl ModuleInterface {
    /// The distinct import module names, sorted.
    pub fn import_modules(&self) -> Vec<&str> {
        let mut modules: Vec<&str> = self.imports.iter().map(|import| import.module.as_str()).collect();
        modules.sort_unstable();
        modules.dedup();
        modules
    }

    /// The names of the exports that are functions.
    pub fn function_exports(&self) -> Vec<&str> {
        self.exports.iter().filter(|export| export.ty.starts_with("func")).map(|export| export.name.as_str()).collect()
    }
}

/// What the describe step produced.
#[derive(Clone, Debug)]
pub struct Describe {
    /// The bytes written to the describe sink: the module's BSATN `RawModuleDef`.
    pub bytes: Vec<u8>,
    /// The `console_log` records of the start-up and describe step.
    pub logs: Vec<LogRecord>,
    /// The `__preinit__*` exports that ran, in order.
    pub preinits: Vec<String>,
}

/// Why a module could not be described.
#[derive(Debug)]
pub enum RunError {
    /// The bytes are not a wasm module.
    Load(String),
    /// Loading, start-up or describe failed (interface, instantiation, trap, `__setup__`).
    Runtime(RuntimeError),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Load(message) => write!(f, "not a wasm module: {message}"),
            RunError::Runtime(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for RunError {}

/// Lists a module's imports and exports without running it.
pub fn interface(wasm: &[u8]) -> Result<ModuleInterface, RunError> {
    let engine = Engine::default();
    let module = Module::new(&engine, wasm).map_err(|error| RunError::Load(error.to_string()))?;
    let imports = module
        .imports()
        .map(|import| Import {
            module: import.module().to_owned(),
            name: import.name().to_owned(),
            ty: extern_type_name(import.ty()),
        })
        .collect();
    let mut exports: Vec<Export> = module
        .exports()
        .map(|export| Export { name: export.name().to_owned(), ty: extern_type_name(export.ty()) })
        .collect();
    exports.sort_unstable_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    Ok(ModuleInterface { imports, exports })
}

/// Runs the describe step of a module (see the module docs) and returns what it wrote.
pub fn describe(wasm: &[u8]) -> Result<Describe, RunError> {
    let mut module = WasmModule::new(wasm).map_err(RunError::Runtime)?;
    let (host, described) = module.describe(AbiHost::new(Identity::ZERO));
    let bytes = described.map_err(RunError::Runtime)?;
    Ok(Describe { bytes, logs: host.logs().to_vec(), preinits: module.preinits().to_vec() })
}

/// A short text form of an import's or export's type: `func(i32, i32) -> (i32)`, `memory`, ….
fn extern_type_name(ty: &ExternType) -> String {
    match ty {
        ExternType::Func(func) => {
            let list = |types: &[ValType]| types.iter().map(|ty| format!("{ty:?}").to_lowercase()).collect::<Vec<_>>();
            format!("func({}) -> ({})", list(func.params()).join(", "), list(func.results()).join(", "))
        }
        ExternType::Memory(_) => "memory".to_owned(),
        ExternType::Table(_) => "table".to_owned(),
        ExternType::Global(_) => "global".to_owned(),
    }
}
