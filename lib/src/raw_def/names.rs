//! The names the host gives unnamed indexes, constraints, sequences and schedules.
//!
//! The SDK sends `name: None` for all of these and later finds its indexes by the generated name
//! (the host's `index_id_from_name`), so these functions must reproduce the host's scheme exactly:
//!
//! | definition | generated name |
//! |---|---|
//! | index | `{table}_{col}_{col}…_idx_{btree,hash,direct}` |
//! | unique constraint | `{table}_{col}_{col}…_key` |
//! | sequence | `{table}_{col}_seq` |
//! | schedule | `{table}_sched` |
//!
//! Columns are named after the row product's element names, in the listed order, joined by `_`;
//! an unnamed or out-of-range column is called `col_{n}`.

use super::{ColList, RawIndexAlgorithm};
use crate::algebraic::ProductType;
use std::borrow::Cow;

/// The name used for column `col` of `row` in generated names: its element name, or `col_{n}`.
///
/// ```
/// use worldtube_lib::algebraic::{AlgebraicType, ProductType};
/// use worldtube_lib::raw_def::column_name;
/// let row = ProductType::new([(Some("id"), AlgebraicType::U64), (None, AlgebraicType::U8)]);
/// assert_eq!(column_name(&row, 0), "id");
/// assert_eq!(column_name(&row, 1), "col_1");
/// assert_eq!(column_name(&row, 9), "col_9");
/// ```
pub fn column_name(row: &ProductType, col: u16) -> Cow<'_, str> {
    match row.elements.get(usize::from(col)).and_then(|e| e.name.as_deref()) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(format!("col_{col}")),
    }
}

fn joined_column_names(row: &ProductType, cols: impl IntoIterator<Item = u16>) -> String {
    let names: Vec<Cow<'_, str>> = cols.into_iter().map(|c| column_name(row, c)).collect();
    names.join("_")
}

/// The host's name for an index without an explicit name: `{table}_{cols}_idx_{algorithm}`.
///
/// ```
/// use worldtube_lib::algebraic::{AlgebraicType, ProductType};
/// use worldtube_lib::raw_def::{generated_index_name, RawIndexAlgorithm};
/// let row = ProductType::new([(Some("id"), AlgebraicType::U64), (Some("level"), AlgebraicType::U8)]);
/// assert_eq!(generated_index_name("player", &row, &RawIndexAlgorithm::btree([1, 0])), "player_level_id_idx_btree");
/// assert_eq!(generated_index_name("player", &row, &RawIndexAlgorithm::direct(1)), "player_level_idx_direct");
/// ```
pub fn generated_index_name(table: &str, row: &ProductType, algorithm: &RawIndexAlgorithm) -> String {
    let cols = joined_column_names(row, algorithm.columns().iter());
    format!("{table}_{cols}_idx_{}", algorithm.label())
}

/// [`generated_index_name`] from column names alone, for code that knows the names but not the
/// row type (such as a derive macro). `label` is `"btree"`, `"hash"` or `"direct"`.
///
/// ```
/// use worldtube_lib::raw_def::index_name_from_column_names;
/// assert_eq!(index_name_from_column_names("player", ["level", "score"], "btree"), "player_level_score_idx_btree");
/// ```
pub fn index_name_from_column_names<'a>(
    table: &str,
    columns: impl IntoIterator<Item = &'a str>,
    label: &str,
) -> String {
    let cols: Vec<&str> = columns.into_iter().collect();
    format!("{table}_{}_idx_{label}", cols.join("_"))
}

/// The host's name for a unique constraint without an explicit name: `{table}_{cols}_key`.
pub fn generated_unique_constraint_name(table: &str, row: &ProductType, columns: &ColList) -> String {
    format!("{table}_{}_key", joined_column_names(row, columns.iter()))
}

/// The host's name for a sequence without an explicit name: `{table}_{col}_seq`.
pub fn generated_sequence_name(table: &str, row: &ProductType, column: u16) -> String {
    format!("{table}_{}_seq", column_name(row, column))
}

/// The host's name for a schedule without an explicit name: `{table}_sched`.
pub fn generated_schedule_name(table: &str) -> String {
    format!("{table}_sched")
}
