//! The adapter for worldtube's reference host: one [`Engine`] running a [`WasmModule`].

use worldtube_host::engine::{Caller, Engine, EngineOptions, Status};
use worldtube_host::names;
use worldtube_host::runtime::WasmModule;

use crate::{Args, CallOutcome, ConformanceHost};

/// [`ConformanceHost`] for `worldtube_host::engine::Engine<WasmModule>` with the default
/// [`WasmConfig`](worldtube_host::runtime::WasmConfig) (fuel and memory limits included).
/// Calls are made with BSATN arguments, as the user `client`.
#[derive(Debug, Default)]
pub struct ReferenceHost {
    engine: Option<Engine<WasmModule>>,
}

impl ReferenceHost {
    /// An adapter with no database yet.
    pub fn new() -> ReferenceHost {
        ReferenceHost::default()
    }

    fn engine(&mut self) -> Result<&mut Engine<WasmModule>, String> {
        self.engine.as_mut().ok_or_else(|| "no module is installed".to_owned())
    }
}

impl ConformanceHost for ReferenceHost {
    fn describe_host(&self) -> String {
        format!("worldtube-host {} (Engine<WasmModule>, wasmi)", env!("CARGO_PKG_VERSION"))
    }

    fn install(&mut self, wasm: &[u8]) -> Result<(), String> {
        self.engine = None;
        let module = WasmModule::new(wasm).map_err(|e| e.to_string())?;
        let engine = Engine::install(module, EngineOptions::named("owner")).map_err(|e| e.to_string())?;
        self.engine = Some(engine);
        Ok(())
    }

    fn call(&mut self, name: &str, args: &Args) -> Result<CallOutcome, String> {
        let caller = Caller::identity(names::identity("client"));
        let outcome = self.engine()?.call(name, caller, args.bsatn.clone()).map_err(|e| e.to_string())?;
        Ok(match outcome.status {
            Status::Committed => CallOutcome::Ok,
            Status::Failed(message) => CallOutcome::Error(message),
            Status::Trapped(message) => CallOutcome::Trap(message),
        })
    }

    fn rows(&mut self, table: &str) -> Result<Vec<serde_json::Value>, String> {
        let engine = self.engine()?;
        let id = engine.schema().table_id(table).ok_or_else(|| format!("no table `{table}`"))?;
        match worldtube_host::json::table_to_json(engine.datastore(), id) {
            serde_json::Value::Array(rows) => Ok(rows),
            other => Err(format!("table `{table}` rendered as {other}")),
        }
    }

    fn log_messages(&mut self) -> Result<Vec<String>, String> {
        Ok(self.engine()?.logs().iter().map(|record| record.message.clone()).collect())
    }
}
