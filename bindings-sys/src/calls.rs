//! Safe wrappers over every distinct import: `Result<_, Errno>` instead of status codes,
//! slices instead of pointers. None of them passes a NULL pointer: Rust slices and strings
//! always have a non-NULL (dangling when empty) address, which is what the host requires.

use worldtube_abi::{Errno, LogLevel, NO_LINE_NUMBER};

use crate::status::check;
use crate::{raw, BytesSource, ColId, IndexId, RowIter, TableId, TimerId};

/// The id of the table named exactly `name`.
pub fn table_id_from_name(name: &str) -> Result<TableId, Errno> {
    let mut id = 0u32;
    // SAFETY: `name` is valid for its length; `id` is a live u32.
    check(unsafe { raw::table_id_from_name(name.as_ptr(), name.len(), &mut id) })?;
    Ok(TableId(id))
}

/// The id of the index named `name` (explicit or generated).
pub fn index_id_from_name(name: &str) -> Result<IndexId, Errno> {
    let mut id = 0u32;
    // SAFETY: as in `table_id_from_name`.
    check(unsafe { raw::index_id_from_name(name.as_ptr(), name.len(), &mut id) })?;
    Ok(IndexId(id))
}

/// Number of rows in `table` as this transaction sees it.
pub fn datastore_table_row_count(table: TableId) -> Result<u64, Errno> {
    let mut count = 0u64;
    // SAFETY: `count` is a live u64.
    check(unsafe { raw::datastore_table_row_count(table.0, &mut count) })?;
    Ok(count)
}

/// An iterator over a snapshot of every row of `table`.
pub fn datastore_table_scan_bsatn(table: TableId) -> Result<RowIter, Errno> {
    let mut handle = 0u32;
    // SAFETY: `handle` is a live u32.
    check(unsafe { raw::datastore_table_scan_bsatn(table.0, &mut handle) })?;
    Ok(RowIter::from_handle(handle))
}

/// An iterator over the rows of `index` whose first `prefix_elems` key columns equal the
/// BSATN values in `prefix` and whose next key column lies within the BSATN `Bound`s
/// `rstart`..`rend`.
pub fn datastore_index_scan_range_bsatn(
    index: IndexId,
    prefix: &[u8],
    prefix_elems: ColId,
    rstart: &[u8],
    rend: &[u8],
) -> Result<RowIter, Errno> {
    let mut handle = 0u32;
    // SAFETY: every slice is valid for its length; `handle` is a live u32.
    check(unsafe {
        raw::datastore_index_scan_range_bsatn(
            index.0,
            prefix.as_ptr(),
            prefix.len(),
            u32::from(prefix_elems.0),
            rstart.as_ptr(),
            rstart.len(),
            rend.as_ptr(),
            rend.len(),
            &mut handle,
        )
    })?;
    Ok(RowIter::from_handle(handle))
}

/// Deletes the rows [`datastore_index_scan_range_bsatn`] would yield; returns how many.
pub fn datastore_delete_by_index_scan_range_bsatn(
    index: IndexId,
    prefix: &[u8],
    prefix_elems: ColId,
    rstart: &[u8],
    rend: &[u8],
) -> Result<u32, Errno> {
    let mut deleted = 0u32;
    // SAFETY: as in `datastore_index_scan_range_bsatn`.
    check(unsafe {
        raw::datastore_delete_by_index_scan_range_bsatn(
            index.0,
            prefix.as_ptr(),
            prefix.len(),
            u32::from(prefix_elems.0),
            rstart.as_ptr(),
            rstart.len(),
            rend.as_ptr(),
            rend.len(),
            &mut deleted,
        )
    })?;
    Ok(deleted)
}

/// An iterator over the rows whose key under `index` equals `point` (the BSATN of the whole key).
/// A `spacetime_10.4` import: modules that call it need a 2.x-era host.
pub fn datastore_index_scan_point_bsatn(index: IndexId, point: &[u8]) -> Result<RowIter, Errno> {
    let mut handle = 0u32;
    // SAFETY: `point` is valid for its length; `handle` is a live u32.
    check(unsafe { raw::datastore_index_scan_point_bsatn(index.0, point.as_ptr(), point.len(), &mut handle) })?;
    Ok(RowIter::from_handle(handle))
}

