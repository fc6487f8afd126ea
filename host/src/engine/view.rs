//! Views (2.x modules): read-only functions of the committed state (and, unless anonymous, of
//! the caller) whose rows clients read like a table's.
//!
//! A view is evaluated when it is read: the module's `__call_view__` (or `__call_view_anon__`)
//! runs in a transaction at the current time that is rolled back afterwards, so a view changes
//! nothing. Its result is either its rows, or SQL (a query view: the typed query builder's
//! text), which the host runs against the committed state ([`crate::sql`]).
//!
//! Results are kept per view and reader (one entry for an anonymous view, whoever reads it),
//! with what they depend on: the tables the view's code read (recorded by the host), or, for a
//! query view, every table. A committed transaction that changed none of those tables leaves the
//! result as it is; one that did makes the next read evaluate the view again. Readers may
//! subscribe ([`Engine::subscribe_view`]): after each committed transaction, the subscribed views
//! it could have changed are evaluated again, and what changed is in the call's outcome
//! ([`Outcome::view_changes`](super::Outcome::view_changes)), as a subscribed client is sent it.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue};
use worldtube_lib::bsatn::{self, Reader};
use worldtube_lib::Identity;

use super::Engine;
use crate::datastore::TxChanges;
use crate::runtime::{ModuleInstance, ViewCall, ViewResult, ERROR_SINK};
use crate::schema::{TableId, ViewId, ViewSchema};

/// A view and the reader its result is for (`None` for an anonymous view).
type ViewKey = (ViewId, Option<Identity>);

/// What a committed transaction changed in a view a reader subscribed to: the rows it gained and
/// lost, as the reader is sent them.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewChange {
    /// The view's canonical name.
    pub view: String,
    /// Who subscribed (`None`: an anonymous view, the same for every reader).
    pub reader: Option<Identity>,
    /// Rows it has now and did not have before.
    pub inserted: Vec<ProductValue>,
    /// Rows it had before and does not have now.
    pub deleted: Vec<ProductValue>,
}

/// The engine's kept view results, table versions and subscriptions.
#[derive(Debug, Default, Clone)]
pub(super) struct Views {
    /// Per table, how many committed transactions changed it.
    table_versions: HashMap<TableId, u64>,
    /// How many committed transactions changed anything.
    version: u64,
    cache: HashMap<ViewKey, Cached>,
    subscriptions: Vec<ViewKey>,
    /// How many times a view's code (or query) ran.
    evaluations: u64,
}

#[derive(Debug, Clone)]
struct Cached {
    rows: Vec<ProductValue>,
    depends: Depends,
}

/// What a kept result depends on.
#[derive(Debug, Clone)]
enum Depends {
    /// These tables, at these versions.
    Tables(Vec<(TableId, u64)>),
    /// Everything, as of this version (a query view).
    Everything(u64),
}

impl Views {
    /// Records a committed transaction's changes.
    pub(super) fn committed(&mut self, changes: &TxChanges) {
        if changes.tables.is_empty() {
            return;
        }
        self.version += 1;
        for table in &changes.tables {
            *self.table_versions.entry(table.table).or_default() += 1;
        }
    }

    /// Forgets every kept result (the state was replaced wholesale).
    pub(super) fn invalidate(&mut self) {
        self.cache.clear();
        self.version += 1;
        for version in self.table_versions.values_mut() {
            *version += 1;
        }
    }

    fn fresh(&self, key: &ViewKey) -> Option<&Cached> {
        let cached = self.cache.get(key)?;
        let fresh = match &cached.depends {
            Depends::Tables(tables) => {
                tables.iter().all(|(t, v)| self.table_versions.get(t).copied().unwrap_or(0) == *v)
            }
            Depends::Everything(version) => *version == self.version,
        };
        fresh.then_some(cached)
    }

    fn depends_on(&self, tables: &BTreeSet<TableId>) -> Depends {
        Depends::Tables(tables.iter().map(|t| (*t, self.table_versions.get(t).copied().unwrap_or(0))).collect())
    }
}

/// The tag of `ViewResultHeader::RowData`: the rows follow.
const HEADER_ROW_DATA: u8 = 0;
/// The tag of `ViewResultHeader::RawSql`: a string of SQL follows.
const HEADER_RAW_SQL: u8 = 1;

