//! The `worldtube` command line: describe, check and run a `.wasm` module on the reference host.
//!
//! The binary (`src/bin/worldtube.rs`) only calls [`main`]; see [`USAGE`] for the commands. A
//! run installs the module into a fresh in-memory database with the same settings as a native
//! test's database by default ([`crate::names`]: owner `owner`, identities from
//! [`names::identity`](crate::names::identity), clock from 2025-01-01T00:00:00Z, 1 µs per
//! call), so a run and a native test of the same steps agree.

pub mod args;
pub mod module;
mod report;
pub mod run;
pub mod summary;

use crate::schema::{ModuleDef, Schema};
use args::Command;
use std::fmt;
use std::io::Write;
use worldtube_abi::AbiVersion;
use worldtube_lib::raw_def::{validate, validate_v10};

/// The `--help` text.
pub const USAGE: &str = "\
worldtube: run SpacetimeDB-compatible modules on the Worldtube reference host

USAGE:
    worldtube describe <MODULE>
    worldtube check <MODULE>
    worldtube run <MODULE> [STEPS...] [--dump TABLE | --dump-all] [--keep-going] [--brief] [--json]
                  [--fuel N] [--http FILE]
    worldtube help

MODULE is a .wasm file, or a module crate's directory (one with a Cargo.toml), which is built
first with `cargo build --release --target wasm32-unknown-unknown` ($CARGO if set).

COMMANDS:
    describe   Print the module definition (RawModuleDefV9, or RawModuleDefV10 for a 2.x module)
               as JSON; then, if it is invalid, the validation errors (exit 1).
    check      Check the module as a server would before publishing it: its wasm imports (from
               `spacetime_10.0` ... `spacetime_10.5`, each in the module of its version, exact
               signatures) and exports, its describe step, its definition. Prints the ABI version
               it needs (so which SpacetimeDB servers load it) and a summary of tables and
               reducers; exits 1 with every problem found.
    run        Install the module into a fresh in-memory database (running `init` as `owner`),
               then perform the steps in order. Each call prints its outcome (ok / error / panic),
               its log lines and the rows it inserted (+) and deleted (-) per table.

