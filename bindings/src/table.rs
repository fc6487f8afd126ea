//! Table handles: the `Table` trait every table handle implements, and the unique-column and
//! ranged-index handles its accessors return.

use crate::filterable::{FilterableValue, IndexScanRangeArgs, IndexScanRangeBounds};
use crate::sys::{self, Errno};
pub use crate::table_internal::{Column, Index, TableInternal};
use crate::SpacetimeType;
use std::borrow::Borrow;
use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Bound;
use worldtube_lib::bsatn::{self, DecodeOwned, Encode, Reader};

/// A table of the database, as reached through `ctx.db.<table>()`.
///
/// `#[table(name = note)]` gives [`Local`](crate::Local) (the type of `ctx.db`) a method
/// `note()` returning the table's handle, which implements this trait. Bring `Table` into scope
/// to call its methods. Each column with a unique constraint adds a [`UniqueColumn`] accessor to
/// the handle, each other index a [`RangedIndex`] accessor.
///
/// Everything a reducer reads and writes happens in the reducer's transaction: if the reducer
/// returns `Err` or panics, none of its writes are kept.
///
/// ```
/// use worldtube::{reducer, table, ReducerContext, Table};
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
/// # let mut db = worldtube_testing::TestDb::new();
/// # db.call::<jot>(worldtube_testing::TestDb::identity("me"), ("hello".to_string(),)).assert_ok();
/// ```
pub trait Table: TableInternal {
    /// The row type: the struct the `#[table]` attribute was put on.
    type Row: SpacetimeType + Encode + DecodeOwned + Sized + 'static;

    /// [`UniqueConstraintViolation`] if the table has a unique column, else `Infallible`.
    type UniqueConstraintViolation: MaybeError<UniqueConstraintViolation>;
    /// [`AutoIncOverflow`] if the table has an `auto_inc` column, else `Infallible`.
    type AutoIncOverflow: MaybeError<AutoIncOverflow>;

    /// How many rows the table has, as this transaction sees it (its own inserts and deletes
    /// included).
    fn count(&self) -> u64 {
        sys::datastore_table_row_count(Self::table_id())
            .unwrap_or_else(|e| failed("counting rows of", Self::TABLE_NAME, e))
    }

    /// Deletes every row (in this transaction) and returns how many there were. Uses the
    /// `spacetime_10.5` import `datastore_clear` (SpacetimeDB 2.4+ hosts); a module that never
    /// calls it does not import it.
    ///
    /// ```
    /// use worldtube::{reducer, table, ReducerContext, Table};
    ///
    /// #[table(name = note)]
    /// pub struct Note {
    ///     text: String,
    /// }
    ///
    /// #[reducer]
    /// pub fn wipe(ctx: &ReducerContext) {
    ///     ctx.db.note().insert(Note { text: "a".into() });
    ///     ctx.db.note().insert(Note { text: "b".into() });
    ///     assert_eq!(ctx.db.note().clear(), 2);
    ///     assert_eq!(ctx.db.note().count(), 0);
    /// }
    /// # let mut db = worldtube_testing::TestDb::new();
    /// # db.call::<wipe>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
    /// ```
    fn clear(&self) -> u64 {
        sys::datastore_clear(Self::table_id()).unwrap_or_else(|e| failed("clearing", Self::TABLE_NAME, e))
    }

    /// Every row, in no particular order. The rows are those present when the iteration starts.
    ///
    /// Scanning a whole table costs time in proportion to its size; to find rows by a column's
    /// value, give the column an index and use its [`UniqueColumn`] or [`RangedIndex`] accessor.
    fn iter(&self) -> impl Iterator<Item = Self::Row> {
        let rows = sys::datastore_table_scan_bsatn(Self::table_id())
            .unwrap_or_else(|e| failed("scanning", Self::TABLE_NAME, e));
        TableIter::new(rows)
    }