/// Why a view could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewError {
    /// No view has this name (or the reader may not read it: a private view is the owner's).
    NoSuchView(String),
    /// A per-sender view was read without a caller.
    NeedsCaller(String),
    /// The view panicked or trapped: the message.
    Trapped {
        /// The view.
        view: String,
        /// What happened.
        message: String,
    },
    /// The view's result is not what the host reads (wrong return code, rows that do not decode,
    /// SQL the host cannot run).
    BadResult {
        /// The view.
        view: String,
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViewError::NoSuchView(name) => write!(f, "the module has no view named `{name}`"),
            ViewError::NeedsCaller(name) => {
                write!(f, "`{name}` is computed per caller: read it as a client (it is not anonymous)")
            }
            ViewError::Trapped { view, message } => write!(f, "the view `{view}` panicked: {message}"),
            ViewError::BadResult { view, message } => write!(f, "the view `{view}` returned a bad result: {message}"),
        }
    }
}

impl std::error::Error for ViewError {}

/// What a view gave a reader.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewRows {
    /// The view's id.
    pub view: ViewId,
    /// Its rows, in the order the view (or its query) produced them.
    pub rows: Vec<ProductValue>,
}

impl<M: ModuleInstance> Engine<M> {
    /// Reads view `name` (its canonical name) as `reader` (`None`: anonymously, which only an
    /// anonymous view allows): its rows for the committed state, evaluated at the current time
    /// unless a kept result is still valid (one per view and reader, kept until a commit changes a
    /// table it read). A private view may only be read by the owner. The clock does not move.
    pub fn read_view(&mut self, name: &str, reader: Option<Identity>) -> Result<ViewRows, ViewError> {
        let key = self.view_key(name, reader)?;
        self.view_rows(key)
    }

    /// Reads view `name` as `reader` (see [`read_view`](Self::read_view)) and subscribes the
    /// reader to it: from now on, every committed transaction that changes its rows reports the
    /// change in its outcome.
    pub fn subscribe_view(&mut self, name: &str, reader: Option<Identity>) -> Result<ViewRows, ViewError> {
        let key = self.view_key(name, reader)?;
        let rows = self.view_rows(key)?;
        if !self.views.subscriptions.contains(&key) {
            self.views.subscriptions.push(key);
        }
        Ok(rows)
    }

    /// Ends a subscription made with [`subscribe_view`](Self::subscribe_view); whether there was one.
    pub fn unsubscribe_view(&mut self, name: &str, reader: Option<Identity>) -> bool {
        let Ok(key) = self.view_key(name, reader) else { return false };
        let before = self.views.subscriptions.len();
        self.views.subscriptions.retain(|k| *k != key);
        before != self.views.subscriptions.len()
    }

    /// How many times a view's code (or a query view's SQL) has run so far: kept results that
    /// were still valid do not count.
    pub fn view_evaluations(&self) -> u64 {
        self.views.evaluations
    }

    /// The view and effective reader for reading `name` as `reader`.
    fn view_key(&self, name: &str, reader: Option<Identity>) -> Result<ViewKey, ViewError> {
        let no_such = || ViewError::NoSuchView(name.to_owned());
        let view = self.schema.view_id(name).and_then(|id| self.schema.view(id)).ok_or_else(no_such)?;
        if !view.is_public && reader.is_some_and(|r| r != self.options.owner) {
            return Err(no_such());
        }
        match (view.is_anonymous, reader) {
            (true, _) => Ok((view.id, None)),
            (false, Some(reader)) => Ok((view.id, Some(reader))),
            (false, None) => Err(ViewError::NeedsCaller(name.to_owned())),
        }
    }

    /// The rows of `key`: kept, or evaluated now (and kept).
    fn view_rows(&mut self, key: ViewKey) -> Result<ViewRows, ViewError> {
        if let Some(cached) = self.views.fresh(&key) {
            return Ok(ViewRows { view: key.0, rows: cached.rows.clone() });
        }
        let view = self.schema.view(key.0).expect("keys come from the schema").clone();
        let (result, reads) = self.run_view(&view, key.1);
        let rows = self.view_result(&view, result)?;
        self.views.evaluations += 1;
        let depends = match view.is_query {
            true => Depends::Everything(self.views.version),
            false => self.views.depends_on(&reads),
        };
        self.views.cache.insert(key, Cached { rows: rows.rows.clone(), depends });
        Ok(rows)
    }

    /// After a committed transaction: records its changes, and evaluates again the subscribed
    /// views it may have changed; what changed in them.
    pub(super) fn after_commit(&mut self, changes: &TxChanges) -> Vec<ViewChange> {
        self.views.committed(changes);
        let mut view_changes = Vec::new();
        for key in self.views.subscriptions.clone() {
            if self.views.fresh(&key).is_some() {
                continue;
            }
            let before = self.views.cache.get(&key).map(|c| c.rows.clone()).unwrap_or_default();
            // A view that fails now reports nothing; reading it says why.
            let Ok(after) = self.view_rows(key) else { continue };
            let (inserted, deleted) = row_diff(&before, &after.rows);
            if !inserted.is_empty() || !deleted.is_empty() {
                let view = self.schema.view(key.0).expect("keys come from the schema").name.clone();
                view_changes.push(ViewChange { view, reader: key.1, inserted, deleted });
            }
        }
        view_changes
    }

