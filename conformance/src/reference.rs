//! The adapter for worldtube's reference host: one [`Engine`] running a module — a
//! [`WasmModule`] made from the bytes the kit installs, or any other [`ModuleInstance`] (the
//! module linked natively into a test binary, `worldtube_testing::NativeModule`).

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value as Json;
use worldtube_host::engine::{self, CallError, Caller, Engine, EngineOptions, Outcome, ProcedureStatus, Status};
use worldtube_host::json::{server_json, server_row};
use worldtube_host::names;
use worldtube_host::runtime::{ModuleInstance, WasmModule};
use worldtube_host::schema::Generation;
use worldtube_lib::algebraic::AlgebraicType;
use worldtube_lib::http::Method;
use worldtube_lib::{Identity, TimeDuration};

use crate::{Args, CallOutcome, ClientOutcome, ConformanceHost, RouteReply, RouteRequest};

/// [`ConformanceHost`] for `worldtube_host::engine::Engine<M>`: by default `M` is
/// [`WasmModule`] with the default [`WasmConfig`](worldtube_host::runtime::WasmConfig) (fuel and
/// memory limits included); [`ReferenceHost::with_loader`] runs another kind of module instance
/// (natively: the module the test binary links, whatever bytes the kit installs).
/// Probe calls are made with BSATN arguments, as the user `client`; scenario calls with JSON
/// arguments as named clients (identity `names::identity(name)`, or derived from the claims).
pub struct ReferenceHost<M: ModuleInstance = WasmModule> {
    engine: Option<Engine<M>>,
    /// Makes the module instance for the bytes the kit installs.
    load: fn(&[u8]) -> Result<M, String>,
    /// What [`ConformanceHost::describe_host`] says the instance is.
    instance: &'static str,
    /// Named clients: identity and the claims of their token.
    clients: HashMap<String, (Identity, String)>,
    /// Connections made so far (each gets a new connection id).
    connections: u128,
    /// Connections opened by [`ConformanceHost::connect`], per client, oldest first.
    connected: HashMap<String, Vec<Caller>>,
}

const OWNER: &str = "owner";

impl<M: ModuleInstance> std::fmt::Debug for ReferenceHost<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReferenceHost").field("instance", &self.instance).finish_non_exhaustive()
    }
}

impl Default for ReferenceHost<WasmModule> {
    fn default() -> Self {
        ReferenceHost::with_loader(|wasm| WasmModule::new(wasm).map_err(|e| e.to_string()), "WasmModule, wasmi")
    }
}

impl ReferenceHost<WasmModule> {
    /// An adapter running the installed bytes as wasm, with no database yet.
    pub fn new() -> ReferenceHost {
        ReferenceHost::default()
    }
}

impl<M: ModuleInstance> ReferenceHost<M> {
    /// An adapter whose module instances `load` makes from the installed bytes; `instance` names
    /// them in the report.
    pub fn with_loader(load: fn(&[u8]) -> Result<M, String>, instance: &'static str) -> ReferenceHost<M> {
        ReferenceHost {
            engine: None,
            load,
            instance,
            clients: HashMap::new(),
            connections: 0,
            connected: HashMap::new(),
        }
    }

    fn engine(&mut self) -> Result<&mut Engine<M>, String> {
        self.engine.as_mut().ok_or_else(|| "no module is installed".to_owned())
    }
}

impl<M: ModuleInstance> ConformanceHost for ReferenceHost<M> {
    fn describe_host(&self) -> String {
        format!("worldtube-host {} (Engine of {})", env!("CARGO_PKG_VERSION"), self.instance)
    }

