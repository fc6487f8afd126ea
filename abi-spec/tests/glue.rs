//! The generated glue against a wasm32-style linear memory (`[u8]`, pointers are offsets).

use worldtube_abi::{glue, Errno, HostResult, HttpOutcome, IndexPrefix, PartialHost, RowIterAdvance, SourceRead, Trap};

/// level, target, filename, line number, message
pub type LogRecord = (u32, Option<String>, Option<String>, Option<u32>, String);

#[derive(Default)]
struct Recorder {
    prefix_seen: Option<(Vec<u8>, u16)>,
    log: Option<LogRecord>,
    connection_seen: Option<[u8; 16]>,
}

impl PartialHost for Recorder {
    fn bytes_source_remaining_length(&mut self, source: u32) -> HostResult<u32> {
        match source {
            1 => Ok(0x0403_0201),
            _ => Err(Errno::NO_SUCH_BYTES.into()),
        }
    }
    fn get_jwt(&mut self, connection_id: [u8; 16]) -> HostResult<u32> {
        self.connection_seen = Some(connection_id);
        Ok(0)
    }
    fn procedure_start_mut_tx(&mut self) -> HostResult<i64> {
        Ok(-2)
    }
    fn procedure_sleep_until(&mut self, wake_at: i64) -> Result<i64, Trap> {
        Ok(wake_at + 1)
    }
    fn procedure_http_request(&mut self, request: &[u8], body: &[u8]) -> HostResult<HttpOutcome> {
        match (request, body) {
            (b"ok", _) => Ok(HttpOutcome::Response { response: 5, body: 6 }),
            (b"fail", _) => Ok(HttpOutcome::Failed { error: 7 }),
            _ => Err(Errno::BSATN_DECODE_ERROR.into()),
        }
    }
    fn table_id_from_name(&mut self, name: &str) -> HostResult<u32> {
        match name {
            "t" => Ok(0x0403_0201),
            _ => Err(Errno::NO_SUCH_TABLE.into()),
        }
    }
    fn datastore_table_row_count(&mut self, _: u32) -> HostResult<u64> {
        Ok(0x0807_0605_0403_0201)
    }
    fn datastore_index_scan_range_bsatn(
        &mut self,
        _: u32,
        prefix: IndexPrefix<'_>,
        _: &[u8],
        _: &[u8],
    ) -> HostResult<u32> {
        self.prefix_seen = Some((prefix.bytes.to_vec(), prefix.elems));
        Ok(9)
    }
    fn row_iter_bsatn_advance(&mut self, iter: u32, buffer: &mut [u8]) -> HostResult<RowIterAdvance> {
        match iter {
            1 => Ok(RowIterAdvance::BufferTooSmall { needed: 40_000 }),
            2 => {
                buffer[..3].copy_from_slice(b"abc");
                Ok(RowIterAdvance::Exhausted { written: 3 })
            }
            _ => Err(Errno::NO_SUCH_ITER.into()),
        }
    }
    fn datastore_insert_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<Vec<u8>> {
        Ok(vec![0xAA, 0xBB])
    }
    fn bytes_sink_write(&mut self, _: u32, data: &[u8]) -> HostResult<usize> {
        Ok(data.len() / 2)
    }
    fn bytes_source_read(&mut self, _: u32, buffer: &mut [u8]) -> HostResult<SourceRead> {
        buffer.fill(7);
        Ok(SourceRead { written: buffer.len(), exhausted: false })
    }
    fn console_log(
        &mut self,
        level: u32,
        target: Option<&str>,
        filename: Option<&str>,
        line: Option<u32>,
        message: &str,
    ) -> Result<(), Trap> {
        let owned = |s: Option<&str>| s.map(str::to_owned);
        self.log = Some((level, owned(target), owned(filename), line, message.to_owned()));
        Ok(())
    }
}

fn memory() -> Vec<u8> {
    vec![0; 256]
}

fn cell(mem: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(mem[at..at + 4].try_into().unwrap())
}

#[test]
fn out_pointers_are_written_little_endian_and_only_on_success() {
    let mut mem = memory();
    mem[16] = b't';
    let status = glue::table_id_from_name(&mut mem[..], &mut Recorder::default(), 16, 1, 100).unwrap();
    assert_eq!((status, &mem[100..104]), (0, &[1, 2, 3, 4][..]));

    mem[16] = b'x';
    mem[100..104].fill(0xEE);
    let status = glue::table_id_from_name(&mut mem[..], &mut Recorder::default(), 16, 1, 100).unwrap();
    assert_eq!(status, Errno::NO_SUCH_TABLE.code());
    assert_eq!(&mem[100..104], &[0xEE; 4], "an errno leaves the out-pointer alone");

    let status = glue::datastore_table_row_count(&mut mem[..], &mut Recorder::default(), 1, 200).unwrap();
    assert_eq!((status, &mem[200..208]), (0, &[1, 2, 3, 4, 5, 6, 7, 8][..]));
}

