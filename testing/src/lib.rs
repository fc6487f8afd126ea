//! Unit-testing modules with plain `cargo test`: no server, no wasm.
//!
//! Add one line to the module crate's `Cargo.toml`:
//!
//! ```toml
//! [dev-dependencies]
//! worldtube-host = "0.1"
//! ```
//!
//! Tests go in the module crate's `tests/` directory. A test binary must name the module crate
//! (`use my_module::{...}`), which links it in; import the reducers you call (`bump` below) and
//! the table accessors you read through (`counter`: `ctx.db.counter()` needs it in scope). The
//! JSON views ([`TestDb::table_json`], [`CallOutcome::inserted_json`]) compare with [`json!`]
//! values; it, [`LogLevel`] and [`EngineError`] are re-exported here.
//!
//! Each [`TestDb`] is a fresh database running the module linked into the test binary, through
//! the same ABI the server uses (arguments are encoded, reducers dispatched by id, every call a
//! transaction). Tests run in parallel; each sees only its own database.
//!
//! ```
//! use worldtube::{reducer, table, Identity, ReducerContext, Table};
//! use worldtube_host::testing::TestDb;
//!
//! #[table(name = counter, public)]
//! pub struct Counter {
//!     #[primary_key]
//!     owner: Identity,
//!     count: u32,
//! }
//!
//! #[reducer]
//! pub fn bump(ctx: &ReducerContext, by: u32) -> Result<(), String> {
//!     if by == 0 {
//!         return Err("bump by something".into());
//!     }
//!     let count = ctx.db.counter().owner().find(ctx.sender).map_or(0, |c| c.count);
//!     ctx.db.counter().owner().delete(ctx.sender);
//!     ctx.db.counter().insert(Counter { owner: ctx.sender, count: count + by });
//!     Ok(())
//! }
//!
//! let mut db = TestDb::new();
//! let alice = db.connect("alice");
//!
//! db.call::<bump>(&alice, (2,)).assert_ok();
//! let failed = db.call::<bump>(&alice, (0,));
//! assert_eq!(failed.error(), Some("bump by something"));
//!
//! // Read committed state through the module's own accessors...
//! let mine = db.read(|ctx| ctx.db.counter().owner().find(alice.identity()).unwrap().count);
//! assert_eq!(mine, 2);
//! // ...or as JSON, or call by name with JSON arguments.
//! db.call_json(&alice, "bump", "[3]").assert_ok();
//! assert_eq!(db.table_json("counter")[0]["count"], 5);
//! ```

use crate::engine::{Engine, EngineOptions, EngineSnapshot, Outcome, Status};
use crate::runtime::NativeModule;
use crate::schema::Schema;
use std::sync::Arc;
use std::time::Duration;
use worldtube::__private::ReducerInfo;
use worldtube::ReducerContext;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue, ValueWithType};
use worldtube_lib::bsatn::{self, DecodeOwned, Encode};
use worldtube_lib::raw_def::RawModuleDefV9;
use worldtube_lib::{ConnectionId, Identity, TimeDuration, Timestamp};

// What tests name besides `TestDb`, so that the one `worldtube-host` dev-dependency is enough.
pub use crate::abi_host::LogRecord;
pub use crate::engine::{Caller, EngineError};
/// JSON for [`TestDb::table_json`], [`CallOutcome::inserted_json`] and friends: compare with
/// [`json!`] values.
pub use serde_json::{json, Value as Json};
/// The level of a [`LogRecord`].
pub use worldtube_abi::LogLevel;

/// Calls a reducer the way it is written in module code: `call!(db, &alice, send_message(text))`
/// is `db.call::<send_message>(&alice, (text,))`, arguments type-checked the same way.
///
/// ```
/// use worldtube::{reducer, table, ReducerContext, Table};
/// use worldtube_host::{call, testing::TestDb};
///
/// #[table(name = greeting, public)]
/// pub struct Greeting {
///     text: String,
///     times: u32,
/// }
///
/// #[reducer]
/// pub fn greet(ctx: &ReducerContext, text: String, times: u32) {
///     ctx.db.greeting().insert(Greeting { text, times });
/// }
///
/// let mut db = TestDb::new();
/// let alice = db.connect("alice");
/// call!(db, &alice, greet("hello".to_string(), 3)).assert_ok();
/// assert_eq!(db.table_json("greeting")[0]["times"], 3);
/// ```
#[macro_export]
macro_rules! call {
    ($db:expr, $caller:expr, $($reducer:ident)::+ ($($arg:expr),* $(,)?)) => {
        $db.call::<$($reducer)::+>($caller, ($($arg,)*))
    };
}