    fn install(&mut self, wasm: &[u8]) -> Result<(), String> {
        self.engine = None;
        self.clients.clear();
        self.connected.clear();
        let module = (self.load)(wasm)?;
        let engine = Engine::install(module, EngineOptions::named(OWNER)).map_err(|e| e.to_string())?;
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

    fn identity(&mut self, client: &str, claims: Option<&Json>) -> Result<String, String> {
        Ok(self.client(client, claims)?.0.to_hex().to_lowercase())
    }

    fn subject(&mut self, client: &str) -> Result<String, String> {
        let (_, claims) = self.client(client, None)?;
        let claims: Json = serde_json::from_str(&claims).map_err(|e| e.to_string())?;
        Ok(claims["sub"].as_str().unwrap_or_default().to_owned())
    }

    fn connect(&mut self, client: &str) -> Result<ClientOutcome, String> {
        let (caller, claims) = self.new_connection(client)?;
        let outcome = self.engine()?.connect_with_jwt(caller, Some(claims));
        self.connected.entry(client.to_owned()).or_default().push(caller);
        Ok(reducer_outcome(&outcome))
    }

    fn disconnect(&mut self, client: &str) -> Result<ClientOutcome, String> {
        let open = self.connected.get_mut(client).filter(|c| !c.is_empty());
        let caller = open.ok_or_else(|| format!("`{client}` has no connection open"))?.remove(0);
        Ok(reducer_outcome(&self.engine()?.disconnect(caller)))
    }

    fn call_as(&mut self, client: &str, name: &str, args: &Json) -> Result<ClientOutcome, String> {
        let (caller, claims) = self.new_connection(client)?;
        let args = args.to_string();
        let engine = self.engine()?;
        engine.connect_with_jwt(caller, Some(claims));
        let actual = match engine.call_json(name, caller, &args) {
            Ok(outcome) => reducer_outcome(&outcome),
            // SpacetimeDB 1.x has no procedures; 2.x tries one when there is no such reducer.
            Err(CallError::NoSuchReducer(_)) if engine.schema().generation() == Generation::V10 => {
                match engine.call_procedure_json(name, caller, &args) {
                    Ok(outcome) => match &outcome.status {
                        ProcedureStatus::Returned { value, .. } => {
                            let schema = engine.schema();
                            let id = schema.procedure_id(name).ok_or("the procedure ran")?;
                            let ty = &schema.procedure(id).ok_or("by id")?.return_type;
                            ClientOutcome::Returned(server_json(ty, schema.typespace(), value))
                        }
                        ProcedureStatus::Trapped(_) => {
                            ClientOutcome::Failed { text: outcome.server_error().unwrap_or_default(), status: 500 }
                        }
                    },
                    Err(e) => rejected(&e),
                }
            }
            Err(e) => rejected(&e),
        };
        engine.disconnect(caller);
        Ok(actual)
    }

    fn advance(&mut self, by: Duration) -> Result<(), String> {
        self.engine()?.advance(TimeDuration::from_duration(by));
        Ok(())
    }

    fn now_micros(&mut self) -> Result<i64, String> {
        Ok(self.engine()?.now().to_micros_since_unix_epoch())
    }

    fn query(&mut self, client: &str, name: &str) -> Result<Vec<Json>, String> {
        let (caller, claims) = self.new_connection(client)?;
        let engine = self.engine()?;
        engine.connect_with_jwt(caller, Some(claims));
        let schema = engine.schema().clone();
        let read = match schema.table_id(name) {
            Some(table) => {
                let t = schema.table(table).ok_or("by id")?;
                let rows = engine.datastore().rows(table).ok_or("a table")?;
                Ok((t.row_type_ref, rows.map(|(_, row)| row.value().clone()).collect::<Vec<_>>()))
            }
            None => match engine.read_view(name, Some(caller.identity)) {
                Ok(rows) => {
                    schema.view(rows.view).map(|v| (v.row_type_ref, rows.rows)).ok_or_else(|| "by id".to_owned())
                }
                Err(e) => Err(format!("no table or view `{name}`: {e}")),
            },
        };
        engine.disconnect(caller);
        let (row_ref, rows) = read?;
        let ts = schema.typespace();
        let row_ref = AlgebraicType::Ref(row_ref);
        let row_ty = ts.resolve(&row_ref).and_then(AlgebraicType::as_product).ok_or("rows are products")?;
        Ok(rows.iter().map(|row| server_row(row_ty, ts, row)).collect())
    }

    fn log_records(&mut self) -> Result<Vec<(String, String)>, String> {
        Ok(self.engine()?.logs().iter().map(|r| (format!("{:?}", r.level), r.message.clone())).collect())
    }

    fn route(&mut self, request: &RouteRequest) -> Result<RouteReply, String> {
        let mut sent = engine::RouteRequest::new(Method::from_name(&request.method), request.target.clone())
            .body(request.body.clone());
        for (name, value) in &request.headers {
            sent = sent.header(name.clone(), value.clone());
        }
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        Ok(match self.engine()?.call_route(sent) {
            Ok(outcome) => match outcome.response {
                Ok(r) => RouteReply {
                    status: r.status,
                    headers: r.headers.iter().map(|(n, v)| (n.clone(), text(v))).collect(),
                    body: r.text(),
                },
                Err(failure) => RouteReply { status: 500, headers: Vec::new(), body: failure },
            },
            Err(e) => RouteReply { status: 404, headers: Vec::new(), body: e.server_message() },
        })
    }
}

impl<M: ModuleInstance> ReferenceHost<M> {
    /// The named client (created on first use): identity and token claims.
    fn client(&mut self, name: &str, claims: Option<&Json>) -> Result<(Identity, String), String> {
        if let Some(client) = self.clients.get(name) {
            return Ok(client.clone());
        }
        let engine = self.engine()?;
        let client = match (name, claims) {
            (_, Some(claims)) => (names::identity_from_claims(&claims.to_string())?, claims.to_string()),
            ("database", None) => (EngineOptions::named(OWNER).database_identity, String::new()),
            _ => (names::identity(name), names::claims(name, engine.now())),
        };
        self.clients.insert(name.to_owned(), client.clone());
        Ok(client)
    }

    /// A new connection of the named client, and the claims it connects with.
    fn new_connection(&mut self, name: &str) -> Result<(Caller, String), String> {
        let (identity, claims) = self.client(name, None)?;
        self.connections += 1;
        let connection_id = Some(names::connection_id(name, self.connections));
        Ok((Caller { identity, connection_id }, claims))
    }
}

/// A reducer's outcome as the server answers it.
fn reducer_outcome(outcome: &Outcome) -> ClientOutcome {
    match (outcome.server_error(), &outcome.status) {
        (None, _) => ClientOutcome::Ok,
        (Some(_), Status::Trapped(message)) => ClientOutcome::Panic(Some(message.clone())),
        (Some(returned), _) => ClientOutcome::Err(returned.to_owned()),
    }
}

/// A refused call: the server's text and HTTP status.
fn rejected(e: &CallError) -> ClientOutcome {
    let status = match e {
        CallError::NoSuchProcedure(_) | CallError::NoSuchReducer(_) => 404,
        _ => 400,
    };
    ClientOutcome::Rejected { text: e.server_message(), status }
}