    /// Inserts `row` and returns it with its `auto_inc` columns filled in.
    ///
    /// An `auto_inc` column whose value in `row` is zero gets the sequence's next value; a
    /// nonzero value is kept as it is.
    ///
    /// # Panics
    /// If a unique column's value is already taken, or an `auto_inc` sequence is exhausted
    /// (use [`try_insert`](Self::try_insert) to handle these). The panic fails the reducer and
    /// rolls its transaction back.
    #[track_caller]
    fn insert(&self, row: Self::Row) -> Self::Row {
        self.try_insert(row).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Inserts `row` and returns it with its `auto_inc` columns filled in, or the constraint it
    /// violated. Inserting a row identical to an existing one changes nothing and succeeds.
    ///
    /// On error nothing is inserted and the transaction goes on; see [`TryInsertError`] for an
    /// example.
    #[track_caller]
    fn try_insert(&self, row: Self::Row) -> Result<Self::Row, TryInsertError<Self>> {
        insert::<Self>(row)
    }

    /// Deletes the row equal to `row` (in every column), if there is one; says whether there
    /// was. To delete by key, use the key column's [`UniqueColumn::delete`].
    fn delete(&self, row: Self::Row) -> bool {
        // The host deletes by an array of rows; this is an array of one.
        let relation = bsatn::to_vec(std::slice::from_ref(&row));
        let deleted = sys::datastore_delete_all_by_eq_bsatn(Self::table_id(), &relation)
            .unwrap_or_else(|e| failed("deleting from", Self::TABLE_NAME, e));
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
    error.unwrap_or_else(|| unexpected_insert_error(operation, T::TABLE_NAME, e))
}

// The panics of table operations, out of line and not generic: each generic caller (one per table,
// column or index) carries a call instead of its own copy of the message's formatting.

/// Panics with "{what} `{name}` failed: {e}".
#[cold]
#[inline(never)]
#[track_caller]
fn failed(what: &str, name: &str, e: Errno) -> ! {
    panic!("{what} `{name}` failed: {e}")
}

/// Panics with "{what} `{table}` by `{column}` failed: {e}".
#[cold]
#[inline(never)]
#[track_caller]
fn failed_by(what: &str, table: &str, column: &str, e: Errno) -> ! {
    panic!("{what} `{table}` by `{column}` failed: {e}")
}

/// Panics with "updating `{table}` by `{column}` failed: {why}".
#[cold]
#[inline(never)]
#[track_caller]
fn update_failed(table: &str, column: &str, e: Errno) -> ! {
    let why = match e {
        Errno::NO_SUCH_ROW => "no row has this value".to_string(),
        Errno::UNIQUE_ALREADY_EXISTS => "the new row duplicates another unique column".to_string(),
        e => e.to_string(),
    };
    panic!("updating `{table}` by `{column}` failed: {why}")
}

/// Panics with "unexpected error from {operation} into `{table}`: {e}".
#[cold]
#[inline(never)]
#[track_caller]
fn unexpected_insert_error(operation: &str, table: &str, e: Errno) -> ! {
    panic!("unexpected error from {operation} into `{table}`: {e}")
}

/// The rows of a scan, decoded as they are read, straight from the scan's buffer: what
/// [`Table::iter`] and [`RangedIndex::filter`] return (as `impl Iterator`).
pub struct TableIter<Row> {
    rows: sys::RowIter,
    /// How far into the current batch (`rows.batch()`) decoding has got.
    pos: usize,
    _row: PhantomData<Row>,
}

impl<Row> fmt::Debug for TableIter<Row> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TableIter").field("rows", &self.rows).field("pos", &self.pos).finish()
    }
}

impl<Row: DecodeOwned> TableIter<Row> {
    pub(crate) fn new(rows: sys::RowIter) -> Self {
        Self { rows, pos: 0, _row: PhantomData }
    }
}

impl<Row: DecodeOwned> Iterator for TableIter<Row> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        // Only the decoding is generic; reading batches is compiled once.
        let mut r = Reader::new(next_row(&mut self.rows, &mut self.pos)?);
        let row = Row::decode(&mut r).unwrap_or_else(|e| undecodable_row(e));
        self.pos += r.offset();
        Some(row)
    }
}