/// Deletes the rows whose key under `index` equals `point`; returns how many.
/// A `spacetime_10.4` import: modules that call it need a 2.x-era host.
pub fn datastore_delete_by_index_scan_point_bsatn(index: IndexId, point: &[u8]) -> Result<u32, Errno> {
    let mut deleted = 0u32;
    // SAFETY: `point` is valid for its length; `deleted` is a live u32.
    check(unsafe {
        raw::datastore_delete_by_index_scan_point_bsatn(index.0, point.as_ptr(), point.len(), &mut deleted)
    })?;
    Ok(deleted)
}

/// Deletes every row of `table`; returns how many there were.
/// A `spacetime_10.5` import: modules that call it need a 2.4+ host.
pub fn datastore_clear(table: TableId) -> Result<u64, Errno> {
    let mut deleted = 0u64;
    // SAFETY: `deleted` is a live u64.
    check(unsafe { raw::datastore_clear(table.0, &mut deleted) })?;
    Ok(deleted)
}

/// Deletes every row equal to one of `relation`, the BSATN of an *array* of rows (u32 count,
/// then the rows); returns how many were deleted.
pub fn datastore_delete_all_by_eq_bsatn(table: TableId, relation: &[u8]) -> Result<u32, Errno> {
    let mut deleted = 0u32;
    // SAFETY: `relation` is valid for its length; `deleted` is a live u32.
    check(unsafe { raw::datastore_delete_all_by_eq_bsatn(table.0, relation.as_ptr(), relation.len(), &mut deleted) })?;
    Ok(deleted)
}

/// Inserts the BSATN `row`. On success the host has overwritten the front of `row` with the
/// generated auto-inc values (BSATN, column order) and the returned slice is exactly those
/// bytes (empty if nothing was generated).
pub fn datastore_insert_bsatn(table: TableId, row: &mut [u8]) -> Result<&[u8], Errno> {
    let mut len = row.len();
    // SAFETY: `row` is valid and writable for `len` bytes; `len` is a live usize.
    check(unsafe { raw::datastore_insert_bsatn(table.0, row.as_mut_ptr(), &mut len) })?;
    Ok(&row[..len])
}

/// Replaces the row whose key under the unique `index` matches `row`'s; generated values are
/// written back as for [`datastore_insert_bsatn`].
pub fn datastore_update_bsatn(table: TableId, index: IndexId, row: &mut [u8]) -> Result<&[u8], Errno> {
    let mut len = row.len();
    // SAFETY: as in `datastore_insert_bsatn`.
    check(unsafe { raw::datastore_update_bsatn(table.0, index.0, row.as_mut_ptr(), &mut len) })?;
    Ok(&row[..len])
}

/// Asks the host to run reducer `reducer` with BSATN `args` soon, outside this transaction.
pub fn volatile_nonatomic_schedule_immediate(reducer: &str, args: &[u8]) {
    // SAFETY: both slices are valid for their lengths.
    unsafe { raw::volatile_nonatomic_schedule_immediate(reducer.as_ptr(), reducer.len(), args.as_ptr(), args.len()) }
}

/// Writes a record to the database log.
pub fn console_log(
    level: LogLevel,
    target: Option<&str>,
    filename: Option<&str>,
    line_number: Option<u32>,
    message: &str,
) {
    // Absent strings are the one place NULL is allowed.
    let (target_ptr, target_len) = target.map_or((std::ptr::null(), 0), |s| (s.as_ptr(), s.len()));
    let (filename_ptr, filename_len) = filename.map_or((std::ptr::null(), 0), |s| (s.as_ptr(), s.len()));
    // SAFETY: every non-NULL pointer is valid for its length.
    unsafe {
        raw::console_log(
            level.code(),
            target_ptr,
            target_len,
            filename_ptr,
            filename_len,
            line_number.unwrap_or(NO_LINE_NUMBER),
            message.as_ptr(),
            message.len(),
        )
    }
}

