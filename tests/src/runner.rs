//! A minimal host that runs a module's describe step in the `wasmi` interpreter.
//!
//! Every import of [`worldline_abi::IMPORTS`] is linked under its module (`spacetime_10.0`) with
//! its exact wasm signature, so a module that imports anything else, or one of these with a wrong
//! signature, fails to instantiate. During the describe step only two imports do something:
//!
//! * `bytes_sink_write` appends the buffer to the description when the sink is the one handed
//!   to `__describe_module__` (1), and reports every byte consumed;
//! * `console_log` records the message (see [`Describe::logs`]).
//!
//! Every other import traps with `describe must not call <name>`.

use std::fmt;

use wasmi::{Caller, Config, Engine, Extern, ExternType, FuncType, Linker, Memory, Module, Store, Val, ValType};
use worldline_abi::{WasmType, IMPORTS, IMPORT_MODULE};

/// The `BytesSink` handle passed to `__describe_module__`.
pub const DESCRIBE_SINK: u32 = 1;
/// The `BytesSink` handle passed to `__setup__` for its error message.
pub const SETUP_ERROR_SINK: u32 = 2;
/// Prefix of the exports run before anything else, in byte-wise sorted order.
pub const PREINIT_PREFIX: &str = "__preinit__";
/// Fuel (roughly: wasm instructions) the whole describe step may use before it is stopped.
pub const FUEL: u64 = 5_000_000_000;

/// `BytesSink` / `BytesSource` handle unknown (the `NO_SUCH_BYTES` errno).
const NO_SUCH_BYTES: i32 = 8;

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

/// One `console_log` call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRecord {
    /// The level code (0 = error … 4 = trace, 101 = panic).
    pub level: u32,
    /// The log target, if given.
    pub target: Option<String>,
    /// The source file, if given.
    pub filename: Option<String>,
    /// The line, if given.
    pub line: Option<u32>,
    /// The message.
    pub message: String,
}

impl fmt::Display for LogRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[level {}]", self.level)?;
        if let Some(filename) = &self.filename {
            write!(f, " {filename}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
        }
        write!(f, " {}", self.message)
    }
}

/// The result of a describe step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Describe {
    /// Everything the module wrote to the describe sink: the BSATN of its `RawModuleDef`.
    pub bytes: Vec<u8>,
    /// The `console_log` calls made, in order.
    pub logs: Vec<LogRecord>,
    /// The `__preinit__*` exports that were run, in the order they were run.
    pub preinits: Vec<String>,
    /// Whether the module exported `__setup__` (it was then run, after the preinits).
    pub ran_setup: bool,
}

/// Why a describe step failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    /// The bytes are not a valid wasm module.
    Load(String),
    /// The module could not be instantiated (an unknown import, a wrong signature, a trapping
    /// start function).
    Instantiate(String),
    /// A required export is missing or has the wrong signature.
    Export(String),
    /// An export trapped or ran out of fuel.
    Trap {
        /// The export that was running.
        export: String,
        /// The interpreter's message (for a host trap: ours, e.g. `describe must not call …`).
        message: String,
        /// What the module logged before it trapped (a panic message is here).
        logs: Vec<LogRecord>,
    },
    /// `__setup__` reported failure.
    Setup {
        /// Its return code.
        code: i32,
        /// The message it wrote.
        message: String,
    },
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Load(message) => write!(f, "invalid wasm module: {message}"),
            RunError::Instantiate(message) => write!(f, "cannot instantiate the module: {message}"),
            RunError::Export(message) => write!(f, "bad export: {message}"),
            RunError::Trap { export, message, logs } => {
                write!(f, "`{export}` trapped: {message}")?;
                for log in logs {
                    write!(f, "\n  log: {log}")?;
                }
                Ok(())
            }
            RunError::Setup { code, message } => write!(f, "`__setup__` returned {code}: {message}"),
        }
    }
}

impl std::error::Error for RunError {}

