//! Table handles: the `Table` trait every table handle implements, and the unique-column and
//! ranged-index handles its accessors return.

use crate::__private::{Column, Index, TableInternal};
use crate::filterable::{FilterableValue, IndexScanRangeArgs, IndexScanRangeBounds};
use crate::sys::{self, Errno};
use crate::SpacetimeType;
use std::borrow::Borrow;
use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Bound;
use worldline_lib::bsatn::{self, DecodeOwned, Encode, Reader};

/// A table of the database, as reached through `ctx.db.<table>()`.
///
/// ```
/// use worldline::{reducer, table, ReducerContext, Table};
///
/// #[table(name = note)]
/// pub struct Note {
///     #[primary_key]
///     #[auto_inc]
///     id: u64,
///     text: String,
/// }
///
/// #[reducer]
/// pub fn jot(ctx: &ReducerContext, text: String) {
///     let note = ctx.db.note().insert(Note { id: 0, text });
///     assert_eq!(note.id as u64, ctx.db.note().count()); // ids come from the auto_inc sequence
///     assert!(ctx.db.note().iter().any(|n| n.id == note.id));
///     assert!(ctx.db.note().delete(note));
/// }
///
/// # let mut db = worldline_host::testing::TestDb::new();
/// # db.call::<jot>(worldline_host::testing::TestDb::identity("me"), ("hello".to_string(),)).assert_ok();
/// ```
pub trait Table: TableInternal {
    /// The row type: the struct the `#[table]` attribute was put on.
    type Row: SpacetimeType + Encode + DecodeOwned + Sized + 'static;

    /// [`UniqueConstraintViolation`] if the table has a unique column, else `Infallible`.
    type UniqueConstraintViolation: MaybeError<UniqueConstraintViolation>;
    /// [`AutoIncOverflow`] if the table has an `auto_inc` column, else `Infallible`.
    type AutoIncOverflow: MaybeError<AutoIncOverflow>;

    /// How many rows the table has, as this transaction sees it.
    fn count(&self) -> u64 {
        sys::datastore_table_row_count(Self::table_id())
            .unwrap_or_else(|e| panic!("counting rows of `{}` failed: {e}", Self::TABLE_NAME))
    }

    /// Every row, in no particular order. The rows are those present when the iteration starts.
    fn iter(&self) -> impl Iterator<Item = Self::Row> {
        let rows = sys::datastore_table_scan_bsatn(Self::table_id())
            .unwrap_or_else(|e| panic!("scanning `{}` failed: {e}", Self::TABLE_NAME));
        TableIter::new(rows)
    }

    /// Inserts `row` and returns it with its `auto_inc` columns filled in.
    ///
    /// # Panics
    /// If a unique column's value is already taken (use [`try_insert`](Self::try_insert) to
    /// handle that).
    #[track_caller]
    fn insert(&self, row: Self::Row) -> Self::Row {
        self.try_insert(row).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Inserts `row` and returns it with its `auto_inc` columns filled in, or the constraint it
    /// violated. Inserting a row identical to an existing one changes nothing and succeeds.
    #[track_caller]
    fn try_insert(&self, row: Self::Row) -> Result<Self::Row, TryInsertError<Self>> {
        insert::<Self>(row)
    }

    /// Deletes the row equal to `row`, if there is one; says whether there was.
    fn delete(&self, row: Self::Row) -> bool {
        // The host deletes by an array of rows; this is an array of one.
        let relation = bsatn::to_vec(std::slice::from_ref(&row));
        let deleted = sys::datastore_delete_all_by_eq_bsatn(Self::table_id(), &relation)
            .unwrap_or_else(|e| panic!("deleting from `{}` failed: {e}", Self::TABLE_NAME));
        deleted > 0
    }
}

#[track_caller]
fn insert<T: Table>(mut row: T::Row) -> Result<T::Row, TryInsertError<T>> {
    let mut buf = bsatn::to_vec(&row);
    match sys::datastore_insert_bsatn(T::table_id(), &mut buf) {
        Ok(generated) => {
            T::integrate_generated_columns(&mut row, generated);
            Ok(row)
        }
        Err(e) => Err(insert_error::<T>(e, "insert")),
    }
}

#[track_caller]
fn insert_error<T: Table>(e: Errno, operation: &str) -> TryInsertError<T> {
    let error = match e {
        Errno::UNIQUE_ALREADY_EXISTS => {
            T::UniqueConstraintViolation::get().map(TryInsertError::UniqueConstraintViolation)
        }
        _ => None,
    };
    error.unwrap_or_else(|| panic!("unexpected error from {operation} into `{}`: {e}", T::TABLE_NAME))
}

/// The rows of a scan, decoded as they are read.
pub struct TableIter<Row> {
    rows: sys::RowIter,
    batch: Vec<u8>,
    pos: usize,
    _row: PhantomData<Row>,
}

impl<Row: DecodeOwned> TableIter<Row> {
    pub(crate) fn new(rows: sys::RowIter) -> Self {
        Self { rows, batch: Vec::new(), pos: 0, _row: PhantomData }
    }
}

impl<Row: DecodeOwned> Iterator for TableIter<Row> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        while self.pos == self.batch.len() {
            let batch = self.rows.next_batch().unwrap_or_else(|e| panic!("reading rows failed: {e}"))?;
            self.batch.clear();
            self.batch.extend_from_slice(batch);
            self.pos = 0;
        }
        let mut r = Reader::new(&self.batch[self.pos..]);
        let row = Row::decode(&mut r).unwrap_or_else(|e| panic!("the host sent a row that does not decode: {e}"));
        self.pos += r.offset();
        Some(row)
    }
}

