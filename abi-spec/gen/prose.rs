//! The hand-written parts of SPEC.md (everything that is not per-import/per-errno data).
//! Our own wording; facts as in the shared SpacetimeDB facts inventory.

pub(super) const INTRO: &str = r#"This document specifies the interface between a SpacetimeDB-compatible host and a wasm
database module at ABI versions **10.0 to 10.5**: 10.0 is what every SpacetimeDB 1.x server
provides (1.3 was this project's baseline), 10.5 what a SpacetimeDB 2.2 or later server provides.
Every import and export names the version that introduced it; a module needs a host that provides
the highest of those it uses (section 1.1). It is complete enough to implement a compatible host,
or a module, from it alone; the host-side semantics of procedures and views (10.3, 10.4) are only
outlined.

The per-import sections, the errno table, the export table and the constants are generated from
the declaration table in `worldtube-abi` (`abi-spec/src/table.rs`); `abi.json` carries the same
data in machine-readable form. Regenerate both with
`cargo run -p worldtube-abi --example gen-spec`; a test fails when they are stale.

Implementing a host? `conformance/` (crate `worldtube-conformance`) checks one against this
document: ABI probes at the edges named here and modules that misbehave as a whole, run through a
small adapter trait; its `README.md` says how to run it against a new host.
"#;

pub(super) const VERSIONING: &str = r#"## 1. Versioning and linking

* Every import lives in the wasm import module of the ABI version that introduced it: the base
  imports in **`spacetime_10.0`**, later ones in `spacetime_10.1` ... `spacetime_10.5` (section 1.1).
  Import module names have the form `spacetime_MAJOR.MINOR`.
* Compatible additions are published in a new import module with the minor number raised
  (`spacetime_10.1`, ...); breaking changes move every import to a new major (`spacetime_11.0`).
* The host detects a module's ABI from its *function imports* whose module name starts with
  `spacetime_`: all of them must share one major, and the module's required version is the
  highest minor among them. A module without any such import is rejected.
* A host loads a module when the majors are equal and the host's minor is at least the module's.
  Minor versions are **sticky**: a single import from `spacetime_10.N` makes the whole module
  require 10.N, so a module meant for every 1.x server must import only from `spacetime_10.0`.
  An import must be in the module of its version: `datastore_clear` from `spacetime_10.0` does not
  link.
* **No other imports are allowed.** The host links exactly the functions listed here; any other
  import (WASI, `env`, wasm-bindgen, a `getrandom` shim, ...) makes instantiation fail. Official
  tooling also rejects modules that import or export `__wbindgen*` names.
* Modules are built for `wasm32-unknown-unknown` and must export their memory as `memory`.
"#;

pub(super) const TYPE_MAPPING: &str = r#"## 2. Wasm-level types

* Pointers, lengths (`usize`), `u32`, `u16`, `u8` and `i16` all travel as wasm `i32`; `u64` and
  `i64` travel as `i64`. Handles written through out-pointers (`RowIter`, `BytesSource`) are `u32`.
* Ids are `TableId(u32)`, `IndexId(u32)` and `ColId(u16)`. A `ColId` crosses the ABI as an `i32`;
  the host traps when the value does not fit in a `u16`.
* A **status** result is `0` for success or an errno (section 4). Two imports
  (`row_iter_bsatn_advance`, `bytes_source_read`) return a signed status where `-1` means
  "exhausted"; `bytes_source_remaining_length` returns a signed status that is never negative.
* Values the host writes through out-pointers are **little-endian**; out-pointers need no
  alignment. A length cell (`*_len_ptr`) holds a wasm32 `usize`, i.e. 4 bytes little-endian.
* Strings are `(ptr, len)` pairs of UTF-8 bytes, never NUL-terminated.
* **NULL (address 0) traps**, even together with a length of 0. A module must pass a non-zero
  (dangling) address for an empty buffer (e.g. the body of an HTTP request). The only exceptions: `prefix_ptr` of the range-scan
  imports is ignored when `prefix_elems == 0`, and `console_log`'s `target_ptr`/`filename_ptr`
  may be 0 to mean "absent".
* Any out-of-bounds pointer or length traps.

Each import parameter below is written as `name: wasm type` with a *kind*:
"#;

pub(super) const PROTOCOLS: &str = r#"## 6. Handles and buffer protocols

### 6.1 Handles

`BytesSource`, `BytesSink` and `RowIter` are plain `u32` handles. `0` is never a valid
`BytesSource` or `RowIter`: the host hands out row iterators and timers as "slot + 1". A 10.0 host
has exactly one source (the reducer arguments) and one sink (used for the module description,
the reducer error message and the `__setup__` error message) alive at a time.

### 6.2 Reading a `BytesSource`

`bytes_source_read(source, buf, &len)`: on entry `len` is the capacity of `buf`. The host copies
`min(capacity, remaining)` bytes and stores the count in `len`. The result is `-1` when this call
delivered the last bytes (the host then destroys the source; the bytes of this call are valid),
`0` when bytes remain, `NO_SUCH_BYTES` for an unknown or already-exhausted handle. A capacity of 0
with bytes left returns 0 and writes 0.

A module reads in a loop into the spare room of its buffer: on `-1` it is done; on `0` it grows the
buffer if the spare room was filled, and calls again.

**Handle 0 means empty.** When a reducer's arguments are empty, `__call_reducer__` receives
`args = 0` and the module must treat the arguments as empty without calling `bytes_source_read`.

### 6.3 Writing a `BytesSink`

`bytes_sink_write(sink, buf, &len)`: on entry `len` is the number of bytes offered; on success the
host stores the number it consumed. The module repeats with the remainder until everything is
consumed. (The server always consumes everything and never returns `NO_SPACE`; worldtube's host
returns it once a sink it captures reaches its configured size limit. A module must not rely on
either.)

### 6.4 Row iterators

A scan materialises its result when the iterator is created (later changes in the transaction do
not show up). The host keeps the rows as a list of **chunks**: rows are appended, as plain BSATN
without any per-row length, to the current chunk, which is closed as soon as it grows beyond
`ROW_ITER_CHUNK_SIZE` = 32 KiB. So a chunk exceeds 32 KiB only by its last row, and no row spans
two chunks.

`row_iter_bsatn_advance(iter, buf, &len)`, with `len` = capacity on entry, copies as many
**whole** chunks as fit, stores the total number of bytes written in `len`, and returns:

| Result | Meaning |
|---|---|
| `0` | bytes were written and chunks remain |
| `-1` | the iterator is exhausted **and destroyed**; `len` bytes (possibly 0) from this call are valid; do not close it |
| `11` `BUFFER_TOO_SMALL` | nothing fitted; `len` now holds the size of the next chunk; grow the buffer to at least that and retry |
| `6` `NO_SUCH_ITER` | unknown, closed or already exhausted handle |

The module decodes rows one after another from the bytes written until they are used up. A
reasonable starting buffer is two chunks (64 KiB). An iterator the module abandons before `-1`
must be closed with `row_iter_bsatn_close`; otherwise it lives as long as the instance (iterators
and timers are not cleared between reducer calls).

### 6.5 Memory ownership

The host never allocates in module memory and never calls a module allocator. Every output goes
to a caller-supplied place (an out-pointer or a buffer with an in/out length cell) or stays inside
the host behind a handle. Input buffers are only borrowed for the duration of the call (the host
copies or decodes them). Host-side objects: row iterators (freed at `-1` or on close), the
argument source (freed when fully read or when the reducer call ends), the sink (reset when a call
starts, drained when it ends), timers (freed by `console_timer_end`).
"#;

pub(super) const STARTUP: &str = r#"### 7.1 Instance start-up

For **every** new instance (not only the first; also after an instance trapped and was discarded)
the host:

1. collects every exported function whose name starts with `__preinit__`, sorts them by their full
   name (byte-wise), and calls each with no arguments; a trap aborts module creation;
2. calls `__setup__(sink)` if it is exported: `0` = ok, `1` = error whose UTF-8 message is in the
   sink, anything else = unknown error;
3. calls `__describe_module__(sink)`; the module writes the BSATN of a `RawModuleDef` (section 12)
   to the sink. The first time, the host decodes (trailing bytes are not checked) and validates it;
   for later instances it discards the bytes.

Start-up runs **outside any transaction**: datastore imports return `NOT_IN_TRANSACTION`. Because
describe runs on every instance, a module may build its reducer dispatch table there.
"#;

pub(super) const CALL_REDUCER: &str = r#"### 7.3 Calling a reducer

The host opens a transaction and calls
`__call_reducer__(id, sender_0, sender_1, sender_2, sender_3, conn_id_0, conn_id_1, timestamp, args, error)`:

* `id` is the position of the reducer in the `reducers` array of the module's `RawModuleDefV9`.
* The caller's `Identity` is its 32-byte little-endian array split into four 8-byte words; word
  `k` holds bytes `8k..8k+8` read as a little-endian `u64`. The `ConnectionId` (16 bytes,
  little-endian) is split the same way into two words. An all-zero connection id means "no
  connection".
* `timestamp` is microseconds since the Unix epoch (an `i64` carried as `u64`).
* `args` is a `BytesSource` holding the BSATN of the reducer's parameter product (the parameters
  concatenated, no names, no length), or `0` when that is empty. The host has already checked
  that the arguments decode at the declared parameter types, with no bytes left over; calls whose
  arguments do not are refused before the module runs.