#[test]
fn null_traps_even_for_empty_slices() {
    let mut mem = memory();
    let trap = glue::table_id_from_name(&mut mem[..], &mut Recorder::default(), 0, 0, 100).unwrap_err();
    assert!(trap.message().contains("NULL"));
    mem[16] = b't';
    let trap = glue::table_id_from_name(&mut mem[..], &mut Recorder::default(), 16, 1, 0);
    assert!(trap.is_err(), "a NULL out-pointer traps when the host has a value to write");
}

#[test]
fn out_of_bounds_and_invalid_utf8_trap() {
    let mut mem = memory();
    assert!(glue::table_id_from_name(&mut mem[..], &mut Recorder::default(), 250, 10, 100).is_err());
    mem[16] = 0xFF;
    let trap = glue::table_id_from_name(&mut mem[..], &mut Recorder::default(), 16, 1, 100).unwrap_err();
    assert!(trap.message().contains("UTF-8"));
}

#[test]
fn index_prefix_is_ignored_when_elems_is_zero_and_elems_must_fit_u16() {
    let mut mem = memory();
    let mut host = Recorder::default();
    // prefix_ptr is NULL but prefix_elems is 0: no trap, empty prefix.
    let status = glue::datastore_index_scan_range_bsatn(&mut mem[..], &mut host, 1, 0, 5, 0, 8, 1, 8, 1, 100).unwrap();
    assert_eq!(status, 0);
    assert_eq!(host.prefix_seen, Some((vec![], 0)));
    assert_eq!(cell(&mem, 100), 9);

    mem[40..42].copy_from_slice(&[5, 6]);
    glue::datastore_index_scan_range_bsatn(&mut mem[..], &mut host, 1, 40, 2, 1, 8, 1, 8, 1, 100).unwrap();
    assert_eq!(host.prefix_seen, Some((vec![5, 6], 1)));

    assert!(glue::datastore_index_scan_range_bsatn(&mut mem[..], &mut host, 1, 40, 2, 70_000, 8, 1, 8, 1, 100).is_err());
}

#[test]
fn advance_reports_needed_size_and_exhaustion() {
    let mut mem = memory();
    mem[60..64].copy_from_slice(&16u32.to_le_bytes());
    let status = glue::row_iter_bsatn_advance(&mut mem[..], &mut Recorder::default(), 1, 64, 60).unwrap();
    assert_eq!((status, cell(&mem, 60)), (Errno::BUFFER_TOO_SMALL.code() as i16, 40_000));

    mem[60..64].copy_from_slice(&16u32.to_le_bytes());
    let status = glue::row_iter_bsatn_advance(&mut mem[..], &mut Recorder::default(), 2, 64, 60).unwrap();
    assert_eq!((status, cell(&mem, 60), &mem[64..67]), (-1, 3, &b"abc"[..]));

    let status = glue::row_iter_bsatn_advance(&mut mem[..], &mut Recorder::default(), 3, 64, 60).unwrap();
    assert_eq!(status, Errno::NO_SUCH_ITER.code() as i16);
}

#[test]
fn insert_writes_back_generated_bytes_and_length() {
    let mut mem = memory();
    mem[60..64].copy_from_slice(&6u32.to_le_bytes());
    let status = glue::datastore_insert_bsatn(&mut mem[..], &mut Recorder::default(), 1, 64, 60).unwrap();
    assert_eq!((status, cell(&mem, 60), &mem[64..66]), (0, 2, &[0xAA, 0xBB][..]));

    // Generated values longer than the row buffer are a host bug: trap, do not overrun.
    mem[60..64].copy_from_slice(&1u32.to_le_bytes());
    assert!(glue::datastore_insert_bsatn(&mut mem[..], &mut Recorder::default(), 1, 64, 60).is_err());
}

#[test]
fn sink_write_reports_consumed_and_source_read_fills() {
    let mut mem = memory();
    mem[60..64].copy_from_slice(&10u32.to_le_bytes());
    let status = glue::bytes_sink_write(&mut mem[..], &mut Recorder::default(), 1, 64, 60).unwrap();
    assert_eq!((status, cell(&mem, 60)), (0, 5));

    mem[60..64].copy_from_slice(&4u32.to_le_bytes());
    let status = glue::bytes_source_read(&mut mem[..], &mut Recorder::default(), 1, 64, 60).unwrap();
    assert_eq!((status, cell(&mem, 60), &mem[64..69]), (0, 4, &[7, 7, 7, 7, 0][..]));
}

