//! Views (2.x modules): read-only functions of the committed state (and, unless anonymous, of
//! the caller) whose rows clients read like a table's.
//!
//! A view is evaluated when it is read: the module's `__call_view__` (or `__call_view_anon__`)
//! runs in a transaction at the current time that is rolled back afterwards, so a view changes
//! nothing. Its result is either its rows, or SQL (a query view: the typed query builder's
//! text), which the host runs against the committed state ([`crate::sql`]). Reading a view after
//! each committed transaction gives what a subscribed client holds after it: the result is a
//! function of the committed state and the caller only.

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue};
use worldtube_lib::bsatn::{self, Reader};
use worldtube_lib::Identity;

use super::Engine;
use crate::runtime::{ModuleInstance, ViewCall, ViewResult, ERROR_SINK};
use crate::schema::{ViewId, ViewSchema};
use std::fmt;

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
    /// anonymous view allows): evaluates it against the committed state at the current time.
    /// A private view may only be read by the owner. The clock does not move.
    pub fn read_view(&mut self, name: &str, reader: Option<Identity>) -> Result<ViewRows, ViewError> {
        let no_such = || ViewError::NoSuchView(name.to_owned());
        let view = self.schema.view_id(name).and_then(|id| self.schema.view(id)).ok_or_else(no_such)?.clone();
        if !view.is_public && reader.is_some_and(|r| r != self.options.owner) {
            return Err(no_such());
        }
        let sender = match (view.is_anonymous, reader) {
            (true, _) => None,
            (false, Some(reader)) => Some(reader),
            (false, None) => return Err(ViewError::NeedsCaller(name.to_owned())),
        };
        let result = self.run_view(&view, sender);
        self.view_result(&view, result)
    }

    /// Runs the view's export in a transaction at the current time, rolled back afterwards.
    fn run_view(&mut self, view: &ViewSchema, sender: Option<Identity>) -> ViewResult {
        let mut host = self.host.take().expect("the host is only taken during a call");
        let tx = self.datastore.take().expect("the datastore is only taken during a call").begin(self.now);
        let args_source = host.begin_call(Some(tx), Vec::new());
        let call =
            ViewCall { id: view.index, sender: sender.map(|s| s.to_byte_array()), args_source, sink: ERROR_SINK };
        let (mut host, result) = self.module.call_view(host, call);
        let end = host.end_call();
        self.host = Some(host);
        self.datastore = Some(end.tx.expect("the transaction is still installed").rollback());
        // A view's log records go to the database log, as a call's do.
        self.logs.extend(end.logs);
        result
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