/// Starts a named timer.
pub fn console_timer_start(name: &str) -> TimerId {
    // SAFETY: `name` is valid for its length.
    TimerId(unsafe { raw::console_timer_start(name.as_ptr(), name.len()) })
}

/// Ends a timer; the host logs the elapsed time.
pub fn console_timer_end(timer: TimerId) -> Result<(), Errno> {
    // SAFETY: no pointers.
    check(unsafe { raw::console_timer_end(timer.0) })
}

/// The database's identity, 32 bytes little-endian.
pub fn identity() -> [u8; 32] {
    let mut identity = [0u8; 32];
    // SAFETY: `identity` is a live 32-byte array.
    unsafe { raw::identity(&mut identity) };
    identity
}

/// The payload (UTF-8 JSON claims) of the token connection `connection_id` (16 bytes
/// little-endian) authenticated with, or `None` if it has none. Needs a transaction
/// (`NOT_IN_TRANSACTION` otherwise).
pub fn get_jwt(connection_id: [u8; 16]) -> Result<Option<Vec<u8>>, Errno> {
    let mut source = 0u32;
    // SAFETY: `connection_id` is a live 16-byte array and `source` a live u32.
    check(unsafe { raw::get_jwt(connection_id.as_ptr(), &mut source) })?;
    match source {
        0 => Ok(None),
        handle => BytesSource::from_raw(handle).read_all().map(Some),
    }
}

/// Procedures only: opens a mutable transaction (waiting for the lock) and returns its
/// timestamp, microseconds since the Unix epoch. Fails with `WOULD_BLOCK_TRANSACTION` when a
/// transaction is already open (always, in a reducer).
pub fn procedure_start_mut_tx() -> Result<i64, Errno> {
    let mut timestamp = 0i64;
    // SAFETY: `timestamp` is a live i64.
    check(unsafe { raw::procedure_start_mut_tx(&mut timestamp) })?;
    Ok(timestamp)
}

/// Procedures only: commits the transaction [`procedure_start_mut_tx`] opened.
pub fn procedure_commit_mut_tx() -> Result<(), Errno> {
    // SAFETY: no pointers.
    check(unsafe { raw::procedure_commit_mut_tx() })
}

/// Procedures only: rolls back the transaction [`procedure_start_mut_tx`] opened.
pub fn procedure_abort_mut_tx() -> Result<(), Errno> {
    // SAFETY: no pointers.
    check(unsafe { raw::procedure_abort_mut_tx() })
}

/// Procedures only, with no transaction open: waits until about `wake_at` (microseconds since the
/// Unix epoch) and returns the time it woke up.
pub fn procedure_sleep_until(wake_at: i64) -> i64 {
    // SAFETY: no pointers.
    unsafe { raw::procedure_sleep_until(wake_at) }
}

/// Procedures only, with no transaction open: performs the HTTP request whose head is the BSATN
/// `request` (an `HttpRequest`) with `body`, and waits for the answer.
///
/// `Ok((head, body))`: the sources of the response head (BSATN of an `HttpResponse`) and of the
/// response body, whatever the HTTP status. `Err(source)`: no response came (`HTTP_ERROR`); the
/// source holds the BSATN of a `String` saying why.
///
/// # Panics
/// On any other errno (a transaction is open, or `request` is not a request head).
pub fn procedure_http_request(request: &[u8], body: &[u8]) -> Result<(BytesSource, BytesSource), BytesSource> {
    let mut out = [BytesSource::EMPTY.raw(); 2];
    // SAFETY: `request` and `body` are live slices (an empty slice's pointer is dangling but
    // non-null, as the import asks), and `out` is a live `[u32; 2]`.
    let status =
        unsafe { raw::procedure_http_request(request.as_ptr(), request.len(), body.as_ptr(), body.len(), &mut out) };
    match Errno::from_code(status) {
        None => Ok((BytesSource::from_raw(out[0]), BytesSource::from_raw(out[1]))),
        Some(Errno::HTTP_ERROR) => Err(BytesSource::from_raw(out[0])),
        Some(errno) => panic!("procedure_http_request failed: {errno}"),
    }
}