RUN STEPS (performed in the order given; a script's lines where --script stands):
    --connect NAME             Connect a client NAME (runs `client_connected`).
    --disconnect NAME          Disconnect it (runs `client_disconnected`).
    --as NAME                  Make the following --call steps as NAME (default: owner).
    --call REDUCER [JSON]      Call REDUCER with arguments as a JSON array (in parameter order) or
                               object (by parameter name); omitted: []. A connected NAME calls
                               with its connection, any other name with just its identity. A
                               procedure (2.x) is called the same way; its return value is
                               printed as JSON, then each transaction it committed.
    --expect-error TEXT        The step before is expected to fail with a message containing
                               TEXT (\"\" for any message); it then does not fail the run. A call
                               the host refuses (no such reducer, invalid arguments) counts.
    --view NAME                Print the rows view NAME (2.x) gives the current --as name, as a
                               client reading it would get them.
    --view-anon NAME           Print the rows of the anonymous view NAME.
    --route \"METHOD PATH [BODY]\"
                               Send an HTTP request to the module's routes (2.x HTTP handlers), as
                               to /v1/database/NAME/route/PATH on a server; print the status,
                               headers and body the handler answered, and what it committed. A
                               handler that panics fails the step (a server answers 500); no
                               route for it is an error (404 on a server).
    --advance MS               Move the clock MS milliseconds forward (also `2s`, `250us`),
                               running every scheduled reducer that falls due, in time order.
    --script FILE              Run the steps in FILE, one per line (see SCRIPTS).

RUN OPTIONS:
    --dump TABLE               After the last step, print TABLE's rows as JSON (repeatable).
    --dump-all                 After the last step, print every table's rows as JSON.
    --keep-going               Run every step even after a failure, and exit 0.
    --brief                    Print how many rows each call inserted and deleted, not the rows.
    --json                     Print JSON Lines instead of text, for tools and CI: one object per
                               step, per table dumped and per scheduled call an advance runs, as
                               they happen; first {\"event\": \"installed\", ...}, last
                               {\"event\": \"summary\", \"failed_steps\": N, \"exit\": 0|1, ...}.
                               Each has an \"event\": installed, as, call, connect, disconnect,
                               scheduled, view, route, dump, advance, error or summary; rows and
                               values are the JSON the text shows (--brief: counts instead of
                               changed rows).
    --fuel N                   Fuel (about N wasm instructions) each call may use before it traps;
                               the default ends an endless loop within seconds.
    --http FILE                Answer procedures' HTTP requests from FILE, a JSON array of rules
                               tried in order: {\"method\": \"GET\", \"url\": \"https://api.example.com/*\",
                               \"status\": 200, \"headers\": [[\"content-type\", \"text/plain\"]],
                               \"body\": \"...\"} (a url ending in * matches by prefix; method,
                               status, headers and body are optional) or {\"url\": ..., \"error\":
                               \"timed out\"}. No request reaches the network; one no rule answers
                               fails as a request to a host that does not resolve does on the server.

SCRIPTS:
    # a comment (whole lines only; blank lines are skipped)
    connect alice
    as alice
    call alice set_name [\"Alice\"]      # with an explicit caller
    call send_message {\"text\": \"hi\"}   # as the current `as` name
    call send_message [\"\"]
    expect-error must not be empty
    view alice my_user                 # a view as alice; `view NAME` as the current `as` name
    view-anon online_users             # an anonymous view
    route GET /rooms                   # an HTTP handler; `route POST /echo some body`
    advance 50                         # milliseconds; also 2s, 250us
    dump message                       # one table now; `dump` or `dump-all`: every table
    disconnect alice

IDENTITIES:
    NAME's identity is `worldtube_host::names::identity(NAME)`: deterministic, the same as
    `TestDb::identity(NAME)` in native tests. Scheduled reducers run as the identity of `database`.

EXIT STATUS:
    0  success
    1  a call or step failed (without --keep-going), or the module has problems
    2  bad command line, unreadable file, or the module could not be built
";

/// Why the command could not do its job.
#[derive(Debug)]
pub enum CliError {
    /// The command line is wrong.
    Usage(String),
    /// A script line is wrong.
    Script(String),
    /// A file could not be read or a module crate not built.
    Io(String),
    /// The module is not valid or could not be installed.
    Module(String),
}

impl CliError {
    /// The exit code for this error.
    pub fn exit(&self) -> Exit {
        match self {
            CliError::Module(_) => Exit::Failed,
            CliError::Usage(_) | CliError::Script(_) | CliError::Io(_) => Exit::Usage,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(m) => write!(f, "{m}\n(`worldtube --help` shows the usage)"),
            CliError::Script(m) | CliError::Io(m) | CliError::Module(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CliError {}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Io(format!("cannot write the output: {e}"))
    }
}

/// How the command ended: the process's exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: success.
    Ok = 0,
    /// 1: a call or step failed, or the module has problems.
    Failed = 1,
    /// 2: bad command line, unreadable file, or build failure.
    Usage = 2,
}

/// Runs the command line `args` (without the program name), printing results to `out` and
/// problems to `err`.
pub fn main(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let result = args::parse(args).and_then(|command| execute(command, out));
    let _ = out.flush();
    match result {
        Ok(exit) => exit,
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            error.exit()
        }
    }
}

fn execute(command: Command, out: &mut dyn Write) -> Result<Exit, CliError> {
    match command {
        Command::Help(text) => {
            out.write_all(text.as_bytes())?;
            Ok(Exit::Ok)
        }
        Command::Describe { module } => {
            let file = module::load(&module)?;
            let (_, def) = module::describe(&file.wasm)?;
            // The definition as described: a V9 one for a 1.x module, a V10 one for a 2.x module.
            let text = match &def {
                ModuleDef::V9(def) => serde_json::to_string_pretty(def),
                ModuleDef::V10(def) => serde_json::to_string_pretty(def),
            };
            writeln!(out, "{}", text.map_err(|e| CliError::Module(e.to_string()))?)?;
            match validate_either(&def) {
                Ok(()) => Ok(Exit::Ok),
                Err(errors) => Err(invalid_definition(&errors)),
            }
        }
        Command::Check { module } => check(&module, out),
        Command::Run(run) => {
            let file = module::load(&run.module)?;
            let mut config = crate::runtime::WasmConfig::default();
            if let Some(fuel) = run.fuel {
                config.fuel = Some(fuel);
            }
            let wasm = crate::runtime::WasmModule::with_config(&file.wasm, config).map_err(module::module_error)?;
            if !run.json {
                // (In JSON, the `installed` event names the module.)
                writeln!(out, "module: {}", file.path.display())?;
            }
            let http = match &run.http {
                None => crate::http::HttpResponders::new(),
                Some(path) => {
                    let text = std::fs::read_to_string(path).map_err(|e| {
                        CliError::Io(format!("cannot read the HTTP responders `{}`: {e}", path.display()))
                    })?;
                    crate::http::HttpResponders::from_json(&text)
                        .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?
                }
            };
            run::run(wasm, &file.path, &run, http, out)
        }
    }
}

/// Validates a definition with its generation's validator.
fn validate_either(def: &ModuleDef) -> Result<(), Vec<worldtube_lib::raw_def::ValidationError>> {
    match def {
        ModuleDef::V9(def) => validate(def).map(drop),
        ModuleDef::V10(def) => validate_v10(def).map(drop),
    }
}

fn invalid_definition(errors: &[worldtube_lib::raw_def::ValidationError]) -> CliError {
    let mut message = format!("the module definition is invalid ({} problem(s)):", errors.len());
    for e in errors {
        message.push_str(&format!("\n  - {e}"));
    }
    CliError::Module(message)
}

fn check(path: &std::path::Path, out: &mut dyn Write) -> Result<Exit, CliError> {
    let file = module::load(path)?;
    writeln!(out, "module: {} ({} bytes)", file.path.display(), file.wasm.len())?;
    let (_, def) = module::describe(&file.wasm)?;
    let abi = abi_needs(&file.wasm);
    let modules: Vec<String> = abi.imports.keys().map(|v| v.import_module()).collect();
    writeln!(
        out,
        "interface: ok (imports {} function(s) from {}, exports what the host calls)",
        abi.imports.values().sum::<usize>(),
        modules.join(", ")
    )?;
    writeln!(out, "abi: {}", abi.describe())?;
    writeln!(out, "describe: ok")?;
    if let Err(errors) = validate_either(&def) {
        return Err(invalid_definition(&errors));
    }
    let schema = Schema::from_module_def(&def).map_err(|e| CliError::Module(e.to_string()))?;
    let v9 = schema.def();
    let generation = match def {
        ModuleDef::V9(_) => "",
        ModuleDef::V10(_) => ", 2.x (V10)",
    };
    writeln!(
        out,
        "definition: ok ({} table(s), {} reducer(s), {}{}{} named type(s){generation})",
        v9.tables.len(),
        v9.reducers.len(),
        match schema.procedures().len() {
            0 => String::new(),
            n => format!("{n} procedure(s), "),
        },
        match schema.views().len() {
            0 => String::new(),
            n => format!("{n} view(s), "),
        },
        v9.types.len()
    )?;
    if let ModuleDef::V10(_) = def {
        // The imports alone may load on a late 1.x server; the definition does not.
        writeln!(out, "servers: SpacetimeDB 2.x only (1.x servers do not read a RawModuleDef::V10 definition)")?;
    }
    write!(out, "{}", summary::summary(&schema))?;
    Ok(Exit::Ok)
}

/// The ABI versions a module (whose interface was checked) uses.
#[derive(Debug, Default)]
struct AbiNeeds {
    /// How many functions it imports from each version's module.
    imports: std::collections::BTreeMap<AbiVersion, usize>,
    /// The exports it has that only hosts of a later version call, with that version.
    later_exports: Vec<(String, AbiVersion)>,
    /// Unstable exports it has in another form than this host's (a later server's), with the
    /// signature it exports them with.
    other_forms: Vec<(String, String)>,
}

impl AbiNeeds {
    /// The version a host must provide: the highest the module imports from.
    fn required(&self) -> AbiVersion {
        self.imports.keys().next_back().copied().unwrap_or(AbiVersion::BASE)
    }

    /// E.g. `needs spacetime_10.0 only: loads on every SpacetimeDB 1.x and 2.x server`.
    fn describe(&self) -> String {
        let required = self.required();
        let servers = required.decl().map_or("no known server", |decl| decl.servers);
        let mut text = if required == AbiVersion::BASE {
            format!("needs {} only: loads on {servers}", required.import_module())
        } else {
            format!("needs {}: loads on {servers}", required.import_module())
        };
        let later: Vec<String> = self
            .later_exports
            .iter()
            .filter(|(_, version)| *version > required)
            .map(|(name, version)| format!("`{name}` ({version})"))
            .collect();
        if !later.is_empty() {
            text.push_str(&format!("; hosts older than its exports ignore them: {}", later.join(", ")));
        }
        for (name, signature) in &self.other_forms {
            text.push_str(&format!(
                "; it exports the unstable `{name}` as {signature}, a later server's form, which this host does not call"
            ));
        }
        text
    }
}

/// What [`AbiNeeds`] `wasm` has (its interface is checked already, so every import is from a
/// known `spacetime_10.N` module).
fn abi_needs(wasm: &[u8]) -> AbiNeeds {
    let mut needs = AbiNeeds::default();
    let Ok(module) = wasmi::Module::new(&wasmi::Engine::default(), wasm) else { return needs };
    for import in module.imports() {
        if let Some(version) = AbiVersion::of_import_module(import.module()) {
            *needs.imports.entry(version).or_default() += 1;
        }
    }
    for export in module.exports() {
        let later = worldtube_abi::EXPORTS.iter().find(|decl| {
            decl.version > AbiVersion::BASE
                && if decl.is_prefix { export.name().starts_with(decl.name) } else { export.name() == decl.name }
        });
        if let Some(decl) = later {
            needs.later_exports.push((export.name().to_owned(), decl.version));
            if let (true, wasmi::ExternType::Func(ty)) = (decl.unstable, export.ty()) {
                let params: Vec<_> = decl.params.iter().map(|p| p.ty).collect();
                if *ty != crate::runtime::validate::func_type(&params, decl.results) {
                    needs.other_forms.push((export.name().to_owned(), crate::runtime::validate::signature(ty)));
                }
            }
        }
    }
    needs
}
