//! [`TestDb`]: a database running the module linked into the test binary, and the clients that
//! call it.

use std::time::Duration;

use worldtube::rt::ReducerInfo;
use worldtube::ReducerContext;
use worldtube_host::engine::{
    CallError, Caller, Engine, EngineOptions, InstallError, Outcome, RouteRequest, ViewError,
};
use worldtube_host::http::HttpResponders;
use worldtube_host::names;
use worldtube_host::schema::{Schema, TableId};
use worldtube_host::LogRecord;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue, ValueWithType};
use worldtube_lib::bsatn::{self, DecodeOwned, Encode};
use worldtube_lib::raw_def::RawModuleDefV9;
use worldtube_lib::{ConnectionId, Identity, TimeDuration, Timestamp};

use crate::native::NativeModule;
use crate::outcome::{CallOutcome, Snapshot};
use crate::procedure::ProcedureCallOutcome;
use crate::route::RouteCallOutcome;
use crate::Json;

/// A database running the module under test.
#[derive(Debug)]
pub struct TestDb {
    engine: Engine<NativeModule>,
    connections: u128,
}

/// How to set a [`TestDb`] up; start from [`TestDb::builder`]. The defaults are those of
/// [`EngineOptions::named`], which the `worldtube` CLI uses too, so that its runs and native
/// tests agree on identities and times.
#[derive(Debug, Clone)]
pub struct TestDbBuilder {
    options: EngineOptions,
}

impl Default for TestDbBuilder {
    fn default() -> Self {
        Self { options: EngineOptions::named(names::OWNER) }
    }
}

impl TestDbBuilder {
    /// The name of the owner, who runs `init` (default `"owner"`).
    pub fn owner(mut self, name: &str) -> Self {
        self.options.owner = names::identity(name);
        self
    }

    /// When the clock starts (default 2025-01-01T00:00:00Z). `ctx.rng()` is seeded from the
    /// call's timestamp, so this is also the random seed.
    pub fn start_time(mut self, time: Timestamp) -> Self {
        self.options.start_time = time;
        self
    }

    /// How far the clock moves with each call (default 1 µs, so calls have distinct timestamps);
    /// `Duration::ZERO` stops it between explicit [`TestDb::advance`]s — and then calls made at
    /// the same instant draw the same numbers from `ctx.rng()`, which is seeded from the time.
    pub fn tick_per_call(mut self, tick: Duration) -> Self {
        self.options.tick_per_call = TimeDuration::from_duration(tick);
        self
    }

    /// The engine settings these choices amount to.
    pub fn engine_options(&self) -> EngineOptions {
        self.options.clone()
    }

    /// Installs the module linked into this binary and runs its `init`.
    ///
    /// # Panics
    /// If the module's definition is invalid or `init` fails — with the reason.
    #[track_caller]
    pub fn build(self) -> TestDb {
        match self.try_build() {
            Ok(db) => db,
            Err(e) => panic!("could not install the module: {e}"),
        }
    }

    /// Like [`build`](Self::build), returning the error instead of panicking.
    pub fn try_build(self) -> Result<TestDb, InstallError> {
        let engine = Engine::install(NativeModule::new(), self.options)?;
        let def = engine.module_def();
        if def.tables.is_empty() && def.reducers.is_empty() {
            return Err(InstallError::EmptyModule);
        }
        Ok(TestDb { engine, connections: 0 })
    }
}

/// A named client: an identity, a connection and the claims of the token it connects with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    name: String,
    identity: Identity,
    connection_id: ConnectionId,
    claims: String,
}

impl Client {
    /// The name it was created with.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Its identity (`ctx.sender` in its calls).
    pub fn identity(&self) -> Identity {
        self.identity
    }
    /// Its connection id (`ctx.connection_id` in its calls).
    pub fn connection_id(&self) -> ConnectionId {
        self.connection_id
    }
    /// The claims of its token, as JSON text (what `ctx.sender_auth().jwt()` reads in its
    /// calls, 2.x).
    pub fn claims(&self) -> &str {
        &self.claims
    }
}

/// Whoever a call is made as: a [`Client`] (identity and connection), a bare [`Identity`] (no
/// connection, as over HTTP), or a [`Caller`].
pub trait AsCaller {
    /// The caller.
    fn as_caller(&self) -> Caller;
}
impl AsCaller for Client {
    fn as_caller(&self) -> Caller {
        Caller { identity: self.identity, connection_id: Some(self.connection_id) }
    }
}
impl AsCaller for Identity {
    fn as_caller(&self) -> Caller {
        Caller::identity(*self)
    }
}
impl AsCaller for Caller {
    fn as_caller(&self) -> Caller {
        *self
    }
}
impl<T: AsCaller + ?Sized> AsCaller for &T {
    fn as_caller(&self) -> Caller {
        (**self).as_caller()
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}

impl TestDb {
    /// A fresh database with the default settings (see [`TestDbBuilder`]).
    ///
    /// # Panics
    /// If the module cannot be installed (invalid definition, failing `init`).
    #[track_caller]
    pub fn new() -> Self {
        Self::builder().build()
    }