/// The bytes from the next row on (reading the next batch when `pos` is at the end of this
/// one), or `None` after the last row.
fn next_row<'a>(rows: &'a mut sys::RowIter, pos: &mut usize) -> Option<&'a [u8]> {
    while *pos == rows.batch().len() {
        rows.next_batch().unwrap_or_else(|e| panic!("reading rows failed: {e}"))?;
        *pos = 0;
    }
    Some(&rows.batch()[*pos..])
}

/// Panics with "the host sent a row that does not decode: {e}".
#[cold]
#[inline(never)]
#[track_caller]
fn undecodable_row(e: bsatn::DecodeError) -> ! {
    panic!("the host sent a row that does not decode: {e}")
}

impl<Row> TableIter<Row> {
    /// Whether every row has been read (the next call to `next` returns `None`).
    pub fn is_exhausted(&self) -> bool {
        self.rows.is_exhausted() && self.pos == self.rows.batch().len()
    }
}

/// Inserting a row failed because a unique column's value is already taken: the payload of
/// [`TryInsertError::UniqueConstraintViolation`] for tables with a unique (or primary key)
/// column. Displays as `duplicate unique column`.
#[derive(Debug)]
#[non_exhaustive]
pub struct UniqueConstraintViolation;

impl fmt::Display for UniqueConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("duplicate unique column")
    }
}
impl std::error::Error for UniqueConstraintViolation {}

/// Inserting a row failed because an `auto_inc` column ran out of values: the payload of
/// [`TryInsertError::AutoIncOverflow`] for tables with an `auto_inc` column.
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
///
/// A variant's payload is [`UniqueConstraintViolation`] or [`AutoIncOverflow`] when the table
/// can fail that way, and [`Infallible`] when it cannot (no unique column, or no `auto_inc`
/// column). It converts into `String`, so `?` passes it on from a reducer returning
/// `Result<(), String>`.
///
/// ```
/// use worldtube::{reducer, table, ReducerContext, Table, TryInsertError};
///
/// #[table(name = account)]
/// pub struct Account {
///     #[primary_key]
///     #[auto_inc]
///     id: u64,
///     #[unique]
///     name: String,
/// }
///
/// #[reducer]
/// pub fn register(ctx: &ReducerContext, name: String) -> Result<(), String> {
///     match ctx.db.account().try_insert(Account { id: 0, name }) {
///         Ok(_) => Ok(()),
///         Err(TryInsertError::UniqueConstraintViolation(_)) => Err("that name is taken".into()),
///         Err(e) => Err(e.to_string()),
///     }
/// }
///
/// #[reducer]
/// pub fn register_or_fail(ctx: &ReducerContext, name: String) -> Result<(), String> {
///     ctx.db.account().try_insert(Account { id: 0, name })?;
///     Ok(())
/// }
/// # use worldtube_testing::TestDb;
/// # let mut db = TestDb::new();
/// # let me = TestDb::identity("me");
/// # db.call::<register>(me, ("ana".to_string(),)).assert_ok();
/// # assert_eq!(db.call::<register>(me, ("ana".to_string(),)).error(), Some("that name is taken"));
/// # assert_eq!(
/// #     db.call::<register_or_fail>(me, ("ana".to_string(),)).error(),
/// #     Some("insertion error on table `account`:duplicate unique column"),
/// # );
/// # assert_eq!(db.count("account"), 1);
/// ```
///
/// A second `register("ana")` fails with `that name is taken`; a second
/// `register_or_fail("ana")` with ``insertion error on table `account`:duplicate unique column``.
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
        let cause: &dyn fmt::Display = match self {
            Self::UniqueConstraintViolation(e) => e,
            Self::AutoIncOverflow(e) => e,
        };
        fmt_insertion_error(Tbl::TABLE_NAME, cause, f)
    }
}

