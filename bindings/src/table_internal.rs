//! The traits behind table and index handles that `#[table]` implements: the table's name and
//! access, its indexes' names, its unique columns. Public (as `worldtube::table::*`, where the
//! official crate has them) because the public handles name them in their bounds; module code
//! does not implement them by hand.

use worldtube_lib::algebraic::SpacetimeType;
use worldtube_lib::bsatn::{DecodeOwned, Encode};
use worldtube_lib::raw_def::TableAccess;

/// A table handle's compile-time facts and the parts of its behaviour the macro generates.
pub trait TableInternal: Sized {
    /// The table's name in the database.
    const TABLE_NAME: &'static str;
    /// Public or private.
    const TABLE_ACCESS: TableAccess = TableAccess::Private;

    /// Writes the host's generated `auto_inc` values (BSATN, concatenated in column order) into
    /// the `auto_inc` fields of `row` that were zero.
    fn integrate_generated_columns(row: &mut <Self as crate::Table>::Row, generated: &[u8])
    where
        Self: crate::Table;

    /// The table's id, looked up by name.
    fn table_id() -> crate::TableId {
        table_id_cached(Self::TABLE_NAME)
    }
}

/// An index, known by its generated name.
pub trait Index {
    /// `{table}_{columns}_idx_{btree|direct}`.
    const INDEX_NAME: &'static str;

    /// Whether lookups by one key value use the point-scan imports (`spacetime_10.4`), as the
    /// 2.x SDK does; set by the macros for 2.x tables only.
    #[cfg(feature = "v2")]
    const POINT_SCAN: bool = false;

    /// How many columns the index keys (with `POINT_SCAN`: a lookup giving a value for each of
    /// them is a point scan).
    #[cfg(feature = "v2")]
    const NUM_COLS: usize = 0;

    /// The index's id, looked up by name.
    fn index_id() -> crate::sys::IndexId {
        index_id_cached(Self::INDEX_NAME)
    }
}

/// A unique column, for `UniqueColumn`.
pub trait Column {
    /// The table handle.
    type Table: crate::Table;
    /// The column's type.
    type ColType: SpacetimeType + Encode + DecodeOwned;
    /// The column's name.
    const COLUMN_NAME: &'static str;
    /// The column's value in `row`.
    fn get_field(row: &<Self::Table as crate::Table>::Row) -> &Self::ColType;
}

// Ids are fixed for the life of a wasm instance, so wasm caches them (in a short list: a hash map
// would cost kilobytes of wasm). Natively one process runs many hosts (one per test), which need
// not agree, so every lookup asks the current host.
#[cfg(target_arch = "wasm32")]
// Ids are `u32`s here (not generic over the id type), so table and index lookups share one copy.
#[inline(never)]
fn cached(cache: &std::sync::Mutex<Vec<(&'static str, u32)>>, name: &'static str, lookup: fn(&str) -> u32) -> u32 {
    let mut cache = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(&(_, id)) = cache.iter().find(|(n, _)| *n == name) {
        return id;
    }
    let id = lookup(name);
    cache.push((name, id));
    id
}

#[cfg(target_arch = "wasm32")]
fn table_id_cached(name: &'static str) -> crate::TableId {
    static CACHE: std::sync::Mutex<Vec<(&str, u32)>> = std::sync::Mutex::new(Vec::new());
    crate::TableId(cached(&CACHE, name, |name| crate::table_id_from_name(name).0))
}
#[cfg(not(target_arch = "wasm32"))]
fn table_id_cached(name: &'static str) -> crate::TableId {
    crate::table_id_from_name(name)
}

#[cfg(target_arch = "wasm32")]
fn index_id_cached(name: &'static str) -> crate::sys::IndexId {
    static CACHE: std::sync::Mutex<Vec<(&str, u32)>> = std::sync::Mutex::new(Vec::new());
    crate::sys::IndexId(cached(&CACHE, name, |name| index_id_from_name(name).0))
}
#[cfg(not(target_arch = "wasm32"))]
fn index_id_cached(name: &'static str) -> crate::sys::IndexId {
    index_id_from_name(name)
}

fn index_id_from_name(name: &str) -> crate::sys::IndexId {
    crate::sys::index_id_from_name(name).unwrap_or_else(|e| panic!("index `{name}` not found: {e}"))
}