    /// Runs the view's export in a transaction at the current time, rolled back afterwards; its
    /// result and the tables it read.
    fn run_view(&mut self, view: &ViewSchema, sender: Option<Identity>) -> (ViewResult, BTreeSet<TableId>) {
        let mut host = self.host.take().expect("the host is only taken during a call");
        let tx = self.datastore.take().expect("the datastore is only taken during a call").begin(self.now);
        let args_source = host.begin_call(Some(tx), Vec::new());
        host.track_reads();
        let call =
            ViewCall { id: view.index, sender: sender.map(|s| s.to_byte_array()), args_source, sink: ERROR_SINK };
        let (mut host, result) = self.module.call_view(host, call);
        let reads = host.take_reads();
        let end = host.end_call();
        self.host = Some(host);
        self.datastore = Some(end.tx.expect("the transaction is still installed").rollback());
        // A view's log records go to the database log, as a call's do.
        self.logs.extend(end.logs);
        (result, reads)
    }

    /// The rows a view's result stands for.
    fn view_result(&self, view: &ViewSchema, result: ViewResult) -> Result<ViewRows, ViewError> {
        let bad = |message: String| ViewError::BadResult { view: view.name.clone(), message };
        let bytes = match result {
            ViewResult::Trap(message) => return Err(ViewError::Trapped { view: view.name.clone(), message }),
            ViewResult::Returned { code: 0, bytes } => return self.decode_rows(view, &bytes).map_err(bad),
            ViewResult::Returned { code: 2, bytes } => bytes,
            ViewResult::Returned { code, .. } => {
                return Err(bad(format!("unexpected return code {code}, expected 0 or 2")))
            }
        };
        match bytes.split_first() {
            Some((&HEADER_ROW_DATA, rows)) => self.decode_rows(view, rows).map_err(bad),
            Some((&HEADER_RAW_SQL, sql)) => {
                let sql: String = bsatn::from_slice(sql).map_err(|e| bad(format!("its SQL does not decode: {e}")))?;
                let found = crate::sql::run_query(self.datastore(), &sql).map_err(|e| bad(format!("{sql}: {e}")))?;
                Ok(ViewRows { view: view.id, rows: found.rows.iter().map(|r| r.value().clone()).collect() })
            }
            Some((tag, _)) => Err(bad(format!("unknown result header tag {tag}"))),
            None => Err(bad("the result is empty".to_owned())),
        }
    }

    /// A BSATN array of rows of the view's row type, and nothing after it.
    fn decode_rows(&self, view: &ViewSchema, bytes: &[u8]) -> Result<ViewRows, String> {
        let array = AlgebraicType::array(AlgebraicType::Ref(view.row_type_ref));
        let mut reader = Reader::new(bytes);
        let value = AlgebraicValue::decode(&array, self.schema.typespace(), &mut reader)
            .map_err(|e| format!("its rows do not decode: {e}"))?;
        if reader.remaining() != 0 {
            return Err(format!("{} bytes follow its rows", reader.remaining()));
        }
        let rows = match value {
            AlgebraicValue::Array(items) => items
                .into_vec()
                .into_iter()
                .map(|item| match item {
                    AlgebraicValue::Product(row) => Ok(row),
                    _ => Err("a row is not a product".to_owned()),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err("the rows are not an array".to_owned()),
        };
        Ok(ViewRows { view: view.id, rows })
    }
}

/// The rows of `after` not in `before`, and of `before` not in `after` (as multisets, by value).
fn row_diff(before: &[ProductValue], after: &[ProductValue]) -> (Vec<ProductValue>, Vec<ProductValue>) {
    let mut unmatched: HashMap<Vec<u8>, Vec<&ProductValue>> = HashMap::new();
    for row in before {
        unmatched.entry(bsatn::to_vec(row)).or_default().push(row);
    }
    let mut inserted = Vec::new();
    for row in after {
        match unmatched.get_mut(&bsatn::to_vec(row)).and_then(Vec::pop) {
            Some(_) => {}
            None => inserted.push(row.clone()),
        }
    }
    // Keep the deleted rows in their order in `before`.
    let mut left: HashMap<Vec<u8>, usize> = unmatched.into_iter().map(|(k, v)| (k, v.len())).collect();
    let deleted = before
        .iter()
        .filter(|row| match left.get_mut(&bsatn::to_vec(*row)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .cloned()
        .collect();
    (inserted, deleted)
}