/// `TryInsertError`'s message, written once rather than once per table.
#[inline(never)]
fn fmt_insertion_error(table: &str, cause: &dyn fmt::Display, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    // No space after the colon: the official message has none, and servers' logs show it so.
    write!(f, "insertion error on table `{table}`:{cause}")
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
///
/// Every `#[primary_key]` or `#[unique]` column gets an accessor named after it on the table
/// handle: `ctx.db.player().identity()` for the column `identity` of the table `player`.
/// [`find`](Self::find) and [`delete`](Self::delete) take the value either by value or by
/// reference (`find(ctx.sender)` or `find(&name)`); keys are integers, `bool`, `String`,
/// [`Identity`](crate::Identity), [`ConnectionId`](crate::ConnectionId) and payload-free enums
/// (see [`FilterableValue`]).
///
/// ```
/// use worldtube::{reducer, table, Identity, ReducerContext, Table};
///
/// #[table(name = player)]
/// pub struct Player {
///     #[primary_key]
///     identity: Identity,
///     #[unique]
///     name: String,
///     level: u32,
/// }
///
/// #[reducer]
/// pub fn join(ctx: &ReducerContext, name: String) -> Result<(), String> {
///     if ctx.db.player().name().find(&name).is_some() {
///         return Err(format!("`{name}` is taken"));
///     }
///     ctx.db.player().insert(Player { identity: ctx.sender, name, level: 1 });
///     Ok(())
/// }
///
/// #[reducer]
/// pub fn level_up(ctx: &ReducerContext) -> Result<(), String> {
///     let player = ctx.db.player().identity().find(ctx.sender).ok_or("join first")?;
///     ctx.db.player().identity().update(Player { level: player.level + 1, ..player });
///     Ok(())
/// }
///
/// #[reducer]
/// pub fn leave(ctx: &ReducerContext) {
///     ctx.db.player().identity().delete(ctx.sender);
/// }
/// # use worldtube_testing::TestDb;
/// # let mut db = TestDb::new();
/// # let (ana, bo) = (TestDb::identity("ana"), TestDb::identity("bo"));
/// # db.call::<join>(ana, ("Ana".to_string(),)).assert_ok();
/// # db.call::<join>(bo, ("Ana".to_string(),)).assert_err("`Ana` is taken");
/// # db.call::<level_up>(ana, ()).assert_ok();
/// # assert_eq!(db.read(|ctx| ctx.db.player().name().find("Ana".to_string()).map(|p| p.level)), Some(2));
/// # db.call::<level_up>(bo, ()).assert_err("join first");
/// # db.call::<leave>(ana, ()).assert_ok();
/// # assert_eq!(db.count("player"), 0);
/// ```
pub struct UniqueColumn<Tbl, ColType, Col> {
    _marker: PhantomData<(Tbl, ColType, Col)>,
}

impl<Tbl, ColType, Col> fmt::Debug for UniqueColumn<Tbl, ColType, Col> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UniqueColumn")
    }
}

impl<Tbl: Table, Col: Index + Column<Table = Tbl>> UniqueColumn<Tbl, Col::ColType, Col> {
    #[doc(hidden)]
    pub const __NEW: Self = Self { _marker: PhantomData };

    /// The row whose column equals `value`, if any. `value` may be passed by value or by
    /// reference.
    ///
    /// ```
    /// use worldtube::{reducer, table, ReducerContext, Table};
    ///
    /// #[table(name = item)]
    /// pub struct Item {
    ///     #[primary_key]
    ///     id: u32,
    ///     #[unique]
    ///     code: String,
    /// }
    ///
    /// #[reducer]
    /// pub fn demo(ctx: &ReducerContext) {
    ///     ctx.db.item().insert(Item { id: 7, code: "SWORD".into() });
    ///
    ///     assert_eq!(ctx.db.item().id().find(7).unwrap().code, "SWORD"); // by value
    ///     let code = String::from("SWORD");
    ///     assert_eq!(ctx.db.item().code().find(&code).unwrap().id, 7); // by reference
    ///     assert!(ctx.db.item().id().find(8).is_none());
    /// }
    /// # let mut db = worldtube_testing::TestDb::new();
    /// # db.call::<demo>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
    /// ```
    pub fn find(&self, value: impl Borrow<Col::ColType>) -> Option<Tbl::Row>
    where
        for<'a> &'a Col::ColType: FilterableValue,
    {
        #[cfg(feature = "v2")]
        if Col::POINT_SCAN {
            let point = bsatn::to_vec(value.borrow());
            let rows = sys::datastore_index_scan_point_bsatn(Col::index_id(), &point)
                .unwrap_or_else(|e| failed_by("looking up", Tbl::TABLE_NAME, Col::COLUMN_NAME, e));
            return TableIter::new(rows).next();
        }
        let args = point_args(value.borrow());
        let (prefix, prefix_elems, rstart, rend) = args.for_syscall();
        let rows = sys::datastore_index_scan_range_bsatn(Col::index_id(), prefix, prefix_elems, rstart, rend)
            .unwrap_or_else(|e| failed_by("looking up", Tbl::TABLE_NAME, Col::COLUMN_NAME, e));
        let mut rows = TableIter::new(rows);
        let row = rows.next();
        debug_assert!(rows.next().is_none(), "a unique column matched more than one row");
        row
    }