    /// Settings for a database.
    pub fn builder() -> TestDbBuilder {
        TestDbBuilder::default()
    }

    /// The identity of the user called `name`: the same in every test and every run.
    pub fn identity(name: &str) -> Identity {
        names::identity(name)
    }

    /// A client called `name` with a new connection, not yet connected. Its token has subject
    /// `name` and issuer [`names::ISSUER`] (see [`names::claims`]).
    pub fn client(&mut self, name: &str) -> Client {
        self.connections += 1;
        Client {
            name: name.into(),
            identity: Self::identity(name),
            connection_id: names::connection_id(name, self.connections),
            claims: names::claims(name, self.engine.now()),
        }
    }

    /// A client whose token has these claims (a JSON object with at least `iss` and `sub`
    /// strings; any others, such as `aud` or custom claims, are passed on), with a new
    /// connection, not yet connected. Its identity derives from issuer and subject, as on the
    /// server; its name is the subject.
    ///
    /// # Panics
    /// If the claims lack `iss` or `sub`.
    #[track_caller]
    pub fn client_with_claims(&mut self, claims: &Json) -> Client {
        let payload = claims.to_string();
        let identity = names::identity_from_claims(&payload).unwrap_or_else(|e| panic!("{e}"));
        let name = claims["sub"].as_str().unwrap_or_default().to_owned();
        self.connections += 1;
        let connection_id = names::connection_id(&name, self.connections);
        Client { name, identity, connection_id, claims: payload }
    }

    /// Connects a new client whose token has these claims (see
    /// [`client_with_claims`](Self::client_with_claims)), running `client_connected`.
    ///
    /// # Panics
    /// If the claims lack `iss` or `sub`, or the module rejects the connection.
    #[track_caller]
    pub fn connect_with_claims(&mut self, claims: &Json) -> Client {
        let client = self.client_with_claims(claims);
        let outcome = self.connect_client(&client);
        if !outcome.is_ok() {
            panic!("`{}` could not connect: {}", client.name, outcome.describe());
        }
        client
    }

    /// Connects a new client called `name` (running `client_connected`).
    ///
    /// # Panics
    /// If the module rejects the connection.
    #[track_caller]
    pub fn connect(&mut self, name: &str) -> Client {
        match self.try_connect(name) {
            Ok(client) => client,
            Err(o) => panic!("`{name}` could not connect: {}", o.describe()),
        }
    }

    /// Connects a new client called `name`, or returns how `client_connected` rejected it (in
    /// which case nothing of the attempt remains).
    pub fn try_connect(&mut self, name: &str) -> Result<Client, CallOutcome> {
        let client = self.client(name);
        let outcome = self.connect_client(&client);
        if outcome.is_ok() {
            Ok(client)
        } else {
            Err(outcome)
        }
    }

    /// Connects `client` (made with [`client`](Self::client)), running `client_connected`, and
    /// returns what it did: the rows a connection creates (`inserted`), or how it was rejected.
    /// [`connect`](Self::connect) is this for a new client, keeping only the client.
    pub fn connect_client(&mut self, client: &Client) -> CallOutcome {
        let outcome = self.engine.connect_with_jwt(client.as_caller(), Some(client.claims.clone()));
        self.wrap(outcome)
    }

    /// Disconnects `client` (running `client_disconnected`).
    pub fn disconnect(&mut self, client: &Client) -> CallOutcome {
        let outcome = self.engine.disconnect(client.as_caller());
        self.wrap(outcome)
    }

    /// Calls reducer `R` (the reducer function's name, e.g. `db.call::<send_message>(..)`) with
    /// its arguments as a tuple, as `caller`. Arguments of the wrong types do not compile.
    #[track_caller]
    pub fn call<R: ReducerInfo>(&mut self, caller: impl AsCaller, args: R::Args) -> CallOutcome
    where
        R::Args: Encode,
    {
        let bytes = bsatn::to_vec(&args);
        // A 2.x reducer's function name is its source name; clients call it by its canonical one.
        let name = self.reducer_name::<R>();
        match self.try_call_bytes(caller, &name, bytes) {
            Ok(outcome) => outcome,
            Err(e) => panic!("{e}"),
        }
    }