impl<Row> TableIter<Row> {
    /// Whether every row has been read.
    pub fn is_exhausted(&self) -> bool {
        self.rows.is_exhausted() && self.pos == self.batch.len()
    }
}

/// Inserting a row failed because a unique column's value is already taken.
#[derive(Debug)]
#[non_exhaustive]
pub struct UniqueConstraintViolation;

impl fmt::Display for UniqueConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("duplicate unique column")
    }
}
impl std::error::Error for UniqueConstraintViolation {}

/// Inserting a row failed because an `auto_inc` column ran out of values.
#[derive(Debug)]
#[non_exhaustive]
pub struct AutoIncOverflow;

impl fmt::Display for AutoIncOverflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("auto-inc sequence overflowed its column type")
    }
}
impl std::error::Error for AutoIncOverflow {}

/// Why [`Table::try_insert`] failed. Displays as the official SDK's message, e.g.
/// ``insertion error on table `player`:duplicate unique column``.
pub enum TryInsertError<Tbl: Table> {
    /// A unique column's value was already taken.
    UniqueConstraintViolation(Tbl::UniqueConstraintViolation),
    /// An `auto_inc` column ran out of values.
    AutoIncOverflow(Tbl::AutoIncOverflow),
}

impl<Tbl: Table> fmt::Debug for TryInsertError<Tbl> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TryInsertError::<{}>::", Tbl::TABLE_NAME)?;
        match self {
            Self::UniqueConstraintViolation(e) => fmt::Debug::fmt(e, f),
            Self::AutoIncOverflow(e) => fmt::Debug::fmt(e, f),
        }
    }
}

impl<Tbl: Table> fmt::Display for TryInsertError<Tbl> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No space after the colon: the official message has none, and servers' logs show it so.
        write!(f, "insertion error on table `{}`:", Tbl::TABLE_NAME)?;
        match self {
            Self::UniqueConstraintViolation(e) => fmt::Display::fmt(e, f),
            Self::AutoIncOverflow(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<Tbl: Table> std::error::Error for TryInsertError<Tbl> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(match self {
            Self::UniqueConstraintViolation(e) => e,
            Self::AutoIncOverflow(e) => e,
        })
    }
}

impl<Tbl: Table> From<TryInsertError<Tbl>> for String {
    fn from(err: TryInsertError<Tbl>) -> Self {
        err.to_string()
    }
}

/// An error type a table may or may not be able to produce (`Infallible` when it cannot).
#[doc(hidden)]
pub trait MaybeError<E = Self>: std::error::Error + Send + Sync + Sized + 'static {
    /// The error, if this type represents one.
    fn get() -> Option<Self>;
}
impl<E> MaybeError<E> for Infallible {
    fn get() -> Option<Self> {
        None
    }
}
impl MaybeError for UniqueConstraintViolation {
    fn get() -> Option<Self> {
        Some(UniqueConstraintViolation)
    }
}
impl MaybeError for AutoIncOverflow {
    fn get() -> Option<Self> {
        Some(AutoIncOverflow)
    }
}

/// A unique column of a table: look rows up, delete or update them by its value.
pub struct UniqueColumn<Tbl, ColType, Col> {
    _marker: PhantomData<(Tbl, ColType, Col)>,
}

impl<Tbl: Table, Col: Index + Column<Table = Tbl>> UniqueColumn<Tbl, Col::ColType, Col> {
    #[doc(hidden)]
    pub const __NEW: Self = Self { _marker: PhantomData };

    /// The row whose column equals `value`, if any.
    pub fn find(&self, value: impl Borrow<Col::ColType>) -> Option<Tbl::Row>
    where
        for<'a> &'a Col::ColType: FilterableValue,
    {
        let args = point_args(value.borrow());
        let (prefix, prefix_elems, rstart, rend) = args.for_syscall();
        let rows = sys::datastore_index_scan_range_bsatn(Col::index_id(), prefix, prefix_elems, rstart, rend)
            .unwrap_or_else(|e| panic!("looking up `{}` by `{}` failed: {e}", Tbl::TABLE_NAME, Col::COLUMN_NAME));
        let mut rows = TableIter::new(rows);
        let row = rows.next();
        debug_assert!(rows.next().is_none(), "a unique column matched more than one row");
        row
    }