    /// Deletes the row whose column equals `value`; says whether there was one. `value` may be
    /// passed by value or by reference.
    ///
    /// ```
    /// use worldtube::{reducer, table, ReducerContext, Table};
    ///
    /// #[table(name = item)]
    /// pub struct Item {
    ///     #[primary_key]
    ///     id: u32,
    ///     #[unique]
    ///     code: String,
    /// }
    ///
    /// #[reducer]
    /// pub fn demo(ctx: &ReducerContext) {
    ///     ctx.db.item().insert(Item { id: 1, code: "SWORD".into() });
    ///     ctx.db.item().insert(Item { id: 2, code: "SHIELD".into() });
    ///
    ///     assert!(ctx.db.item().id().delete(1)); // by value
    ///     assert!(!ctx.db.item().id().delete(1)); // already gone
    ///     let code = String::from("SHIELD");
    ///     assert!(ctx.db.item().code().delete(&code)); // by reference
    ///     assert_eq!(ctx.db.item().count(), 0);
    /// }
    /// # let mut db = worldtube_testing::TestDb::new();
    /// # db.call::<demo>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
    /// ```
    pub fn delete(&self, value: impl Borrow<Col::ColType>) -> bool
    where
        for<'a> &'a Col::ColType: FilterableValue,
    {
        #[cfg(feature = "v2")]
        if Col::POINT_SCAN {
            let point = bsatn::to_vec(value.borrow());
            let deleted = sys::datastore_delete_by_index_scan_point_bsatn(Col::index_id(), &point)
                .unwrap_or_else(|e| failed_by("deleting from", Tbl::TABLE_NAME, Col::COLUMN_NAME, e));
            return deleted > 0;
        }
        let args = point_args(value.borrow());
        let (prefix, prefix_elems, rstart, rend) = args.for_syscall();
        let deleted =
            sys::datastore_delete_by_index_scan_range_bsatn(Col::index_id(), prefix, prefix_elems, rstart, rend)
                .unwrap_or_else(|e| failed_by("deleting from", Tbl::TABLE_NAME, Col::COLUMN_NAME, e));
        deleted > 0
    }