#[test]
fn console_log_allows_null_target_and_filename_decodes_lossily_and_drops_what_it_cannot_read() {
    let mut mem = memory();
    mem[10..13].copy_from_slice(&[b'h', 0xFF, b'i']);
    let mut host = Recorder::default();
    glue::console_log(&mut mem[..], &mut host, 2, 0, 0, 0, 0, u32::MAX, 10, 3).unwrap();
    assert_eq!(host.log, Some((2, None, None, None, "h\u{FFFD}i".to_owned())));
    // What the host cannot read is dropped, as the servers drop it: no trap, no record.
    let mut host = Recorder::default();
    glue::console_log(&mut mem[..], &mut host, 2, 0, 0, 0, 0, 1, 0, 0).expect("a NULL message is dropped");
    let past_end = mem.len() as u32 - 1;
    glue::console_log(&mut mem[..], &mut host, 2, past_end, 8, 0, 0, 1, 10, 3).expect("a bad target is dropped");
    glue::console_log(&mut mem[..], &mut host, 2, 0, 0, 0, 0, 1, past_end, 8).expect("a bad message is dropped");
    assert_eq!(host.log, None, "the host never saw them");
}

#[test]
fn unimplemented_methods_trap() {
    let mut mem = memory();
    let trap = glue::console_timer_end(&mut mem[..], &mut Recorder::default(), 1).unwrap_err();
    assert!(trap.message().contains("console_timer_end"));
}

#[test]
fn remaining_length_has_a_signed_status_and_writes_only_on_success() {
    let mut mem = memory();
    let status = glue::bytes_source_remaining_length(&mut mem[..], &mut Recorder::default(), 1, 100).unwrap();
    assert_eq!((status, cell(&mem, 100)), (0i16, 0x0403_0201));
    mem[100..104].fill(0xEE);
    let status = glue::bytes_source_remaining_length(&mut mem[..], &mut Recorder::default(), 2, 100).unwrap();
    assert_eq!((status, cell(&mem, 100)), (Errno::NO_SUCH_BYTES.code() as i16, 0xEEEE_EEEE));
    assert!(glue::bytes_source_remaining_length(&mut mem[..], &mut Recorder::default(), 1, 0).is_err());
}

#[test]
fn get_jwt_reads_sixteen_connection_id_bytes() {
    let mut mem = memory();
    mem[20..36].copy_from_slice(&(1..=16).collect::<Vec<u8>>());
    mem[100..104].fill(0xEE);
    let mut host = Recorder::default();
    let status = glue::get_jwt(&mut mem[..], &mut host, 20, 100).unwrap();
    assert_eq!((status, cell(&mem, 100)), (0, 0), "no token: handle 0");
    assert_eq!(host.connection_seen, Some(core::array::from_fn(|i| i as u8 + 1)));
    assert!(glue::get_jwt(&mut mem[..], &mut host, 0, 100).is_err(), "NULL connection id traps");
    assert!(glue::get_jwt(&mut mem[..], &mut host, 250, 100).is_err(), "16 bytes past the end trap");
}

#[test]
fn i64_values_and_out_pointers() {
    let mut mem = memory();
    let status = glue::procedure_start_mut_tx(&mut mem[..], &mut Recorder::default(), 100).unwrap();
    assert_eq!((status, &mem[100..108]), (0, &(-2i64).to_le_bytes()[..]));
    assert_eq!(glue::procedure_sleep_until(&mut mem[..], &mut Recorder::default(), -5).unwrap(), -4);
}

#[test]
fn http_writes_both_handles_the_error_handle_or_nothing() {
    let mut mem = memory();
    mem[10..12].copy_from_slice(b"ok");
    mem[20..24].copy_from_slice(b"fail");
    mem[100..108].fill(0xEE);
    let status = glue::procedure_http_request(&mut mem[..], &mut Recorder::default(), 10, 2, 30, 0, 100).unwrap();
    assert_eq!((status, cell(&mem, 100), cell(&mem, 104)), (0, 5, 6));

    mem[100..108].fill(0xEE);
    let status = glue::procedure_http_request(&mut mem[..], &mut Recorder::default(), 20, 4, 30, 0, 100).unwrap();
    assert_eq!((status, cell(&mem, 100), cell(&mem, 104)), (Errno::HTTP_ERROR.code(), 7, 0xEEEE_EEEE));

    mem[100..108].fill(0xEE);
    let status = glue::procedure_http_request(&mut mem[..], &mut Recorder::default(), 30, 1, 30, 0, 100).unwrap();
    assert_eq!(
        (status, cell(&mem, 100), cell(&mem, 104)),
        (Errno::BSATN_DECODE_ERROR.code(), 0xEEEE_EEEE, 0xEEEE_EEEE)
    );

    // A NULL body traps even when empty.
    assert!(glue::procedure_http_request(&mut mem[..], &mut Recorder::default(), 10, 2, 0, 0, 100).is_err());
}