    /// Calls reducer `reducer` by name with JSON arguments: an array in parameter order or an
    /// object by parameter name (see [`worldtube_host::json`] for how values are written).
    ///
    /// # Panics
    /// If there is no such reducer or the arguments do not fit its parameters.
    #[track_caller]
    pub fn call_json(&mut self, caller: impl AsCaller, reducer: &str, args: &str) -> CallOutcome {
        match self.try_call_json(caller, reducer, args) {
            Ok(outcome) => outcome,
            Err(e) => panic!("{e}"),
        }
    }

    /// Like [`call_json`](Self::call_json), returning what is wrong with the call instead of
    /// panicking: arguments the server would refuse (including text that is not JSON) are refused
    /// with the server's text (see [`CallError::server_message`]).
    pub fn try_call_json(
        &mut self,
        caller: impl AsCaller,
        reducer: &str,
        args: &str,
    ) -> Result<CallOutcome, CallError> {
        let outcome = self.engine.call_json(reducer, caller.as_caller(), args)?;
        Ok(self.wrap(outcome))
    }

    /// Calls reducer `reducer` with BSATN arguments.
    pub fn try_call_bytes(
        &mut self,
        caller: impl AsCaller,
        reducer: &str,
        args: Vec<u8>,
    ) -> Result<CallOutcome, CallError> {
        let outcome = self.engine.call(reducer, caller.as_caller(), args)?;
        Ok(self.wrap(outcome))
    }

    /// Calls procedure `P` (the procedure function's name, e.g.
    /// `db.call_procedure::<room_stats>(..)`) with its arguments as a tuple, as `caller`; see
    /// [`call_procedure!`](crate::call_procedure) for the shorter form. The clock moves to where
    /// the procedure's sleeps took it.
    ///
    /// # Panics
    /// If the module has no such procedure the caller may call.
    #[track_caller]
    pub fn call_procedure<P: ReducerInfo>(&mut self, caller: impl AsCaller, args: P::Args) -> ProcedureCallOutcome
    where
        P::Args: Encode,
    {
        let schema = self.engine.schema();
        let name = match schema.procedure_id_by_source_name(P::NAME).and_then(|id| schema.procedure(id)) {
            Some(procedure) => procedure.name.clone(),
            None => P::NAME.to_owned(),
        };
        match self.try_call_procedure_bytes(caller, &name, bsatn::to_vec(&args)) {
            Ok(outcome) => outcome,
            Err(e) => panic!("{e}"),
        }
    }

    /// Calls procedure `procedure` (its canonical name) with JSON arguments, as clients do.
    ///
    /// # Panics
    /// If there is no such procedure or the arguments do not fit its parameters.
    #[track_caller]
    pub fn call_procedure_json(&mut self, caller: impl AsCaller, procedure: &str, args: &str) -> ProcedureCallOutcome {
        match self.try_call_procedure_json(caller, procedure, args) {
            Ok(outcome) => outcome,
            Err(e) => panic!("{e}"),
        }
    }

    /// Like [`call_procedure_json`](Self::call_procedure_json), returning a refused call as an
    /// error.
    pub fn try_call_procedure_json(
        &mut self,
        caller: impl AsCaller,
        procedure: &str,
        args: &str,
    ) -> Result<ProcedureCallOutcome, CallError> {
        let outcome = self.engine.call_procedure_json(procedure, caller.as_caller(), args)?;
        Ok(ProcedureCallOutcome::new(outcome, self.engine.schema().clone()))
    }

    /// Calls procedure `procedure` with BSATN arguments.
    pub fn try_call_procedure_bytes(
        &mut self,
        caller: impl AsCaller,
        procedure: &str,
        args: Vec<u8>,
    ) -> Result<ProcedureCallOutcome, CallError> {
        let outcome = self.engine.call_procedure(procedure, caller.as_caller(), args)?;
        Ok(ProcedureCallOutcome::new(outcome, self.engine.schema().clone()))
    }

    /// Sends `request` to the module's HTTP routes (a 2.x module with `#[http::router]`), as a
    /// client sending it to `/v1/database/NAME/route/...` on a server; the handler runs like a
    /// procedure (its own transactions, sleeps, HTTP requests). The clock moves to where its
    /// sleeps took it.
    ///
    /// ```no_run
    /// # let mut db = worldtube_testing::TestDb::new();
    /// use worldtube_testing::RouteRequest;
    /// let reply = db.route(RouteRequest::get("/rooms"));
    /// assert_eq!((reply.status(), reply.text()), (200, "2".to_owned()));
    /// ```
    ///
    /// # Panics
    /// If no route matches (the server answers 404 then; see [`try_route`](Self::try_route)).
    #[track_caller]
    pub fn route(&mut self, request: RouteRequest) -> RouteCallOutcome {
        match self.try_route(request) {
            Ok(outcome) => outcome,
            Err(e) => panic!("{e}"),
        }
    }