    /// Replaces the row whose column equals `row`'s with `row`, returning it with any `auto_inc`
    /// columns that were zero filled in. The usual pattern is find, then update with struct
    /// update syntax.
    ///
    /// ```
    /// use worldtube::{reducer, table, ReducerContext, Table};
    ///
    /// #[table(name = hero)]
    /// pub struct Hero {
    ///     #[primary_key]
    ///     #[auto_inc]
    ///     id: u64,
    ///     name: String,
    ///     hp: u32,
    /// }
    ///
    /// #[reducer]
    /// pub fn demo(ctx: &ReducerContext) {
    ///     let hero = ctx.db.hero().insert(Hero { id: 0, name: "Ana".into(), hp: 10 });
    ///
    ///     let healed = ctx.db.hero().id().update(Hero { hp: 25, ..hero });
    ///     assert_eq!(healed.hp, 25);
    ///     assert_eq!(ctx.db.hero().id().find(healed.id).unwrap().hp, 25);
    ///     assert_eq!(ctx.db.hero().count(), 1); // replaced, not added
    /// }
    /// # let mut db = worldtube_testing::TestDb::new();
    /// # db.call::<demo>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
    /// ```
    ///
    /// # Panics
    /// If no row has that value, or the new row violates another unique column. The panic fails
    /// the reducer and rolls its transaction back.
    #[track_caller]
    pub fn update(&self, mut row: Tbl::Row) -> Tbl::Row {
        let mut buf = bsatn::to_vec(&row);
        match sys::datastore_update_bsatn(Tbl::table_id(), Col::index_id(), &mut buf) {
            Ok(generated) => {
                Tbl::integrate_generated_columns(&mut row, generated);
                row
            }
            Err(e) => update_failed(Tbl::TABLE_NAME, Col::COLUMN_NAME, e),
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

/// A B-tree (or direct) index that is not unique: rows by key value, key prefix or range.
///
/// Each `#[index(btree)]` (or `#[index(direct)]`) column gets an accessor named after the
/// column, and each `index(name = …, btree(columns = […]))` of the `#[table]` attribute one
/// named after the index. [`filter`](Self::filter) and [`delete`](Self::delete) accept, for an
/// index on columns `(a, b, …)`:
///
/// * a value of `a`, or a range of `a` values (`x..y`, `x..=y`, `x..`, `..y`, `..=y`, or a
///   `(Bound, Bound)` pair);
/// * a tuple of values for leading columns, ending in a value or range for the next column:
///   `(a_value, b_value)`, `(a_value, b_range)`, `(a_value, b_value, c_range)`, …
///
/// Only the last element may be a range. Values may be passed by value or by reference (strings
/// by reference: `&String` or `&str`). Integer literals need a suffix (`2u32`): an unsuffixed `2`
/// is an `i32`, which does not match a `u32` column.
///
/// # Exclusive bounds on a leading column
///
/// When the range is on a column that is *not* the index's last column (e.g. a range of
/// `level` on an index over `[level, points]`), an excluded bound (`x..y`'s end, `..y`,
/// `Bound::Excluded`) acts as an included one: `filter(1u32..3)` also yields `level == 3`. This
/// is how SpacetimeDB 1.x servers run such scans, and the reference host does the same. Ranges on
/// the index's last column, including a tuple's final range, are exact; to be exact on a leading
/// column, use inclusive ranges (`1u32..=2`).
///
/// # Example
///
/// ```
/// use std::ops::Bound;
/// use worldtube::{reducer, table, ReducerContext, Table};
///
/// #[table(name = score, index(name = by_level_points, btree(columns = [level, points])))]
/// pub struct Score {
///     #[primary_key]
///     #[auto_inc]
///     id: u64,
///     level: u32,
///     points: u32,
/// }
///
/// #[reducer]
/// pub fn demo(ctx: &ReducerContext) {
///     for (level, points) in [(1, 10), (1, 20), (2, 5), (2, 50), (3, 7)] {
///         ctx.db.score().insert(Score { id: 0, level, points });
///     }
///     let index = ctx.db.score().by_level_points();
///     let points = |rows: &mut dyn Iterator<Item = Score>| rows.map(|s| s.points).collect::<Vec<_>>();
///
///     // A value or a range of `level`. Rows come in index order: by level, then points.
///     assert_eq!(points(&mut index.filter(2u32)), [5, 50]);
///     assert_eq!(points(&mut index.filter(&2u32)), [5, 50]); // by reference
///     assert_eq!(points(&mut index.filter(1u32..=2)), [10, 20, 5, 50]);
///     assert_eq!(points(&mut index.filter(2u32..)), [5, 50, 7]);
///     assert_eq!(points(&mut index.filter(..=1u32)), [10, 20]);
///     let from_2 = (Bound::Included(2u32), Bound::Unbounded);
///     assert_eq!(points(&mut index.filter(from_2)), [5, 50, 7]);
///     // `level` is not the index's last column: the excluded end acts as included.
///     assert_eq!(points(&mut index.filter(1u32..2)), [10, 20, 5, 50]);
///
///     // A value of `level`, then a value or any range of `points`.
///     assert_eq!(points(&mut index.filter((2u32, 50u32))), [50]);
///     assert_eq!(points(&mut index.filter((1u32, 10u32..20))), [10]);
///     assert_eq!(points(&mut index.filter((1u32, 10u32..=20))), [10, 20]);
///     assert_eq!(points(&mut index.filter((1u32, 15u32..))), [20]);
///     assert_eq!(points(&mut index.filter((2u32, ..50u32))), [5]);
///     assert_eq!(points(&mut index.filter((2u32, ..=50u32))), [5, 50]);
///     let above_5 = (Bound::Excluded(5u32), Bound::Unbounded);
///     assert_eq!(points(&mut index.filter((2u32, above_5))), [50]);
///
///     // `delete` takes the same arguments and says how many rows it deleted.
///     assert_eq!(index.delete((1u32, ..=10u32)), 1);
///     assert_eq!(index.delete(2u32..), 3);
///     assert_eq!(points(&mut ctx.db.score().iter()), [20]);
/// }
/// # let mut db = worldtube_testing::TestDb::new();
/// # db.call::<demo>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
/// ```
pub struct RangedIndex<Tbl: Table, IndexType, Idx: Index> {
    _marker: PhantomData<(Tbl, IndexType, Idx)>,
}

impl<Tbl: Table, IndexType, Idx: Index> fmt::Debug for RangedIndex<Tbl, IndexType, Idx> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RangedIndex")
    }
}

impl<Tbl: Table, IndexType, Idx: Index> RangedIndex<Tbl, IndexType, Idx> {
    #[doc(hidden)]
    pub const __NEW: Self = Self { _marker: PhantomData };

