//! THE declaration table of the imports. Everything else about imports (the [`Host`](crate::Host)
//! traits, the static [`IMPORTS`](crate::IMPORTS) data, the glue, the reified [`Call`](crate::Call),
//! worldtube-sys's `extern` block and native stand-ins, the host's wasm linker, SPEC.md, abi.json)
//! is expanded from here, so this is the one place to edit. The entries are parsed once, by
//! [`__imports!`](crate::__imports) in `views.rs`, which hands every consumer a normalized view.

/// Expands `__imports! { @parse [$view...] [] import NAME { ... } ... }` with every import: the
/// declaration data, read only by the parser in `views.rs` (use the views, e.g.
/// [`for_each_import!`](crate::for_each_import), not this).
///
/// Entry grammar (all fields always present, in this order):
///
/// ```text
/// import <name> {
///     module: "<import module>",                      // the ABI version that introduced it
///     host: <Host method> -> <its success type>,      // aliases name their original's method
///     alias_of: [<import name>?],                     // set on deprecated aliases
///     doc: "<what it does>",
///     inputs: [ <param>: <ParamKind>(<wasm name>: <SlotKind>, ...) "<doc>", ... ],
///     output: [<param>: <ParamKind>(<wasm name>: <SlotKind>, ...) "<doc>"],  // `[]` if none
///     result: <ResultKind>,
///     errnos: [ <ERRNO_NAME>: "<when>", ... ],
///     traps: [ "<when>", ... ],
///     ownership: "<buffer ownership>",
/// }
/// ```
///
/// `ParamKind`, `SlotKind` and `ResultKind` are the variant names of
/// [`ParamKind`](crate::ParamKind), [`SlotKind`](crate::SlotKind) and
/// [`ResultKind`](crate::ResultKind). Wasm parameters appear in wasm order: inputs, then output.
/// The Host method's success type is what the glue writes through the output (or returns as the
/// value); a mismatch with the output kind is a compile error in the glue.
#[doc(hidden)]
#[macro_export]
macro_rules! __import_table {
    ($($view:tt)*) => {
        $crate::__imports! { @parse [$($view)*] []
            import table_id_from_name {
                module: "spacetime_10.0",
                host: table_id_from_name -> u32,
                alias_of: [],
                doc: "Looks a table up by its exact name and returns its TableId.",
                inputs: [
                    name: Str(name_ptr: Ptr, name_len: Len) "The table name, UTF-8, compared exactly.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the TableId on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction (e.g. during __describe_module__)",
                    NO_SUCH_TABLE: "no table has this name",
                ],
                traps: [
                    "name_ptr or out is NULL or out of bounds",
                    "the name is not valid UTF-8",
                ],
                ownership: "The name is only read during the call.",
            }

            import index_id_from_name {
                module: "spacetime_10.0",
                host: index_id_from_name -> u32,
                alias_of: [],
                doc: "Looks an index up by name and returns its IndexId. The name is the explicit index name or the generated one, `{table}_{col1}_{col2}..._idx_{btree|direct|hash}`.",
                inputs: [
                    name: Str(name_ptr: Ptr, name_len: Len) "The index name, UTF-8, compared exactly.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the IndexId on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_INDEX: "no index has this name",
                ],
                traps: [
                    "name_ptr or out is NULL or out of bounds",
                    "the name is not valid UTF-8",
                ],
                ownership: "The name is only read during the call.",
            }

            import datastore_table_row_count {
                module: "spacetime_10.0",
                host: datastore_table_row_count -> u64,
                alias_of: [],
                doc: "Counts the rows of a table as the current transaction sees them (its own inserts and deletes included).",
                inputs: [
                    table_id: Value(table_id: U32) "The table.",
                ],
                output: [out: OutU64(out: U64Ptr) "Receives the row count (u64) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_TABLE: "the table id is unknown",
                ],
                traps: [
                    "out is NULL or out of bounds",
                ],
                ownership: "Nothing is borrowed.",
            }

            import datastore_table_scan_bsatn {
                module: "spacetime_10.0",
                host: datastore_table_scan_bsatn -> u32,
                alias_of: [],
                doc: "Starts a row iterator over every row of a table. The rows are captured when the iterator is created (a snapshot); later changes do not show up in it.",
                inputs: [
                    table_id: Value(table_id: U32) "The table.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the RowIter handle (never 0) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_TABLE: "the table id is unknown",
                ],
                traps: [
                    "out is NULL or out of bounds",
                ],
                ownership: "The iterator lives in the host until it is exhausted (-1 from row_iter_bsatn_advance) or closed; it is not freed at the end of the reducer call.",
            }

            import datastore_index_scan_range_bsatn {
                module: "spacetime_10.0",
                host: datastore_index_scan_range_bsatn -> u32,
                alias_of: [],
                doc: "Starts a row iterator over the rows of an index whose key starts with `prefix` and whose next key column lies between `rstart` and `rend`. Rows come in index order and are captured at creation time.",
                inputs: [
                    index_id: Value(index_id: U32) "The index.",
                    prefix: IndexPrefix(prefix_ptr: Ptr, prefix_len: Len, prefix_elems: U32) "BSATN of the first `prefix_elems` key column values, concatenated without a length prefix. When `prefix_elems` is 0 the pointer and length are not looked at.",
                    rstart: Bytes(rstart_ptr: Ptr, rstart_len: Len) "BSATN `Bound` of key column number `prefix_elems`: tag 0 Included + value, 1 Excluded + value, 2 Unbounded.",
                    rend: Bytes(rend_ptr: Ptr, rend_len: Len) "BSATN `Bound` of the same column for the upper end, same encoding.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the RowIter handle (never 0) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_INDEX: "the index id is unknown",
                    BSATN_DECODE_ERROR: "the prefix or a bound does not decode at the index's key column types",
                ],
                traps: [
                    "prefix_elems does not fit in u16",
                    "prefix_ptr (when prefix_elems > 0), rstart_ptr, rend_ptr or out is NULL or out of bounds",
                ],
                ownership: "The prefix and bounds are only read during the call; the iterator is host-owned as for datastore_table_scan_bsatn.",
            }

            import datastore_btree_scan_bsatn {
                module: "spacetime_10.0",
                host: datastore_index_scan_range_bsatn -> u32,
                alias_of: [datastore_index_scan_range_bsatn],
                doc: "Deprecated older name of datastore_index_scan_range_bsatn; identical signature and behaviour.",
                inputs: [
                    index_id: Value(index_id: U32) "The index.",
                    prefix: IndexPrefix(prefix_ptr: Ptr, prefix_len: Len, prefix_elems: U32) "As for datastore_index_scan_range_bsatn.",
                    rstart: Bytes(rstart_ptr: Ptr, rstart_len: Len) "As for datastore_index_scan_range_bsatn.",
                    rend: Bytes(rend_ptr: Ptr, rend_len: Len) "As for datastore_index_scan_range_bsatn.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the RowIter handle (never 0) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_INDEX: "the index id is unknown",
                    BSATN_DECODE_ERROR: "the prefix or a bound does not decode at the index's key column types",
                ],
                traps: [
                    "prefix_elems does not fit in u16",
                    "prefix_ptr (when prefix_elems > 0), rstart_ptr, rend_ptr or out is NULL or out of bounds",
                ],
                ownership: "As for datastore_index_scan_range_bsatn.",
            }

            import datastore_delete_by_index_scan_range_bsatn {
                module: "spacetime_10.0",
                host: datastore_delete_by_index_scan_range_bsatn -> u32,
                alias_of: [],
                doc: "Deletes every row that datastore_index_scan_range_bsatn with the same arguments would yield and returns how many were deleted.",
                inputs: [
                    index_id: Value(index_id: U32) "The index.",
                    prefix: IndexPrefix(prefix_ptr: Ptr, prefix_len: Len, prefix_elems: U32) "As for datastore_index_scan_range_bsatn.",
                    rstart: Bytes(rstart_ptr: Ptr, rstart_len: Len) "As for datastore_index_scan_range_bsatn.",
                    rend: Bytes(rend_ptr: Ptr, rend_len: Len) "As for datastore_index_scan_range_bsatn.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the number of deleted rows (u32) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_INDEX: "the index id is unknown",
                    BSATN_DECODE_ERROR: "the prefix or a bound does not decode at the index's key column types",
                ],
                traps: [
                    "prefix_elems does not fit in u16",
                    "prefix_ptr (when prefix_elems > 0), rstart_ptr, rend_ptr or out is NULL or out of bounds",
                ],
                ownership: "The prefix and bounds are only read during the call.",
            }

            import datastore_delete_by_btree_scan_bsatn {
                module: "spacetime_10.0",
                host: datastore_delete_by_index_scan_range_bsatn -> u32,
                alias_of: [datastore_delete_by_index_scan_range_bsatn],
                doc: "Deprecated older name of datastore_delete_by_index_scan_range_bsatn; identical signature and behaviour.",
                inputs: [
                    index_id: Value(index_id: U32) "The index.",
                    prefix: IndexPrefix(prefix_ptr: Ptr, prefix_len: Len, prefix_elems: U32) "As for datastore_index_scan_range_bsatn.",
                    rstart: Bytes(rstart_ptr: Ptr, rstart_len: Len) "As for datastore_index_scan_range_bsatn.",
                    rend: Bytes(rend_ptr: Ptr, rend_len: Len) "As for datastore_index_scan_range_bsatn.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the number of deleted rows (u32) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_INDEX: "the index id is unknown",
                    BSATN_DECODE_ERROR: "the prefix or a bound does not decode at the index's key column types",
                ],
                traps: [
                    "prefix_elems does not fit in u16",
                    "prefix_ptr (when prefix_elems > 0), rstart_ptr, rend_ptr or out is NULL or out of bounds",
                ],
                ownership: "As for datastore_delete_by_index_scan_range_bsatn.",
            }

            import datastore_delete_all_by_eq_bsatn {
                module: "spacetime_10.0",
                host: datastore_delete_all_by_eq_bsatn -> u32,
                alias_of: [],
                doc: "Deletes every stored row that is equal to one of the given rows and returns how many were deleted. The input is a BSATN *array* of rows (u32 count, then the rows), not a single row.",
                inputs: [
                    table_id: Value(table_id: U32) "The table.",
                    relation: Bytes(rel_ptr: Ptr, rel_len: Len) "BSATN array of rows at the table's row type: u32 LE count, then each row.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the number of deleted rows (u32) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_TABLE: "the table id is unknown",
                    BSATN_DECODE_ERROR: "the bytes are not an array of rows of the table's row type",
                ],
                traps: [
                    "rel_ptr or out is NULL or out of bounds",
                ],
                ownership: "The rows are only read during the call.",
            }

            import row_iter_bsatn_advance {
                module: "spacetime_10.0",
                host: row_iter_bsatn_advance -> $crate::RowIterAdvance,
                alias_of: [],
                doc: "Copies as many whole chunks of the iterator's remaining rows as fit into the buffer. A chunk is a concatenation of whole BSATN rows (no per-row length), closed once it exceeds ROW_ITER_CHUNK_SIZE (32 KiB).",
                inputs: [
                    iter: Value(iter: U32) "The RowIter handle.",
                ],
                output: [buffer: FillBuffer(buffer_ptr: MutPtr, buffer_len_ptr: LenPtr) "On entry `*buffer_len_ptr` is the buffer's capacity. On return it holds the number of bytes written, or with BUFFER_TOO_SMALL the size of the next chunk."],
                result: StatusOrExhausted,
                errnos: [
                    NO_SUCH_ITER: "the handle is unknown, closed, or was already exhausted",
                    BUFFER_TOO_SMALL: "not even the next chunk fits; its size was written to *buffer_len_ptr, retry with a buffer at least that large",
                ],
                traps: [
                    "buffer_ptr or buffer_len_ptr is NULL or out of bounds",
                ],
                ownership: "The buffer belongs to the module; the host only writes into its first *buffer_len_ptr bytes. Returning -1 means the host has destroyed the iterator: the bytes of that call are valid and the module must not close the handle.",
            }

            import row_iter_bsatn_close {
                module: "spacetime_10.0",
                host: row_iter_bsatn_close -> (),
                alias_of: [],
                doc: "Destroys a row iterator that has not been exhausted.",
                inputs: [
                    iter: Value(iter: U32) "The RowIter handle.",
                ],
                output: [],
                result: Status,
                errnos: [
                    NO_SUCH_ITER: "the handle is unknown, already closed, or was destroyed by exhaustion",
                ],
                traps: [],
                ownership: "Frees the host-side iterator.",
            }

            import datastore_insert_bsatn {
                module: "spacetime_10.0",
                host: datastore_insert_bsatn -> ::std::vec::Vec<u8>,
                alias_of: [],
                doc: "Inserts a row. Auto-increment columns whose supplied value is numeric zero get a generated value; the buffer is then overwritten with the BSATN of just those generated values, concatenated in column order. Inserting a row identical to a stored one is a successful no-op. If the table is a schedule table the row is also scheduled.",
                inputs: [
                    table_id: Value(table_id: U32) "The table.",
                ],
                output: [row: RowWriteBack(row_ptr: MutPtr, row_len_ptr: LenPtr) "On entry `*row_len_ptr` bytes of BSATN row at `row_ptr`. On success the buffer holds the generated values and `*row_len_ptr` their length (0 if none)."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_TABLE: "the table id is unknown (the real 2.8.3 server traps instead, a server bug: conformance/RESULTS.md)",
                    BSATN_DECODE_ERROR: "the bytes are not exactly one row of the table's row type (the real 2.8.3 server traps instead, and accepts bytes after a row that has a variable-length column: server bugs, conformance/RESULTS.md)",
                    UNIQUE_ALREADY_EXISTS: "another row already has the value of a unique column",
                    SCHEDULE_AT_DELAY_TOO_LONG: "the row's schedule time is too far in the future",
                ],
                traps: [
                    "row_ptr or row_len_ptr is NULL or out of bounds",
                    "any other datastore failure that 10.0 has no errno for (e.g. a sequence overflowing)",
                ],
                ownership: "The row buffer belongs to the module and is rewritten in place; it is never written past its original length.",
            }

            import datastore_update_bsatn {
                module: "spacetime_10.0",
                host: datastore_update_bsatn -> ::std::vec::Vec<u8>,
                alias_of: [],
                doc: "Replaces the row whose key under the unique index `index_id` equals the new row's key. Zero auto-increment values are regenerated and written back exactly as for datastore_insert_bsatn.",
                inputs: [
                    table_id: Value(table_id: U32) "The table.",
                    index_id: Value(index_id: U32) "A unique index of that table; the old row is found by projecting the new row onto its columns.",
                ],
                output: [row: RowWriteBack(row_ptr: MutPtr, row_len_ptr: LenPtr) "As for datastore_insert_bsatn: the new row on entry, the generated values on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_TABLE: "the table id is unknown (the real 2.8.3 server traps instead, a server bug: conformance/RESULTS.md)",
                    NO_SUCH_INDEX: "the index id is unknown",
                    INDEX_NOT_UNIQUE: "the index is not unique",
                    NO_SUCH_ROW: "no stored row has the new row's key (nothing is inserted)",
                    BSATN_DECODE_ERROR: "the bytes are not exactly one row of the table's row type (the real 2.8.3 server traps instead, and accepts bytes after a row that has a variable-length column: server bugs, conformance/RESULTS.md)",
                    UNIQUE_ALREADY_EXISTS: "the new row clashes with a different row on another unique column",
                    SCHEDULE_AT_DELAY_TOO_LONG: "the row's schedule time is too far in the future",
                ],
                traps: [
                    "row_ptr or row_len_ptr is NULL or out of bounds",
                    "any other datastore failure that 10.0 has no errno for",
                ],
                ownership: "As for datastore_insert_bsatn.",
            }

            import volatile_nonatomic_schedule_immediate {
                module: "spacetime_10.0",
                host: volatile_nonatomic_schedule_immediate -> (),
                alias_of: [],
                doc: "Asks the host to call a reducer by name with the given BSATN arguments soon, outside the current transaction and whether or not it commits. Best effort: there is no result.",
                inputs: [
                    name: Str(name_ptr: Ptr, name_len: Len) "The reducer name, UTF-8.",
                    args: Bytes(args_ptr: Ptr, args_len: Len) "BSATN of the reducer's argument product.",
                ],
                output: [],
                result: Unit,
                errnos: [],
                traps: [
                    "name_ptr or args_ptr is NULL or out of bounds",
                    "the name is not valid UTF-8",
                ],
                ownership: "Both buffers are copied during the call.",
            }

            import bytes_sink_write {
                module: "spacetime_10.0",
                host: bytes_sink_write -> usize,
                alias_of: [],
                doc: "Appends bytes to a sink. The host may take fewer bytes than offered; the module repeats with the rest until everything is consumed.",
                inputs: [
                    sink: Value(sink: U32) "The BytesSink handle.",
                ],
                output: [buffer: DrainBuffer(buffer_ptr: Ptr, buffer_len_ptr: LenPtr) "On entry `*buffer_len_ptr` bytes at `buffer_ptr` to append. On success the number of bytes consumed."],
                result: Status,
                errnos: [
                    NO_SUCH_BYTES: "the sink handle is unknown",
                    NO_SPACE: "the sink is full",
                ],
                traps: [
                    "buffer_ptr or buffer_len_ptr is NULL or out of bounds",
                ],
                ownership: "The bytes are copied during the call.",
            }

            import bytes_source_read {
                module: "spacetime_10.0",
                host: bytes_source_read -> $crate::SourceRead,
                alias_of: [],
                doc: "Copies the next bytes of a source into the buffer: min(capacity, remaining) bytes. A zero capacity with data left returns 0 with nothing written.",
                inputs: [
                    source: Value(source: U32) "The BytesSource handle (never 0: handle 0 means empty and must not be read).",
                ],
                output: [buffer: FillBuffer(buffer_ptr: MutPtr, buffer_len_ptr: LenPtr) "On entry `*buffer_len_ptr` is the buffer's capacity; on return the number of bytes written."],
                result: StatusOrExhausted,
                errnos: [
                    NO_SUCH_BYTES: "the handle is unknown or the source was already exhausted",
                ],
                traps: [
                    "buffer_ptr or buffer_len_ptr is NULL or out of bounds",
                ],
                ownership: "The buffer belongs to the module. Returning -1 means this call delivered the last bytes (still valid) and the host destroyed the source.",
            }

            import console_log {
                module: "spacetime_10.0",
                host: console_log -> (),
                alias_of: [],
                doc: "Writes a record to the database's log. Never fails: a record whose message pointer is NULL, or any of whose strings is out of bounds, is dropped (the 1.3 and 2.8.3 servers ignore such a call rather than trapping; conformance/RESULTS.md).",
                inputs: [
                    level: Value(level: U32) "Log level: 0 ERROR, 1 WARN, 2 INFO, 3 DEBUG, 4 TRACE, 101 PANIC; other values are logged as DEBUG.",
                    target: OptLossyStr(target_ptr: Ptr, target_len: Len) "Module path or other target; NULL means none.",
                    filename: OptLossyStr(filename_ptr: Ptr, filename_len: Len) "Source file; NULL means none.",
                    line_number: OptLine(line_number: U32) "Source line; u32::MAX means none.",
                    message: LossyStr(message_ptr: Ptr, message_len: Len) "The text.",
                ],
                output: [],
                result: Lenient,
                errnos: [],
                traps: [],
                ownership: "All strings are copied during the call; invalid UTF-8 is replaced, not rejected.",
            }

            import console_timer_start {
                module: "spacetime_10.0",
                host: console_timer_start -> u32,
                alias_of: [],
                doc: "Starts a named timer and returns its id (never 0).",
                inputs: [
                    name: LossyStr(name_ptr: Ptr, name_len: Len) "Timer name shown when it ends.",
                ],
                output: [],
                result: ValueU32,
                errnos: [],
                traps: [
                    "name_ptr is NULL or out of bounds",
                ],
                ownership: "The name is copied; the timer lives in the host until ended.",
            }

            import console_timer_end {
                module: "spacetime_10.0",
                host: console_timer_end -> (),
                alias_of: [],
                doc: "Ends a timer and logs its name and elapsed time at INFO level.",
                inputs: [
                    timer_id: Value(timer_id: U32) "An id from console_timer_start.",
                ],
                output: [],
                result: Status,
                errnos: [
                    NO_SUCH_CONSOLE_TIMER: "the id is unknown or the timer already ended",
                ],
                traps: [],
                ownership: "Frees the host-side timer.",
            }

            import identity {
                module: "spacetime_10.0",
                host: identity -> [u8; 32],
                alias_of: [],
                doc: "Writes the database's own Identity.",
                inputs: [],
                output: [out: OutIdentity(out_ptr: IdentityPtr) "Receives the 32-byte identity, little-endian (the BSATN byte order)."],
                result: Unit,
                errnos: [],
                traps: [
                    "out_ptr is NULL or out of bounds",
                ],
                ownership: "Nothing is borrowed.",
            }

            import bytes_source_remaining_length {
                module: "spacetime_10.1",
                host: bytes_source_remaining_length -> u32,
                alias_of: [],
                doc: "Tells how many bytes a source still holds, so that the module can size its buffer before reading.",
                inputs: [
                    source: Value(source: U32) "The BytesSource handle (handle 0 is never valid).",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the number of unread bytes (u32) on success."],
                result: SignedStatus,
                errnos: [
                    NO_SUCH_BYTES: "the handle is unknown, or the source was exhausted (and so destroyed) by bytes_source_read",
                ],
                traps: [
                    "out is NULL or out of bounds",
                    "the source holds more than u32::MAX bytes",
                ],
                ownership: "Nothing is borrowed; the source is not consumed.",
            }

            import get_jwt {
                module: "spacetime_10.2",
                host: get_jwt -> u32,
                alias_of: [],
                doc: "Looks up the payload of the JSON Web Token a connection authenticated with and hands it out as a new bytes source. Reads a system table, so it needs a transaction.",
                inputs: [
                    connection_id: ConnectionId(connection_id_ptr: Ptr) "Address of the 16-byte ConnectionId, little-endian.",
                ],
                output: [out: OutU32(bytes_source_id: U32Ptr) "Receives a BytesSource handle with the payload (UTF-8 JSON), or 0 when the connection has no token."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                ],
                traps: [
                    "connection_id_ptr is NULL or its 16 bytes are out of bounds",
                    "bytes_source_id is NULL or out of bounds",
                ],
                ownership: "The connection id is only read. The new source lives in the host until it is read to the end.",
            }

            import procedure_start_mut_tx {
                module: "spacetime_10.3",
                host: procedure_start_mut_tx -> i64,
                alias_of: [],
                doc: "For procedures: opens a mutable transaction, waiting for the lock. Datastore calls after it run in that transaction until procedure_commit_mut_tx or procedure_abort_mut_tx. A reducer already runs in a transaction, so it gets WOULD_BLOCK_TRANSACTION.",
                inputs: [],
                output: [out: OutI64(out: I64Ptr) "Receives the transaction's timestamp, microseconds since the Unix epoch (i64), on success."],
                result: Status,
                errnos: [
                    WOULD_BLOCK_TRANSACTION: "a transaction is already open (always the case in a reducer)",
                ],
                traps: [
                    "out is NULL or out of bounds",
                ],
                ownership: "Nothing is borrowed. The transaction is the host's; one left open when the procedure returns is aborted.",
            }

            import procedure_commit_mut_tx {
                module: "spacetime_10.3",
                host: procedure_commit_mut_tx -> (),
                alias_of: [],
                doc: "For procedures: commits the transaction procedure_start_mut_tx opened, waiting until it is durable and subscribers were told.",
                inputs: [],
                output: [],
                result: Status,
                errnos: [
                    TRANSACTION_NOT_ANONYMOUS: "no transaction opened by procedure_start_mut_tx is open (always the case in a reducer; also when none is open at all)",
                    TRANSACTION_IS_READ_ONLY: "the open transaction is read-only (servers do not open such transactions for modules today)",
                ],
                traps: [],
                ownership: "Nothing is borrowed.",
            }

            import procedure_abort_mut_tx {
                module: "spacetime_10.3",
                host: procedure_abort_mut_tx -> (),
                alias_of: [],
                doc: "For procedures: rolls back the transaction procedure_start_mut_tx opened.",
                inputs: [],
                output: [],
                result: Status,
                errnos: [
                    TRANSACTION_NOT_ANONYMOUS: "no transaction opened by procedure_start_mut_tx is open (always the case in a reducer; also when none is open at all)",
                    TRANSACTION_IS_READ_ONLY: "the open transaction is read-only (servers do not open such transactions for modules today)",
                ],
                traps: [],
                ownership: "Nothing is borrowed.",
            }

            import procedure_sleep_until {
                module: "spacetime_10.3",
                host: procedure_sleep_until -> i64,
                alias_of: [],
                doc: "For procedures (unstable, meant for testing the host): suspends the instance until about the given time, at once if it has passed, and returns the time it woke up.",
                inputs: [
                    wake_at: ValueI64(wake_at_micros_since_unix_epoch: I64) "When to wake up, microseconds since the Unix epoch; a negative value does not sleep.",
                ],
                output: [],
                result: ValueI64,
                errnos: [],
                traps: [
                    "called outside a procedure (e.g. from a reducer or during start-up): servers link it only for procedures",
                    "the procedure holds an open transaction",
                ],
                ownership: "Nothing is borrowed.",
            }

            import procedure_http_request {
                module: "spacetime_10.3",
                host: procedure_http_request -> $crate::HttpOutcome,
                alias_of: [],
                doc: "For procedures: performs an HTTP request and waits for its answer. Any answer counts as a response, whatever its HTTP status; HTTP_ERROR means no answer came (connection failure, timeout, ...).",
                inputs: [
                    request: Bytes(request_ptr: Ptr, request_len: Len) "BSATN of the request head (method, URI, headers, timeout, version).",
                    body: Bytes(body_ptr: Ptr, body_len: Len) "The request body; the pointer must be valid even for an empty body.",
                ],
                output: [out: OutHttpSources(out: SourcePairPtr) "Two BytesSource handles: on success the BSATN of the response head, then the response body; with HTTP_ERROR only the first, holding the BSATN of the error."],
                result: Status,
                errnos: [
                    WOULD_BLOCK_TRANSACTION: "a transaction is open (out is not written)",
                    BSATN_DECODE_ERROR: "the request bytes are not a request head (out is not written)",
                    HTTP_ERROR: "the request failed without a response; out[0] receives a source with the error",
                ],
                traps: [
                    "called outside a procedure (e.g. from a reducer or during start-up): servers link it only for procedures",
                    "request_ptr, body_ptr or out is NULL or out of bounds",
                ],
                ownership: "The request and body are copied. The new sources live in the host until they are read to the end.",
            }

            import datastore_index_scan_point_bsatn {
                module: "spacetime_10.4",
                host: datastore_index_scan_point_bsatn -> u32,
                alias_of: [],
                doc: "Starts a row iterator over the rows whose key under an index equals a given key (the whole key: every key column). Works on any index. Rows are captured at creation time.",
                inputs: [
                    index_id: Value(index_id: U32) "The index.",
                    point: Bytes(point_ptr: Ptr, point_len: Len) "BSATN of the key: the value of a one-column index's column, or the values of all key columns concatenated (a product) for a multi-column index.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the RowIter handle (never 0) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_INDEX: "the index id is unknown",
                    WRONG_INDEX_ALGO: "the index cannot be scanned this way (declared by the servers; every index kind answers point scans)",
                    BSATN_DECODE_ERROR: "the bytes do not decode at the index's key type",
                ],
                traps: [
                    "point_ptr or out is NULL or out of bounds",
                ],
                ownership: "The key is only read during the call; the iterator is host-owned as for datastore_table_scan_bsatn.",
            }

            import datastore_delete_by_index_scan_point_bsatn {
                module: "spacetime_10.4",
                host: datastore_delete_by_index_scan_point_bsatn -> u32,
                alias_of: [],
                doc: "Deletes every row that datastore_index_scan_point_bsatn with the same arguments would yield and returns how many were deleted.",
                inputs: [
                    index_id: Value(index_id: U32) "The index.",
                    point: Bytes(point_ptr: Ptr, point_len: Len) "As for datastore_index_scan_point_bsatn.",
                ],
                output: [out: OutU32(out: U32Ptr) "Receives the number of deleted rows (u32) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_INDEX: "the index id is unknown",
                    WRONG_INDEX_ALGO: "the index cannot be scanned this way (declared by the servers; every index kind answers point scans)",
                    BSATN_DECODE_ERROR: "the bytes do not decode at the index's key type",
                ],
                traps: [
                    "point_ptr or out is NULL or out of bounds",
                ],
                ownership: "The key is only read during the call.",
            }

            import datastore_clear {
                module: "spacetime_10.5",
                host: datastore_clear -> u64,
                alias_of: [],
                doc: "Deletes every row of a table in the current transaction and returns how many there were.",
                inputs: [
                    table_id: Value(table_id: U32) "The table.",
                ],
                output: [out: OutU64(out: U64Ptr) "Receives the number of deleted rows (u64) on success."],
                result: Status,
                errnos: [
                    NOT_IN_TRANSACTION: "called outside a transaction",
                    NO_SUCH_TABLE: "the table id is unknown (the real 2.8.3 server traps instead, a server bug: conformance/RESULTS.md)",
                ],
                traps: [
                    "out is NULL or out of bounds",
                ],
                ownership: "Nothing is borrowed.",
            }
        }
    };
}
