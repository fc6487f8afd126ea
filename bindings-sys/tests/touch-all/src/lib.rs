//! Calls every `spacetime_10.0` import once so none is dropped from the import section.
//! Never run: the test only inspects the built module's imports.

use worldtube_sys::raw;

/// The pointers are only there to make the calls type-check.
///
/// # Safety
/// Never call it.
#[no_mangle]
pub unsafe extern "C" fn touch_all(p: *mut u8, n: usize) {
    let (c, l) = (p as *const u8, p as *mut usize);
    let (o32, o64, id) = (p as *mut u32, p as *mut u64, p as *mut [u8; 32]);
    raw::table_id_from_name(c, n, o32);
    raw::index_id_from_name(c, n, o32);
    raw::datastore_table_row_count(1, o64);
    raw::datastore_table_scan_bsatn(1, o32);
    raw::datastore_index_scan_range_bsatn(1, c, n, 0, c, n, c, n, o32);
    raw::datastore_btree_scan_bsatn(1, c, n, 0, c, n, c, n, o32);
    raw::datastore_delete_by_index_scan_range_bsatn(1, c, n, 0, c, n, c, n, o32);
    raw::datastore_delete_by_btree_scan_bsatn(1, c, n, 0, c, n, c, n, o32);
    raw::datastore_delete_all_by_eq_bsatn(1, c, n, o32);
    raw::row_iter_bsatn_advance(1, p, l);
    raw::row_iter_bsatn_close(1);
    raw::datastore_insert_bsatn(1, p, l);
    raw::datastore_update_bsatn(1, 2, p, l);
    raw::volatile_nonatomic_schedule_immediate(c, n, c, n);
    raw::bytes_sink_write(1, c, l);
    raw::bytes_source_read(1, p, l);
    raw::console_log(0, c, n, c, n, 0, c, n);
    raw::console_timer_start(c, n);
    raw::console_timer_end(1);
    raw::identity(id);
}