    /// The rows matching `bounds`, in index order: a value or range for the first key column, or
    /// a tuple of values for leading columns optionally ending in a range for the next one (see
    /// the [type's documentation](RangedIndex) for every form).
    ///
    /// ```
    /// use worldtube::{reducer, table, ReducerContext, Table};
    ///
    /// #[table(name = monster)]
    /// pub struct Monster {
    ///     #[primary_key]
    ///     #[auto_inc]
    ///     id: u64,
    ///     #[index(btree)]
    ///     zone: String,
    ///     #[index(btree)]
    ///     level: u32,
    /// }
    ///
    /// #[reducer]
    /// pub fn demo(ctx: &ReducerContext) {
    ///     for (zone, level) in [("forest", 3), ("forest", 8), ("cave", 12)] {
    ///         ctx.db.monster().insert(Monster { id: 0, zone: zone.into(), level });
    ///     }
    ///     assert_eq!(ctx.db.monster().zone().filter("forest").count(), 2);
    ///     let boss_levels: Vec<u32> = ctx.db.monster().level().filter(5u32..).map(|m| m.level).collect();
    ///     assert_eq!(boss_levels, [8, 12]);
    /// }
    /// # let mut db = worldtube_testing::TestDb::new();
    /// # db.call::<demo>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
    /// ```
    pub fn filter<B, K>(&self, bounds: B) -> impl Iterator<Item = Tbl::Row>
    where
        B: IndexScanRangeBounds<IndexType, K>,
    {
        let args = bounds.get_args();
        #[cfg(feature = "v2")]
        if Idx::POINT_SCAN && B::POINT && B::COLS_PROVIDED == Idx::NUM_COLS {
            let rows = sys::datastore_index_scan_point_bsatn(Idx::index_id(), &args.point_key())
                .unwrap_or_else(|e| failed("scanning index", Idx::INDEX_NAME, e));
            return TableIter::new(rows);
        }
        let (prefix, prefix_elems, rstart, rend) = args.for_syscall();
        let rows = sys::datastore_index_scan_range_bsatn(Idx::index_id(), prefix, prefix_elems, rstart, rend)
            .unwrap_or_else(|e| failed("scanning index", Idx::INDEX_NAME, e));
        TableIter::new(rows)
    }