* `error` is a `BytesSink` for an error message.

Return codes: `0` = success, the transaction commits. `1` = the reducer failed; its UTF-8 message
is in `error` (a module must write the message *and* return 1); the transaction is rolled back and
the message is logged at ERROR with the reducer name as target. Any other value = failure with
"unknown return code". A **trap** (e.g. a Rust panic compiled to `unreachable`) is fatal: the
transaction is rolled back, the instance is discarded (its statics are lost) and the call fails
with a generic "fatal error" status.

### 7.4 Lifecycle reducers and callers

* `init` (lifecycle 0) runs when the database is first published; the caller is the **database
  owner**, with connection id zero.
* `client_connected` / `client_disconnected` (lifecycle 1 / 2) run with the client's identity and
  connection id; on success the host records or removes the client.
* Scheduled reducers and calls queued with `volatile_nonatomic_schedule_immediate` run with the
  **database's own identity** as caller and connection id zero; their timestamp is the later of
  the scheduled time and now.
* At most one reducer per lifecycle kind; an ordinary reducer named `update` is not a lifecycle.

### 7.5 Scheduling

A schedule table has a `u64` primary key and a column of type `ScheduleAt`, and names a reducer
that takes exactly one argument: a row of that table (as a `Ref` to the table's row type).
Inserting a row schedules a call; deleting it cancels the call; the call reads the row again when
it runs (a row deleted meanwhile does not run).

* `Time(t)` runs once, at `t` (at once if `t` has passed). After the call — whether it committed,
  failed or trapped — the host deletes the row in a transaction of its own.
* `Interval(d)` first runs at insert time + |d|, then again |d| after each run finishes; the row
  stays. A negative interval counts as its magnitude.
* The call runs as the database identity with connection id zero, with
  `timestamp = max(scheduled time, now)`. Calls due at the same time run in the order they were
  scheduled.
* The delay is `t - now` (0 if past) for `Time(t)` and |d| for `Interval(d)`. A delay of
  2^36 - 1 milliseconds (about 2.18 years) or more makes the insert return
  `SCHEDULE_AT_DELAY_TOO_LONG` (13).
"#;

pub(super) const DATASTORE: &str = r#"## 8. Datastore semantics

### 8.1 Auto-increment write-back

A column with a sequence gets a generated value **only if the inserted value is numeric zero**.
After a successful `datastore_insert_bsatn` / `datastore_update_bsatn` the host overwrites the row
buffer with the BSATN of the generated values only, concatenated in column order, and sets
`*row_len_ptr` to their total length (0 when nothing was generated). The module patches exactly
the fields that were zero. Explicit non-zero values are stored as given and do not advance the
sequence. Sequences default to start 1, minimum 1, maximum `i128::MAX`, increment 1; hosts
reserve values in batches (4096), so values are unique and increasing but may skip after a
restart. A 10.0 host traps when a sequence overflows (there is no errno for it).

### 8.2 Unique constraints and set semantics

An insert or update that would duplicate a value in a unique column returns
`UNIQUE_ALREADY_EXISTS` (12); it does not trap. Tables are sets: inserting a row byte-identical to
a stored row is a successful no-op.

### 8.3 Update through a unique index

`datastore_update_bsatn(table, index, row)` projects the new row onto the columns of `index`,
finds the stored row with that key and replaces it. In order: an unknown table gives
`NO_SUCH_TABLE` (4); row bytes that do not decode as exactly one row give `BSATN_DECODE_ERROR` (3);
zero auto-increment columns are then given values (so a failed update still uses them up); an
index that is unknown *or belongs to another table* gives `NO_SUCH_INDEX` (5); a non-unique index
gives `INDEX_NOT_UNIQUE` (14); no stored row with that key gives `NO_SUCH_ROW` (15) — nothing is
inserted; a clash with another unique column gives `UNIQUE_ALREADY_EXISTS` (12) and the old row
stays.

### 8.4 Deleting by value

`datastore_delete_all_by_eq_bsatn` takes the BSATN of an **array** of rows (`u32` count, then each
row), decoded at the table's row type, and deletes every stored row equal to any of them.

### 8.5 Index range-scan arguments

For an index over key columns `[c0, c1, ..., cn]`:

* `prefix` is the BSATN of the values of the first `prefix_elems` key columns, concatenated
  (no array length). When `prefix_elems` is 0 the host ignores `prefix_ptr`/`prefix_len`.
* `rstart` and `rend` are each the BSATN of a `Bound` on key column `c[prefix_elems]`:
  tag `0` Included + value, `1` Excluded + value, `2` Unbounded (no payload).
* A point lookup on `c[k]` uses `rstart = rend = Included(v)` (a module may pass the same bytes
  for both). A full scan in index order is an empty prefix with two Unbounded bounds. Lookups and
  deletes on a unique column use `prefix_elems = 0` and `Included(value)` for both bounds.
* Rows are produced in index order.
* `prefix_elems` must be less than the number of key columns, and the prefix bytes must decode as
  exactly those values; otherwise the call returns `BSATN_DECODE_ERROR` (3). (On a one-column
  index a non-zero `prefix_elems` with *empty* prefix bytes is accepted and treated as 0.)
* When key columns follow the bounded one, an included bound stands for its value followed by the
  minimum (start) or maximum (end) values of the remaining columns. An excluded bound differs by
  server generation: a 1.3 server fills it the same way, so `Excluded(v)` there behaves like
  `Included(v)`; a 2.8.3 server fills an excluded start with the maximum and an excluded end with
  the minimum, so `Excluded(v)` leaves out every key with `v` in that column (for 1.x and 2.x
  modules alike: it is the server's rule). A host emulating one generation follows its rule.
  A start above the end selects nothing.

### 8.6 Point scans and clearing (10.4, 10.5)

`datastore_index_scan_point_bsatn` and `datastore_delete_by_index_scan_point_bsatn` take the whole
key of an index: for a one-column index the BSATN of that column's value, for a multi-column
index the values of all key columns concatenated (a product). They select exactly the rows whose
key equals it, like a range scan with the first n-1 columns as prefix and `Included(v)` on both
ends of the last; bytes after the key are ignored. `datastore_clear` deletes every row of a table
within the transaction (a rollback restores them) and returns the count as a `u64`.

### 8.7 Procedure imports outside a procedure (10.3)

A reducer runs inside a transaction the host opened, so `procedure_start_mut_tx` returns
`WOULD_BLOCK_TRANSACTION` (17) there, and `procedure_commit_mut_tx` / `procedure_abort_mut_tx`
return `TRANSACTION_NOT_ANONYMOUS` (18). `procedure_sleep_until` and `procedure_http_request`
trap: servers link them as real functions only in the instances that run procedures.

### 8.8 Generated names

Definitions may leave `name` empty (`None`); the host then generates names, and modules must
reproduce them exactly to look ids up:

| Object | Generated name |
|---|---|
| index | `{table}_{col}_{col}..._idx_{algorithm}` with algorithm `btree`, `direct` or `hash` (columns in index order, joined by `_`) |
| sequence | `{table}_{col}_seq` |
| unique constraint | `{table}_{col}_{col}..._key` |
| schedule | `{table}_sched` |

Column names are the element names of the table's row product (`col_{n}` for an unnamed element).
"#;

pub(super) const BSATN: &str = r#"## 9. BSATN encoding

BSATN writes a value as the plain concatenation of its parts: no framing, no alignment, no
self-description; the reader must know the type. All multi-byte integers are **little-endian**.

| Type | Encoding |
|---|---|
| `bool` | one byte, `0x00` false / `0x01` true; any other byte is a decode error |
| `u8`/`i8` | 1 byte |
| `u16`/`i16`, `u32`/`i32`, `u64`/`i64`, `u128`/`i128`, `u256`/`i256` | 2, 4, 8, 16, 32 bytes LE |
| `f32` / `f64` | the IEEE-754 bit pattern as `u32` / `u64` LE (NaN payloads kept) |
| String | `u32` byte length, then UTF-8 (validated when decoding) |
| Array of `T` | `u32` element count, then each element; bytes are arrays of `u8` |
| Product | the elements in declaration order; names are never written; the empty product is 0 bytes |
| Sum | one tag byte (0-based variant index), then the variant's payload; at most 256 variants |
| Option | sum with `some` = tag **0** + value, `none` = tag **1** (no payload) |
| Result | `ok` = tag 0, `err` = tag 1 |
| Bound | Included 0, Excluded 1, Unbounded 2 (no payload) |

There is no map type. Rows in iterator buffers are plain concatenations of row encodings.

Trailing bytes after a complete value are treated per use: a row passed to `datastore_insert_bsatn`
or `datastore_update_bsatn` and a reducer's arguments must be exactly one value (otherwise
`BSATN_DECODE_ERROR` / the call is refused); the module definition, index prefixes, bounds and the
array passed to `datastore_delete_all_by_eq_bsatn` are decoded from the front and anything after is
ignored.
"#;

pub(super) const TYPES: &str = r#"## 10. AlgebraicType

When types themselves are serialized (inside the module definition), `AlgebraicType` is a sum
whose tag is:

| Tag | Variant | Payload |
|---|---|---|
| 0 | Ref | `u32` index into the typespace |
| 1 | Sum | `SumType { variants: Array<SumTypeVariant> }` |
| 2 | Product | `ProductType { elements: Array<ProductTypeElement> }` |
| 3 | Array | the element `AlgebraicType`, directly |
| 4 | String | — |
| 5 | Bool | — |
| 6 | I8 | — |
| 7 | U8 | — |
| 8 | I16 | — |
| 9 | U16 | — |
| 10 | I32 | — |
| 11 | U32 | — |
| 12 | I64 | — |
| 13 | U64 | — |
| 14 | I128 | — |
| 15 | U128 | — |
| 16 | I256 | — |
| 17 | U256 | — |
| 18 | F32 | — |
| 19 | F64 | — |

`SumTypeVariant` and `ProductTypeElement` are both `{ name: Option<String>, algebraic_type:
AlgebraicType }`. `Typespace` is `{ types: Array<AlgebraicType> }`.

## 11. Special types

These are recognised by shape (a single element or variant list with these exact names and
inner types; `Ref`s are not followed) and are always written inline, never as `Ref`s:

| Type | AlgebraicType | BSATN |
|---|---|---|
| Identity | Product `[("__identity__", U256)]` | 32 bytes, LE |
| ConnectionId | Product `[("__connection_id__", U128)]` | 16 bytes, LE |
| Timestamp | Product `[("__timestamp_micros_since_unix_epoch__", I64)]` | 8 bytes: microseconds since the Unix epoch |
| TimeDuration | Product `[("__time_duration_micros__", I64)]` | 8 bytes: microseconds |
| ScheduleAt | Sum `[("Interval", TimeDuration), ("Time", Timestamp)]` | tag 0 or 1, then 8 bytes |
| Option<T> | Sum `[("some", T), ("none", Product [])]` | tag 0 + T, or tag 1 |

Identity and ConnectionId are little-endian in BSATN and across the ABI; only their hex text
form is big-endian. Options, arrays and primitives are inline too.
"#;

pub(super) const MODULE_DEF: &str = r#"## 12. Module definition (`RawModuleDef`, version 9)

`__describe_module__` writes the BSATN of the sum `RawModuleDef`: tag `0` is a deprecated V8
format, tag **`1` is `RawModuleDefV9`** (so the output starts with byte `0x01`). Every structure
below is a product; **its fields are encoded in exactly this order**, and every enum's variant
index is its tag.

```text
RawModuleDefV9
  typespace          : Typespace                       { types: Array<AlgebraicType> }
  tables             : Array<RawTableDefV9>
  reducers           : Array<RawReducerDefV9>
  types              : Array<RawTypeDefV9>
  misc_exports       : Array<RawMiscModuleExportV9>    (a sum with no variants: always empty)
  row_level_security : Array<RawRowLevelSecurityDefV9>

RawTableDefV9
  name             : String
  product_type_ref : u32            typespace index of a Product with named elements
  primary_key      : Array<u16>     empty = none; at most one column
  indexes          : Array<RawIndexDefV9>
  constraints      : Array<RawConstraintDefV9>
  sequences        : Array<RawSequenceDefV9>
  schedule         : Option<RawScheduleDefV9>
  table_type       : TableType      0 System, 1 User
  table_access     : TableAccess    0 Public, 1 Private

RawIndexDefV9
  name          : Option<String>    None = generated by the host
  accessor_name : Option<String>    for code generation only
  algorithm     : RawIndexAlgorithm 0 BTree(Array<u16>) | 1 Hash(Array<u16>) (rejected) | 2 Direct(u16)

RawConstraintDefV9
  name : Option<String>
  data : RawConstraintDataV9        0 Unique { columns: Array<u16> }

RawSequenceDefV9
  name      : Option<String>
  column    : u16
  start     : Option<i128>
  min_value : Option<i128>
  max_value : Option<i128>
  increment : i128

RawScheduleDefV9
  name                : Option<String>
  reducer_name        : String
  scheduled_at_column : u16

RawReducerDefV9
  name      : String
  params    : ProductType           inline, not a Ref; the context parameter is not included
  lifecycle : Option<Lifecycle>     0 Init, 1 OnConnect, 2 OnDisconnect

RawTypeDefV9
  name            : RawScopedTypeNameV9 { scope: Array<String>, name: String }
  ty              : u32             typespace index
  custom_ordering : bool

RawRowLevelSecurityDefV9
  sql : String
```

A variant with a single payload field is encoded as that field alone (e.g. `BTree` = tag `0` +
`Array<u16>`).

## 13. Validation rules

The host rejects a module definition that breaks any of these:

* Table names are identifiers: non-empty, NFC-normalised, starting with an XID-start character or
  `_` and continuing with XID-continue characters, not reserved words. User tables may not start
  with `st_`.
* Tables, indexes, constraints, sequences and schedules share one namespace; reducers have their
  own.
* Every unique constraint needs an index over exactly the same set of columns.
* Sequence columns must be integers; at most one sequence per column; `min <= start <= max` where
  given.
* Schedules: the `scheduled_at_column` has type `ScheduleAt`; the table has a primary key of type
  `u64`; the named reducer exists and takes exactly one parameter of type
  `Ref(product_type_ref)`.
* Reducer parameters must be named; at most one reducer per lifecycle kind.
* Products and sums used in columns or parameters must be `Ref`s (special types, options, arrays,
  primitives and the empty product excepted), and each referenced compound type needs a
  `RawTypeDefV9`.
* (Official SDK rule, enforced before the host sees it.) Direct indexes go on a unique column of
  type `u8`, `u16`, `u32`, `u64` or an all-unit enum.

**Limits.** A host may refuse a definition beyond its own limits, with an error that names the
limit, but it must never crash on one: the definition comes from the module, so a careless
recursive walk of it lets any publisher stop the host. Worldtube's host refuses a type that nests
more than 256 levels (the depth to which it decodes BSATN), inline or through a chain of `Ref`s,
and accepts thousands of tables. The real servers accept a few thousand levels and abort the
whole process (stack overflow) at about 5,000 `Ref`s or 10,000 nested arrays (1.3.0 and 2.8.3,
see `conformance/RESULTS.md`), so a module that needs more than 256 levels loads nowhere safely.
"#;

pub(super) const VERSIONS: &str = r#"### 1.1 ABI versions and servers

Each version adds imports (and, for 10.3 and 10.4, exports the host calls) and keeps everything
before it. A server that provides 10.N provides every 10.M with M <= N. So a module's required
version is the highest version among its imports, and it loads on the servers of that row and
every later one:
"#;

pub(super) const VERSIONS_AFTER: &str = r#"
In short: a module that imports only from `spacetime_10.0` loads on SpacetimeDB 1.x and 2.x; the
official `spacetimedb` 2.x crate imports from 10.1, 10.2 and 10.4 even for the simplest module, so
its modules need a server that provides 10.4 (SpacetimeDB 1.12 or later, every 2.x). SpacetimeDB
1.8 to 1.11 already report 10.4 but do not link its imports: a module using them passes their
version check and fails to link there. `worldtube check` prints a module's required version and
the servers it loads on.
"#;

pub(super) const IMPLEMENTERS: &str = r#"## 14. Checking a host: the conformance kit

`conformance/` (crate `worldtube-conformance`) checks a host against this document: ABI probes
(hand-written WAT modules calling each import at the edges named here: NULL and out-of-bounds
pointers, bad lengths, invalid UTF-8, unknown and closed handles, malformed rows) whose expected
errno, status or trap per case is data (`probes/cases.json`), and modules that misbehave as a
whole (traps and endless loops in start-up or a reducer, foreign imports, wrong exports, files that
are not wasm, definitions with thousands of tables or types nested thousands deep). Each probe reports what it observed as its reducer's error message, so a host needs
nothing but its ordinary client interface. To run it against a new host:

1. Implement the trait `ConformanceHost` (five methods): `install(wasm)` into a fresh database,
   `call(reducer, args)` returning ok, the reducer's error message or a trap, `rows(table)` as
   JSON, `log_messages()`, and `describe_host()`. The adapter for worldtube's own host is about
   50 lines (`conformance/src/reference.rs`).
2. A server that speaks SpacetimeDB's HTTP API (publish, call, SQL, logs) needs no code:
   `cargo run -p worldtube-conformance --features http --example against-server -- http://HOST:PORT NAME`.
3. `worldtube_conformance::run(&Kit::bundled()?, &mut host)` returns a report: one line per case
   (a failure shows the import, the edge, what this document expects and what the host did) and
   `N passed, M failed`. Every install and call must end within the kit's time budget (60 s).

Worldtube's host passes every case; the results of the real 1.3 and 2.8.3 servers, and where they
depart from this document, are in `conformance/RESULTS.md`.
"#;
