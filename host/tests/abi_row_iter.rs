//! The row-iterator protocol: 32 KiB chunks of whole rows, BUFFER_TOO_SMALL, exhaustion,
//! handles.

mod abi_support;

use abi_support::*;
use worldtube_abi::{Host, RowIterAdvance, ROW_ITER_CHUNK_SIZE};
use worldtube_host::abi_host::chunk_rows;
use worldtube_lib::bsatn;

fn blob(id: u32, len: usize) -> Vec<u8> {
    bsatn::to_vec(&(id, vec![id as u8; len]))
}

#[test]
fn chunks_close_once_they_exceed_32_kib() {
    let rows: Vec<Vec<u8>> = (0..100).map(|i| vec![i as u8; 1000]).collect();
    let chunks = chunk_rows(rows.iter().map(|r| r.as_slice()));
    // 33 rows of 1000 bytes make the first chunk exceed 32768.
    assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [33_000, 33_000, 33_000, 1_000]);
    assert!(chunk_rows(std::iter::empty()).is_empty());
    let big = vec![1u8; 40_000];
    let chunks = chunk_rows([&[2u8; 10][..], &big, &[3u8; 5][..]]);
    assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [40_010, 5]);
}

#[test]
fn advance_copies_whole_chunks_and_destroys_when_exhausted() {
    let mut h = host();
    // 100 rows of 1008 bytes (4 id + 4 len + 1000 data).
    for i in 0..100 {
        h.datastore_insert_bsatn(BLOB, &blob(i, 1000)).unwrap();
    }
    let row_len = blob(0, 1000).len();
    let per_chunk = ROW_ITER_CHUNK_SIZE / row_len + 1; // rows until the chunk exceeds 32 KiB
    let chunk_len = per_chunk * row_len;

    let it = h.datastore_table_scan_bsatn(BLOB).unwrap();
    assert_ne!(it, 0);
    // A buffer one byte short of a chunk: BUFFER_TOO_SMALL with the chunk's size.
    let mut small = vec![0u8; chunk_len - 1];
    assert_eq!(h.row_iter_bsatn_advance(it, &mut small).unwrap(), RowIterAdvance::BufferTooSmall { needed: chunk_len });
    // Exactly one chunk fits.
    let mut one = vec![0u8; chunk_len];
    assert_eq!(h.row_iter_bsatn_advance(it, &mut one).unwrap(), RowIterAdvance::More { written: chunk_len });
    let mut all = one.clone();
    // A buffer of 1.5 chunks still takes only one.
    let mut more = vec![0u8; chunk_len + chunk_len / 2];
    assert_eq!(h.row_iter_bsatn_advance(it, &mut more).unwrap(), RowIterAdvance::More { written: chunk_len });
    all.extend_from_slice(&more[..chunk_len]);
    // A large buffer takes the rest and the iterator is destroyed.
    let mut big = vec![0u8; 1 << 20];
    let rest = 100 * row_len - 2 * chunk_len;
    assert_eq!(h.row_iter_bsatn_advance(it, &mut big).unwrap(), RowIterAdvance::Exhausted { written: rest });
    all.extend_from_slice(&big[..rest]);
    assert_eq!(errno_of(h.row_iter_bsatn_advance(it, &mut big)), NO_SUCH_ITER);
    assert_eq!(errno_of(h.row_iter_bsatn_close(it)), NO_SUCH_ITER);
    let rows = decode_rows(BLOB, &all);
    assert_eq!(rows.len(), 100);
    assert_eq!(h.open_row_iters(), 0);
}

#[test]
fn a_row_larger_than_a_chunk_needs_a_bigger_buffer() {
    let mut h = host();
    h.datastore_insert_bsatn(BLOB, &blob(1, 10)).unwrap();
    h.datastore_insert_bsatn(BLOB, &blob(2, 40_000)).unwrap();
    h.datastore_insert_bsatn(BLOB, &blob(3, 10)).unwrap();
    let first = blob(1, 10).len() + blob(2, 40_000).len();
    let it = h.datastore_table_scan_bsatn(BLOB).unwrap();
    let mut buf = vec![0u8; 64 * 1024];
    assert_eq!(
        h.row_iter_bsatn_advance(it, &mut buf[..32 * 1024]).unwrap(),
        RowIterAdvance::BufferTooSmall { needed: first }
    );
    assert_eq!(h.row_iter_bsatn_advance(it, &mut buf).unwrap(), RowIterAdvance::Exhausted { written: first + 18 });
    let rows = decode_rows(BLOB, &buf[..first + 18]);
    assert_eq!(rows.len(), 3);
}

#[test]
fn empty_scans_are_exhausted_at_once() {
    let mut h = host();
    let it = h.datastore_table_scan_bsatn(BLOB).unwrap();
    let mut buf = [0u8; 0];
    assert_eq!(h.row_iter_bsatn_advance(it, &mut buf).unwrap(), RowIterAdvance::Exhausted { written: 0 });
    assert_eq!(errno_of(h.row_iter_bsatn_advance(it, &mut buf)), NO_SUCH_ITER);
}

#[test]
fn handles_are_slot_plus_one_and_reused() {
    let mut h = host();
    h.datastore_insert_bsatn(BLOB, &blob(1, 10)).unwrap();
    let a = h.datastore_table_scan_bsatn(BLOB).unwrap();
    let b = h.datastore_table_scan_bsatn(BLOB).unwrap();
    let c = h.datastore_table_scan_bsatn(BLOB).unwrap();
    assert_eq!((a, b, c), (1, 2, 3));
    h.row_iter_bsatn_close(a).unwrap();
    h.row_iter_bsatn_close(c).unwrap();
    assert_eq!(errno_of(h.row_iter_bsatn_close(a)), NO_SUCH_ITER);
    assert_eq!(errno_of(h.row_iter_bsatn_close(0)), NO_SUCH_ITER);
    assert_eq!(errno_of(h.row_iter_bsatn_close(u32::MAX)), NO_SUCH_ITER);
    let mut buf = [0u8; 8];
    assert_eq!(errno_of(h.row_iter_bsatn_advance(0, &mut buf)), NO_SUCH_ITER);
    // The most recently freed slot first, as the server's slab does.
    assert_eq!(h.datastore_table_scan_bsatn(BLOB).unwrap(), 3);
    assert_eq!(h.datastore_table_scan_bsatn(BLOB).unwrap(), 1);
    assert_eq!(h.open_row_iters(), 3);
    // Iterators outlive the transaction and the call.
    let end = h.end_call();
    drop(end);
    let mut big = vec![0u8; 1024];
    assert!(matches!(h.row_iter_bsatn_advance(b, &mut big).unwrap(), RowIterAdvance::Exhausted { .. }));
}
