//! Placeholder for the SQL evaluator (being written on branch `sql-eval`): refuses every query.

use std::sync::Arc;

use crate::datastore::{Datastore, Row};
use crate::schema::TableId;

/// The rows a query selected, and the table they come from.
#[derive(Debug, Clone)]
pub struct QueryRows {
    /// The table.
    pub table: TableId,
    /// The rows, in scan order.
    pub rows: Vec<Arc<Row>>,
}

/// Why a query could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlError {
    /// Not supported yet.
    Unsupported(String),
}

impl std::fmt::Display for SqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SqlError::Unsupported(what) => write!(f, "unsupported: {what}"),
        }
    }
}

/// The rows of `datastore` that `sql` selects.
pub fn run_query(_datastore: &Datastore, sql: &str) -> Result<QueryRows, SqlError> {
    Err(SqlError::Unsupported(sql.to_owned()))
}