/// The name whose identity is the database's own (who runs scheduled reducers).
pub const DATABASE: &str = "database";

/// The connection id of the `n`th connection made by the client called `name`: the same in
/// every test and every run.
pub fn connection_id(name: &str, n: u128) -> ConnectionId {
    let seed = Identity::from_claims("worldtube-test-connection", &format!("{name}#{n}"));
    ConnectionId::from_le_byte_array(seed.to_byte_array()[..16].try_into().expect("16 bytes"))
}

/// A database running the module under test.
pub struct TestDb {
    engine: Engine<NativeModule>,
    connections: u128,
}

/// How to set a [`TestDb`] up; start from [`TestDb::builder`].
#[derive(Debug, Clone)]
pub struct TestDbBuilder {
    owner: String,
    start_time: Timestamp,
    tick_per_call: TimeDuration,
}

impl Default for TestDbBuilder {
    fn default() -> Self {
        Self {
            owner: "owner".into(),
            // A fixed start, so that runs (and `ctx.rng()`, seeded from the time) repeat exactly.
            start_time: Timestamp::from_micros_since_unix_epoch(1_735_689_600_000_000), // 2025-01-01T00:00:00Z
            tick_per_call: TimeDuration::from_micros(1),
        }
    }
}

impl TestDbBuilder {
    /// The name of the owner, who runs `init` (default `"owner"`).
    pub fn owner(mut self, name: &str) -> Self {
        self.owner = name.into();
        self
    }

    /// When the clock starts (default 2025-01-01T00:00:00Z). `ctx.rng()` is seeded from the
    /// call's timestamp, so this is also the random seed.
    pub fn start_time(mut self, time: Timestamp) -> Self {
        self.start_time = time;
        self
    }

    /// How far the clock moves with each call (default 1 µs, so calls have distinct timestamps);
    /// `Duration::ZERO` stops it between explicit [`TestDb::advance`]s — and then calls made at
    /// the same instant draw the same numbers from `ctx.rng()`, which is seeded from the time.
    pub fn tick_per_call(mut self, tick: Duration) -> Self {
        self.tick_per_call = TimeDuration::from_duration(tick);
        self
    }