/// The state of one describe run, held in the `wasmi` store.
#[derive(Default)]
struct HostState {
    /// The describe sink's contents.
    sink: Vec<u8>,
    /// The `__setup__` error sink's contents.
    setup_error: Vec<u8>,
    /// The `console_log` calls.
    logs: Vec<LogRecord>,
}

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

/// Runs the describe step of a module, as a SpacetimeDB host does on a new instance: every
/// export whose name starts with [`PREINIT_PREFIX`] in byte-wise sorted order, then `__setup__`
/// if the module has it, then `__describe_module__(1)`. Returns what was written to sink 1.
pub fn describe(wasm: &[u8]) -> Result<Describe, RunError> {
    let mut config = Config::default();
    config.consume_fuel(true);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, wasm).map_err(|error| RunError::Load(error.to_string()))?;
    let mut store = Store::new(&engine, HostState::default());
    store.set_fuel(FUEL).expect("fuel metering is enabled");
    let linker = linker(&engine).map_err(|error| RunError::Instantiate(error.to_string()))?;
    let instance =
        linker.instantiate_and_start(&mut store, &module).map_err(|error| RunError::Instantiate(error.to_string()))?;

    let mut preinits: Vec<String> = module
        .exports()
        .filter(|export| export.name().starts_with(PREINIT_PREFIX))
        .map(|export| export.name().to_owned())
        .collect();
    preinits.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));

    let trap = |store: &Store<HostState>, export: &str, error: wasmi::Error| RunError::Trap {
        export: export.to_owned(),
        message: error.to_string(),
        logs: store.data().logs.clone(),
    };

    for name in &preinits {
        let func = instance
            .get_typed_func::<(), ()>(&store, name)
            .map_err(|error| RunError::Export(format!("`{name}` must be a function () -> (): {error}")))?;
        func.call(&mut store, ()).map_err(|error| trap(&store, name, error))?;
    }

    let ran_setup = instance.get_export(&store, "__setup__").is_some();
    if ran_setup {
        let setup = instance
            .get_typed_func::<i32, i32>(&store, "__setup__")
            .map_err(|error| RunError::Export(format!("`__setup__` must be a function (i32) -> i32: {error}")))?;
        let code = setup.call(&mut store, SETUP_ERROR_SINK as i32).map_err(|error| trap(&store, "__setup__", error))?;
        if code != 0 {
            let message = String::from_utf8_lossy(&store.data().setup_error).into_owned();
            return Err(RunError::Setup { code, message });
        }
    }

    let describe = instance
        .get_typed_func::<i32, ()>(&store, "__describe_module__")
        .map_err(|error| RunError::Export(format!("`__describe_module__` must be a function (i32) -> (): {error}")))?;
    describe.call(&mut store, DESCRIBE_SINK as i32).map_err(|error| trap(&store, "__describe_module__", error))?;

    let state = store.into_data();
    Ok(Describe { bytes: state.sink, logs: state.logs, preinits, ran_setup })
}

/// A linker defining every `spacetime_10.0` import with its declared signature.
fn linker(engine: &Engine) -> Result<Linker<HostState>, wasmi::Error> {
    let mut linker = Linker::new(engine);
    for decl in IMPORTS {
        let params = decl.wasm_param_types().into_iter().map(val_type);
        let results = decl.wasm_result_types().into_iter().map(val_type);
        let ty = FuncType::new(params, results);
        match decl.name {
            "bytes_sink_write" => {
                linker.func_new(IMPORT_MODULE, decl.name, ty, |caller, args, results| {
                    results[0] =
                        Val::I32(bytes_sink_write(caller, i32_arg(args, 0), i32_arg(args, 1), i32_arg(args, 2))?);
                    Ok(())
                })?;
            }
            "console_log" => {
                linker.func_new(IMPORT_MODULE, decl.name, ty, |caller, args, _results| {
                    let arg = |i| i32_arg(args, i);
                    console_log(caller, [arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6), arg(7)])
                })?;
            }
            name => {
                linker.func_new(IMPORT_MODULE, name, ty, move |_caller, _args, _results| {
                    Err(wasmi::Error::new(format!("describe must not call {name}")))
                })?;
            }
        }
    }
    Ok(linker)
}