    /// Deletes the rows matching `bounds` (as for [`filter`](Self::filter)); returns how many.
    ///
    /// ```
    /// use worldtube::{reducer, table, Identity, ReducerContext, Table};
    ///
    /// #[table(name = bullet)]
    /// pub struct Bullet {
    ///     #[primary_key]
    ///     #[auto_inc]
    ///     id: u64,
    ///     #[index(btree)]
    ///     shooter: Identity,
    /// }
    ///
    /// #[reducer]
    /// pub fn fire(ctx: &ReducerContext) {
    ///     ctx.db.bullet().insert(Bullet { id: 0, shooter: ctx.sender });
    /// }
    ///
    /// #[reducer]
    /// pub fn clear_my_bullets(ctx: &ReducerContext) {
    ///     let removed = ctx.db.bullet().shooter().delete(ctx.sender);
    ///     log::info!("removed {removed} bullets");
    /// }
    /// # use worldtube_testing::TestDb;
    /// # let mut db = TestDb::new();
    /// # let (ana, bo) = (TestDb::identity("ana"), TestDb::identity("bo"));
    /// # db.call::<fire>(ana, ()).assert_ok();
    /// # db.call::<fire>(ana, ()).assert_ok();
    /// # db.call::<fire>(bo, ()).assert_ok();
    /// # assert!(db.call::<clear_my_bullets>(ana, ()).logged("removed 2 bullets"));
    /// # assert_eq!(db.count("bullet"), 1);
    /// ```
    pub fn delete<B, K>(&self, bounds: B) -> u64
    where
        B: IndexScanRangeBounds<IndexType, K>,
    {
        let args = bounds.get_args();
        #[cfg(feature = "v2")]
        if Idx::POINT_SCAN && B::POINT && B::COLS_PROVIDED == Idx::NUM_COLS {
            return sys::datastore_delete_by_index_scan_point_bsatn(Idx::index_id(), &args.point_key())
                .unwrap_or_else(|e| failed("deleting through index", Idx::INDEX_NAME, e))
                .into();
        }
        let (prefix, prefix_elems, rstart, rend) = args.for_syscall();
        sys::datastore_delete_by_index_scan_range_bsatn(Idx::index_id(), prefix, prefix_elems, rstart, rend)
            .unwrap_or_else(|e| failed("deleting through index", Idx::INDEX_NAME, e))
            .into()
    }
}

/// The handle of a hash index (2.x, `#[index(hash)]`, `index(accessor = .., hash(columns = [..]))`):
/// rows are found and deleted by a whole key (a value, or a tuple with a value for every key
/// column). A hash index has no order: asking it for a range, or for a prefix of its columns,
/// fails the build (`cargo build`; a const assertion, which `cargo check` does not evaluate).
#[cfg(feature = "v2")]
pub struct PointIndex<Tbl: Table, IndexType, Idx: Index> {
    _marker: PhantomData<(Tbl, IndexType, Idx)>,
}

#[cfg(feature = "v2")]
impl<Tbl: Table, IndexType, Idx: Index> fmt::Debug for PointIndex<Tbl, IndexType, Idx> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PointIndex").field("index", &Idx::INDEX_NAME).finish()
    }
}

#[cfg(feature = "v2")]
impl<Tbl: Table, IndexType, Idx: Index> PointIndex<Tbl, IndexType, Idx> {
    #[doc(hidden)]
    pub const __NEW: Self = Self { _marker: PhantomData };

    /// The rows whose key equals `point`.
    pub fn filter<P, K>(&self, point: P) -> impl Iterator<Item = Tbl::Row>
    where
        P: IndexScanRangeBounds<IndexType, K>,
    {
        assert_whole_key::<P, IndexType, K, Idx>();
        RangedIndex::<Tbl, IndexType, Idx>::__NEW.filter(point)
    }

    /// Deletes the rows whose key equals `point`; returns how many.
    pub fn delete<P, K>(&self, point: P) -> u64
    where
        P: IndexScanRangeBounds<IndexType, K>,
    {
        assert_whole_key::<P, IndexType, K, Idx>();
        RangedIndex::<Tbl, IndexType, Idx>::__NEW.delete(point)
    }
}

/// Refuses, at compile time, a lookup of a hash index that is not one whole key.
#[cfg(feature = "v2")]
#[doc(hidden)]
pub fn assert_whole_key<P: IndexScanRangeBounds<IndexType, K>, IndexType, K, Idx: Index>() {
    const {
        assert!(
            P::POINT && P::COLS_PROVIDED == Idx::NUM_COLS,
            "a hash index is looked up by a whole key (a value for every key column), not by a range or a prefix: \
             use a btree index for ranges"
        )
    }
}