    /// The engine settings these choices amount to (also used by the `worldtube` CLI, so that
    /// its runs and native tests agree on identities and times).
    pub fn engine_options(&self) -> EngineOptions {
        EngineOptions {
            owner: TestDb::identity(&self.owner),
            database_identity: TestDb::identity(DATABASE),
            start_time: self.start_time,
            tick_per_call: self.tick_per_call,
        }
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
    pub fn try_build(self) -> Result<TestDb, EngineError> {
        let options = self.engine_options();
        let engine = Engine::install(NativeModule::new(), options)?;
        let def = engine.module_def();
        if def.tables.is_empty() && def.reducers.is_empty() {
            return Err(EngineError::EmptyModule);
        }
        Ok(TestDb { engine, connections: 0 })
    }
}

/// A named client: an identity and a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    name: String,
    identity: Identity,
    connection_id: ConnectionId,
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
        Identity::from_claims("worldtube-test", name)
    }

    /// A client called `name` with a new connection, not yet connected.
    pub fn client(&mut self, name: &str) -> Client {
        self.connections += 1;
        Client {
            name: name.into(),
            identity: Self::identity(name),
            connection_id: connection_id(name, self.connections),
        }
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
        let outcome = self.engine.connect(client.as_caller());
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
        match self.try_call_bytes(caller, R::NAME, bytes) {
            Ok(outcome) => outcome,
            Err(e) => panic!("{e}"),
        }
    }

    /// Calls reducer `reducer` by name with JSON arguments: an array in parameter order or an
    /// object by parameter name (see [`crate::json`] for how values are written).
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
    /// panicking.
    pub fn try_call_json(
        &mut self,
        caller: impl AsCaller,
        reducer: &str,
        args: &str,
    ) -> Result<CallOutcome, EngineError> {
        let json: Json = match serde_json::from_str(args) {
            Ok(json) => json,
            Err(e) => {
                let error = EngineError::InvalidArguments { reducer: reducer.into(), error: format!("not JSON: {e}") };
                self.engine.log_rejected_call(reducer, &error);
                return Err(error);
            }
        };
        let outcome = self.engine.call_json(reducer, caller.as_caller(), &json)?;
        Ok(self.wrap(outcome))
    }

    /// Calls reducer `reducer` with BSATN arguments.
    pub fn try_call_bytes(
        &mut self,
        caller: impl AsCaller,
        reducer: &str,
        args: Vec<u8>,
    ) -> Result<CallOutcome, EngineError> {
        let outcome = self.engine.call(reducer, caller.as_caller(), args)?;
        Ok(self.wrap(outcome))
    }

    /// Runs `f` against the committed state, through the module's own table accessors (a
    /// read-only view: changes `f` makes are rolled back). `ctx.sender` is the owner.
    pub fn read<T>(&mut self, f: impl FnOnce(&ReducerContext) -> T) -> T {
        let owner = self.engine.options().owner;
        self.engine.with_read_transaction(|now| f(&ReducerContext::__new(owner, None, now)))
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

    /// The module definition.
    pub fn module_def(&self) -> &RawModuleDefV9 {
        self.engine.module_def()
    }

    /// The engine underneath, for what this API does not cover.
    pub fn engine(&mut self) -> &mut Engine<NativeModule> {
        &mut self.engine
    }

    #[track_caller]
    fn table_id(&self, table: &str) -> crate::schema::TableId {
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
        CallOutcome { outcome: Box::new(outcome), schema: self.engine.schema().clone() }
    }
}

fn to_json(value: &AlgebraicValue, ty: &AlgebraicType, schema: &Schema) -> Json {
    serde_json::to_value(ValueWithType::new(value, ty, schema.typespace())).expect("values render as JSON")
}

/// A copy of a [`TestDb`]'s state.
#[derive(Debug, Clone)]
pub struct Snapshot(EngineSnapshot);

/// What one reducer call did: its result, log records, and rows inserted and deleted.
#[derive(Debug, Clone)]
pub struct CallOutcome {
    outcome: Box<Outcome>,
    schema: Arc<Schema>,
}

impl CallOutcome {
    /// Whether the call committed.
    pub fn is_ok(&self) -> bool {
        self.outcome.is_ok()
    }

    /// `Ok(())`, or the error (or panic) message.
    pub fn result(&self) -> Result<(), String> {
        self.outcome.result()
    }

    /// The error message if the reducer returned `Err` or panicked.
    pub fn error(&self) -> Option<&str> {
        match &self.outcome.status {
            Status::Committed => None,
            Status::Failed(m) | Status::Trapped(m) => Some(m),
        }
    }

    /// What the SpacetimeDB 1.3 server would return to the caller: `None` if the call
    /// committed, the reducer's error message, or for a panic or trap
    /// [`TRAP_MESSAGE`](crate::engine::TRAP_MESSAGE) (`"The Wasm instance encountered a fatal
    /// error."`) — the panic message itself is in [`error`](Self::error) and the logs.
    pub fn server_error(&self) -> Option<&str> {
        self.outcome.server_error()
    }

    /// Whether the reducer panicked (or the host trapped it), rather than returning.
    pub fn panicked(&self) -> bool {
        matches!(self.outcome.status, Status::Trapped(_))
    }