    /// Like [`route`](Self::route), returning an unmatched request as
    /// [`CallError::NoSuchRoute`].
    pub fn try_route(&mut self, request: RouteRequest) -> Result<RouteCallOutcome, CallError> {
        let outcome = self.engine.call_route(request)?;
        Ok(RouteCallOutcome::new(outcome, self.engine.schema().clone()))
    }

    /// The HTTP responders that answer procedures' requests (no network is used): add rules with
    /// [`respond`](HttpResponders::respond). A request no rule answers fails as a request to a
    /// host name that does not resolve does on the server.
    ///
    /// ```no_run
    /// # let mut db = worldtube_testing::TestDb::new();
    /// use worldtube_testing::host::http::HttpReply;
    /// db.http().respond(Some("GET"), "https://api.example.com/weather*", HttpReply::ok(r#"{"temp":21}"#));
    /// ```
    pub fn http(&mut self) -> &mut HttpResponders {
        self.engine.http_responders_mut()
    }

    /// The rows view `view` (its canonical name) gives `reader` now, decoded as `T` (the view's
    /// row struct): what a client reading it would get. For an anonymous view the reader does
    /// not matter.
    ///
    /// # Panics
    /// If there is no such view the reader may read, or it panics, or its rows are not `T`s.
    #[track_caller]
    pub fn view<T: DecodeOwned>(&mut self, reader: impl AsCaller, view: &str) -> Vec<T> {
        let rows = match self.engine.read_view(view, Some(reader.as_caller().identity)) {
            Ok(rows) => rows.rows,
            Err(e) => panic!("{e}"),
        };
        crate::outcome::decode_rows(view, &rows)
    }

    /// Reads view `view` as `reader` (see [`view`](Self::view)) and subscribes the reader to it:
    /// from now on, each call's outcome reports what the call changed in the view's rows
    /// ([`CallOutcome::view_inserted`], [`CallOutcome::view_deleted`]), as a subscribed client
    /// is sent it.
    ///
    /// # Panics
    /// As [`view`](Self::view).
    #[track_caller]
    pub fn subscribe<T: DecodeOwned>(&mut self, reader: impl AsCaller, view: &str) -> Vec<T> {
        let rows = match self.engine.subscribe_view(view, Some(reader.as_caller().identity)) {
            Ok(rows) => rows.rows,
            Err(e) => panic!("{e}"),
        };
        crate::outcome::decode_rows(view, &rows)
    }

    /// The rows of view `view` as JSON, read by `reader` (`None`: anonymously, for an anonymous
    /// view only); or why it could not be read.
    pub fn try_view_json(&mut self, reader: Option<&dyn AsCaller>, view: &str) -> Result<Json, ViewError> {
        let rows = self.engine.read_view(view, reader.map(|r| r.as_caller().identity))?;
        let schema = self.engine.schema().clone();
        let ty = AlgebraicType::Ref(schema.view(rows.view).expect("read by id").row_type_ref);
        Ok(Json::Array(rows.rows.into_iter().map(|row| to_json(&AlgebraicValue::Product(row), &ty, &schema)).collect()))
    }