/// `bytes_sink_write(sink, buffer_ptr, buffer_len_ptr) -> u16`: takes the whole buffer.
fn bytes_sink_write(mut caller: Caller<'_, HostState>, sink: u32, ptr: u32, len_ptr: u32) -> Result<i32, wasmi::Error> {
    let memory = memory(&caller)?;
    let len = u32::from_le_bytes(read(&caller, memory, len_ptr, 4)?.try_into().expect("4 bytes"));
    let bytes = read(&caller, memory, ptr, len)?;
    let state = caller.data_mut();
    match sink {
        DESCRIBE_SINK => state.sink.extend_from_slice(&bytes),
        SETUP_ERROR_SINK => state.setup_error.extend_from_slice(&bytes),
        _ => return Ok(NO_SUCH_BYTES),
    }
    // Every byte was consumed: `*buffer_len_ptr` keeps its value.
    memory
        .write(&mut caller, len_ptr as usize, &len.to_le_bytes())
        .map_err(|error| wasmi::Error::new(format!("bytes_sink_write: {error}")))?;
    Ok(0)
}

/// `console_log(level, target, filename, line_number, message)`: records the call.
fn console_log(mut caller: Caller<'_, HostState>, args: [u32; 8]) -> Result<(), wasmi::Error> {
    let [level, target_ptr, target_len, filename_ptr, filename_len, line, message_ptr, message_len] = args;
    let memory = memory(&caller)?;
    let optional = |ptr: u32, len: u32| -> Result<Option<String>, wasmi::Error> {
        if ptr == 0 {
            return Ok(None);
        }
        Ok(Some(String::from_utf8_lossy(&read(&caller, memory, ptr, len)?).into_owned()))
    };
    let target = optional(target_ptr, target_len)?;
    let filename = optional(filename_ptr, filename_len)?;
    if message_ptr == 0 {
        return Err(wasmi::Error::new("console_log: message_ptr is NULL"));
    }
    let message = String::from_utf8_lossy(&read(&caller, memory, message_ptr, message_len)?).into_owned();
    let line = (line != worldline_abi::NO_LINE_NUMBER).then_some(line);
    caller.data_mut().logs.push(LogRecord { level, target, filename, line, message });
    Ok(())
}

/// The module's exported linear memory.
fn memory(caller: &Caller<'_, HostState>) -> Result<Memory, wasmi::Error> {
    caller
        .get_export("memory")
        .and_then(Extern::into_memory)
        .ok_or_else(|| wasmi::Error::new("the module exports no memory named `memory`"))
}

/// Copies `len` bytes at `ptr` out of `memory`; NULL or out of bounds traps.
fn read(caller: &Caller<'_, HostState>, memory: Memory, ptr: u32, len: u32) -> Result<Vec<u8>, wasmi::Error> {
    if ptr == 0 {
        return Err(wasmi::Error::new("NULL pointer passed to the host"));
    }
    let mut bytes = vec![0; len as usize];
    memory
        .read(caller, ptr as usize, &mut bytes)
        .map_err(|error| wasmi::Error::new(format!("pointer {ptr:#x}+{len} is out of bounds: {error}")))?;
    Ok(bytes)
}

/// Argument `i` as the `u32` an `i32` slot carries.
fn i32_arg(args: &[Val], i: usize) -> u32 {
    match args[i] {
        Val::I32(value) => value as u32,
        ref other => unreachable!("the linker declared an i32 parameter, got {other:?}"),
    }
}

/// The `wasmi` type of an ABI value type.
fn val_type(ty: WasmType) -> ValType {
    match ty {
        WasmType::I32 => ValType::I32,
        WasmType::I64 => ValType::I64,
    }
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