    /// Deletes the row whose column equals `value`; says whether there was one.
    pub fn delete(&self, value: impl Borrow<Col::ColType>) -> bool
    where
        for<'a> &'a Col::ColType: FilterableValue,
    {
        let args = point_args(value.borrow());
        let (prefix, prefix_elems, rstart, rend) = args.for_syscall();
        let deleted =
            sys::datastore_delete_by_index_scan_range_bsatn(Col::index_id(), prefix, prefix_elems, rstart, rend)
                .unwrap_or_else(|e| {
                    panic!("deleting from `{}` by `{}` failed: {e}", Tbl::TABLE_NAME, Col::COLUMN_NAME)
                });
        deleted > 0
    }

    /// Replaces the row whose column equals `row`'s with `row`, returning it with any `auto_inc`
    /// columns that were zero filled in.
    ///
    /// # Panics
    /// If no row has that value, or the new row violates another unique column.
    #[track_caller]
    pub fn update(&self, mut row: Tbl::Row) -> Tbl::Row {
        let mut buf = bsatn::to_vec(&row);
        match sys::datastore_update_bsatn(Tbl::table_id(), Col::index_id(), &mut buf) {
            Ok(generated) => {
                Tbl::integrate_generated_columns(&mut row, generated);
                row
            }
            Err(e) => panic!(
                "updating `{}` by `{}` failed: {}",
                Tbl::TABLE_NAME,
                Col::COLUMN_NAME,
                match e {
                    Errno::NO_SUCH_ROW => "no row has this value".to_string(),
                    Errno::UNIQUE_ALREADY_EXISTS => "the new row duplicates another unique column".to_string(),
                    e => e.to_string(),
                }
            ),
        }
    }

    /// Deletes the row whose column equals `row`'s, if any, then inserts `row`.
    #[cfg(feature = "unstable")]
    #[track_caller]
    pub fn try_insert_or_update(&self, row: Tbl::Row) -> Result<Tbl::Row, TryInsertError<Tbl>>
    where
        for<'a> &'a Col::ColType: FilterableValue,
    {
        let _ = self.delete(Col::get_field(&row));
        insert::<Tbl>(row)
    }

    /// Like [`try_insert_or_update`](Self::try_insert_or_update), panicking on error.
    #[cfg(feature = "unstable")]
    #[track_caller]
    pub fn insert_or_update(&self, row: Tbl::Row) -> Tbl::Row
    where
        for<'a> &'a Col::ColType: FilterableValue,
    {
        self.try_insert_or_update(row).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// The scan arguments for "key column equals `value`".
fn point_args<T: Encode + ?Sized>(value: &T) -> IndexScanRangeArgs {
    let mut data = Vec::new();
    Bound::Included(value).encode(&mut data);
    IndexScanRangeArgs { data, prefix_elems: 0, rstart_idx: 0, rend_idx: None }
}

/// A B-tree (or direct) index: rows by key value, key prefix or range.
pub struct RangedIndex<Tbl: Table, IndexType, Idx: Index> {
    _marker: PhantomData<(Tbl, IndexType, Idx)>,
}

impl<Tbl: Table, IndexType, Idx: Index> RangedIndex<Tbl, IndexType, Idx> {
    #[doc(hidden)]
    pub const __NEW: Self = Self { _marker: PhantomData };

    /// The rows matching `bounds`, in index order: a value or range for the first key column, or
    /// a tuple of values for leading columns optionally ending in a range for the next one.
    pub fn filter<B, K>(&self, bounds: B) -> impl Iterator<Item = Tbl::Row>
    where
        B: IndexScanRangeBounds<IndexType, K>,
    {
        let args = bounds.get_args();
        let (prefix, prefix_elems, rstart, rend) = args.for_syscall();
        let rows = sys::datastore_index_scan_range_bsatn(Idx::index_id(), prefix, prefix_elems, rstart, rend)
            .unwrap_or_else(|e| panic!("scanning index `{}` failed: {e}", Idx::INDEX_NAME));
        TableIter::new(rows)
    }

    /// Deletes the rows matching `bounds` (as for [`filter`](Self::filter)); returns how many.
    pub fn delete<B, K>(&self, bounds: B) -> u64
    where
        B: IndexScanRangeBounds<IndexType, K>,
    {
        let args = bounds.get_args();
        let (prefix, prefix_elems, rstart, rend) = args.for_syscall();
        sys::datastore_delete_by_index_scan_range_bsatn(Idx::index_id(), prefix, prefix_elems, rstart, rend)
            .unwrap_or_else(|e| panic!("deleting through index `{}` failed: {e}", Idx::INDEX_NAME))
            .into()
    }
}