    /// Panics, showing the error and the call's log, unless the call committed.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(self.is_ok(), "`{}` failed: {}", self.outcome.reducer, self.describe());
        self
    }

    /// Panics unless the call failed with an error message containing `expected`.
    #[track_caller]
    pub fn assert_err(&self, expected: &str) -> &Self {
        match self.error() {
            Some(e) if e.contains(expected) => self,
            Some(e) => panic!("`{}` failed with {e:?}, not with {expected:?}", self.outcome.reducer),
            None => panic!("`{}` succeeded; expected an error containing {expected:?}", self.outcome.reducer),
        }
    }

    /// Panics unless the call failed with exactly this error message.
    #[track_caller]
    pub fn assert_err_eq(&self, expected: &str) -> &Self {
        match self.error() {
            Some(e) if e == expected => self,
            Some(e) => panic!("`{}` failed with {e:?}, not with {expected:?}", self.outcome.reducer),
            None => panic!("`{}` succeeded; expected the error {expected:?}", self.outcome.reducer),
        }
    }

    /// Whether this was a call of reducer `R` — e.g. to pick the `tick`s out of what
    /// [`TestDb::advance`] ran: `outcomes.iter().filter(|o| o.is::<tick>())`.
    pub fn is<R: ReducerInfo>(&self) -> bool {
        self.outcome.reducer == R::NAME
    }

    /// The log records the call emitted.
    pub fn logs(&self) -> &[LogRecord] {
        &self.outcome.logs
    }

    /// Whether some log record of the call contains `text`.
    pub fn logged(&self, text: &str) -> bool {
        self.outcome.logs.iter().any(|l| l.message.contains(text))
    }

    /// The rows the call inserted into `table`, decoded as `T`.
    #[track_caller]
    pub fn inserted<T: DecodeOwned>(&self, table: &str) -> Vec<T> {
        self.changed(table, true).iter().map(|row| decode_row(table, row)).collect()
    }

    /// The rows the call deleted from `table`, decoded as `T`.
    #[track_caller]
    pub fn deleted<T: DecodeOwned>(&self, table: &str) -> Vec<T> {
        self.changed(table, false).iter().map(|row| decode_row(table, row)).collect()
    }

    /// The rows the call inserted into `table`, as JSON.
    #[track_caller]
    pub fn inserted_json(&self, table: &str) -> Json {
        self.changed_json(table, true)
    }

    /// The rows the call deleted from `table`, as JSON.
    #[track_caller]
    pub fn deleted_json(&self, table: &str) -> Json {
        self.changed_json(table, false)
    }

    /// The call's timestamp.
    pub fn timestamp(&self) -> Timestamp {
        self.outcome.timestamp
    }

    /// The reducer that ran.
    pub fn reducer(&self) -> &str {
        &self.outcome.reducer
    }

    /// The engine's record of the call.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// The status and the log, for failure messages.
    fn describe(&self) -> String {
        let mut s = match &self.outcome.status {
            Status::Committed => "committed".to_string(),
            Status::Failed(m) => format!("returned an error: {m}"),
            Status::Trapped(m) => format!("panicked: {m}"),
        };
        for l in &self.outcome.logs {
            s.push_str(&format!("\n  [{:?}] {}", l.level, l.message));
        }
        s
    }

    #[track_caller]
    fn changed(&self, table: &str, inserted: bool) -> Vec<ProductValue> {
        let Some(id) = self.schema.table_id(table) else { panic!("no table named `{table}`") };
        self.outcome
            .changes
            .table(id)
            .map(|c| if inserted { &c.inserted } else { &c.deleted })
            .map(|rows| rows.iter().map(|r| r.value().clone()).collect())
            .unwrap_or_default()
    }

    #[track_caller]
    fn changed_json(&self, table: &str, inserted: bool) -> Json {
        let Some(id) = self.schema.table_id(table) else { panic!("no table named `{table}`") };
        let ty = AlgebraicType::Ref(self.schema.table(id).expect("id from the schema").row_type_ref);
        Json::Array(
            self.changed(table, inserted)
                .into_iter()
                .map(|row| to_json(&AlgebraicValue::Product(row), &ty, &self.schema))
                .collect(),
        )
    }
}

fn decode_row<T: DecodeOwned>(table: &str, row: &ProductValue) -> T {
    bsatn::from_slice(&bsatn::to_vec(row)).unwrap_or_else(|e| panic!("a changed `{table}` row is not this type: {e}"))
}