    /// Runs `f` against the committed state, through the module's own table accessors (a
    /// read-only view: changes `f` makes are rolled back). `ctx.sender` is the owner.
    pub fn read<T>(&mut self, f: impl FnOnce(&ReducerContext) -> T) -> T {
        let owner = self.engine.options().owner;
        self.engine.with_read_transaction(|host, now| {
            let (result, host) = worldtube_sys::with_host(host, || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&ReducerContext::__new(owner, None, now))))
            });
            (host, result)
        })
    }

    /// Every row of table `table`, decoded as `T` (the table's row struct), in scan order.
    ///
    /// # Panics
    /// If there is no such table or its rows are not `T`s.
    #[track_caller]
    pub fn rows<T: DecodeOwned>(&self, table: &str) -> Vec<T> {
        let mut rows = Vec::new();
        for row in self.table_values(table) {
            match bsatn::from_slice(&bsatn::to_vec(&row)) {
                Ok(row) => rows.push(row),
                Err(e) => panic!("a `{table}` row is not this type: {e}"),
            }
        }
        rows
    }

    /// How many rows `table` has.
    ///
    /// # Panics
    /// If there is no such table.
    #[track_caller]
    pub fn count(&self, table: &str) -> u64 {
        let id = self.table_id(table);
        self.engine.datastore().row_count(id).unwrap_or(0)
    }

    /// Table `table` as a JSON array of objects, in scan order.
    ///
    /// # Panics
    /// If there is no such table.
    #[track_caller]
    pub fn table_json(&self, table: &str) -> Json {
        let schema = self.engine.schema();
        let ty = AlgebraicType::Ref(schema.table(self.table_id(table)).expect("id from the schema").row_type_ref);
        let rows: Vec<Json> = self
            .table_values(table)
            .iter()
            .map(|row| to_json(&AlgebraicValue::Product(row.clone()), &ty, schema))
            .collect();
        Json::Array(rows)
    }

    /// The current time on the database's clock.
    pub fn now(&self) -> Timestamp {
        self.engine.now()
    }

    /// Moves the clock forward by `by`, running every scheduled reducer that falls due, in order,
    /// each at its due time. Returns their outcomes.
    pub fn advance(&mut self, by: Duration) -> Vec<CallOutcome> {
        let outcomes = self.engine.advance(TimeDuration::from_duration(by));
        outcomes.into_iter().map(|o| self.wrap(o)).collect()
    }

    /// Moves the clock to `time` (see [`advance`](Self::advance)).
    pub fn advance_to(&mut self, time: Timestamp) -> Vec<CallOutcome> {
        let outcomes = self.engine.advance_to(time);
        outcomes.into_iter().map(|o| self.wrap(o)).collect()
    }

    /// Runs what is due now: calls queued with `volatile_nonatomic_schedule_immediate`, and
    /// schedules whose time has come.
    pub fn run_scheduled(&mut self) -> Vec<CallOutcome> {
        let outcomes = self.engine.run_due_now();
        outcomes.into_iter().map(|o| self.wrap(o)).collect()
    }

    /// How many scheduled calls are waiting.
    pub fn scheduled_count(&self) -> usize {
        self.engine.scheduler().len()
    }

    /// Every log record so far, from every call, with the server's own records (`Creating table
    /// ...`, `Database initialized` at install; an `Error` for each refused call), as the
    /// server's database log has them.
    pub fn logs(&self) -> &[LogRecord] {
        self.engine.logs()
    }

    /// A copy of the whole database (rows, sequences, clock, schedules).
    pub fn snapshot(&self) -> Snapshot {
        Snapshot(self.engine.snapshot())
    }

    /// Puts the database back as it was at `snapshot`.
    pub fn restore(&mut self, snapshot: &Snapshot) {
        self.engine.restore(&snapshot.0);
    }

    /// The module definition in V9 form: as described, for a 1.x module; for a 2.x module its V9
    /// equivalent under canonical names (the V10 definition itself, event tables, defaults and
    /// visibility are in [`Engine::schema`]: `db.engine().schema().module_def()`).
    pub fn module_def(&self) -> &RawModuleDefV9 {
        self.engine.module_def()
    }

    /// The engine underneath, for what this API does not cover.
    pub fn engine(&mut self) -> &mut Engine<NativeModule> {
        &mut self.engine
    }

    #[track_caller]
    /// The name clients call reducer `R` by: its canonical name for a 2.x module (whose
    /// `R::NAME` is the function's, the source name), `R::NAME` otherwise.
    fn reducer_name<R: ReducerInfo>(&self) -> String {
        let schema = self.engine.schema();
        match schema.reducer_id_by_source_name(R::NAME).and_then(|id| schema.reducer(id)) {
            Some(reducer) => reducer.name.clone(),
            None => R::NAME.to_owned(),
        }
    }

    fn table_id(&self, table: &str) -> TableId {
        match self.engine.schema().table_id(table) {
            Some(id) => id,
            None => {
                let names: Vec<&str> = self.engine.schema().tables().iter().map(|t| t.name.as_str()).collect();
                panic!("no table named `{table}`; the tables are: {}", names.join(", "))
            }
        }
    }

    #[track_caller]
    fn table_values(&self, table: &str) -> Vec<ProductValue> {
        let id = self.table_id(table);
        self.engine.datastore().rows(id).map(|rows| rows.map(|(_, r)| r.value().clone()).collect()).unwrap_or_default()
    }

    fn wrap(&self, outcome: Outcome) -> CallOutcome {
        CallOutcome::new(outcome, self.engine.schema().clone())
    }
}

pub(crate) fn to_json(value: &AlgebraicValue, ty: &AlgebraicType, schema: &Schema) -> Json {
    serde_json::to_value(ValueWithType::new(value, ty, schema.typespace())).expect("values render as JSON")
}
