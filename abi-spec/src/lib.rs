//! The host-call interface of SpacetimeDB-compatible wasm modules (`spacetime_10.0` to
//! `spacetime_10.5`), declared once as data.
//!
//! * The declaration table (`src/table.rs`) — one entry per import: module (the ABI version
//!   that introduced it), parameters, result, the [`Host`] method and its success type, errnos,
//!   traps, deprecated alias. It is parsed once (`src/views.rs`) into normalized views, from
//!   which everything below and the consumers in other crates are expanded.
//! * [`for_each_import!`] — the typed raw signature of every import, for `extern` blocks,
//!   native stand-ins and wasm linkers; [`slot_type!`] / [`result_type!`] name the raw types.
//! * [`IMPORTS`], [`EXPORTS`], [`ERRNOS`], [`VERSIONS`] and the constants — the tables as
//!   static data (every import and export names the ABI version that introduced it);
//!   [`for_each_errno!`] the errno table in the callback style.
//! * [`Errno`] — a nonzero status code.
//! * [`Host`] — the imports as a safe trait (slices in, values out, `Result`); [`PartialHost`]
//!   the same with trapping defaults, for test doubles.
//! * [`Call`] / [`Reply`] — a host call as a value; [`impl_host_via_calls!`] makes a
//!   [`HandleCall`] a [`Host`] (for hosts that wrap another one).
//! * [`glue`] — raw call → [`Host`] method, implementing every pointer protocol, over any
//!   [`Memory`]; shared by all hosts so they agree on the protocols.
//!
//! `SPEC.md` and `abi.json` next to this crate are generated from the same data
//! (`cargo run -p worldtube-abi --example gen-spec`).
//!
//! # Implementing a host
//!
//! [`Host`] has no default methods: a host that leaves out an import does not compile, so adding
//! an import to the table shows every host that must grow. This one handles every import but
//! `identity`:
//!
//! ```compile_fail,E0046
//! # use worldtube_abi::{HostResult, IndexPrefix, RowIterAdvance, SourceRead, Trap};
//! # macro_rules! all_but_identity { () => {
//! # fn table_id_from_name(&mut self, _: &str) -> HostResult<u32> { Ok(1) }
//! # fn index_id_from_name(&mut self, _: &str) -> HostResult<u32> { Ok(1) }
//! # fn datastore_table_row_count(&mut self, _: u32) -> HostResult<u64> { Ok(0) }
//! # fn datastore_table_scan_bsatn(&mut self, _: u32) -> HostResult<u32> { Ok(1) }
//! # fn datastore_index_scan_range_bsatn(&mut self, _: u32, _: IndexPrefix<'_>, _: &[u8], _: &[u8]) -> HostResult<u32> { Ok(1) }
//! # fn datastore_delete_by_index_scan_range_bsatn(&mut self, _: u32, _: IndexPrefix<'_>, _: &[u8], _: &[u8]) -> HostResult<u32> { Ok(0) }
//! # fn datastore_delete_all_by_eq_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<u32> { Ok(0) }
//! # fn row_iter_bsatn_advance(&mut self, _: u32, _: &mut [u8]) -> HostResult<RowIterAdvance> { Ok(RowIterAdvance::Exhausted { written: 0 }) }
//! # fn row_iter_bsatn_close(&mut self, _: u32) -> HostResult<()> { Ok(()) }
//! # fn datastore_insert_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<Vec<u8>> { Ok(Vec::new()) }
//! # fn datastore_update_bsatn(&mut self, _: u32, _: u32, _: &[u8]) -> HostResult<Vec<u8>> { Ok(Vec::new()) }
//! # fn volatile_nonatomic_schedule_immediate(&mut self, _: &str, _: &[u8]) -> Result<(), Trap> { Ok(()) }
//! # fn bytes_sink_write(&mut self, _: u32, data: &[u8]) -> HostResult<usize> { Ok(data.len()) }
//! # fn bytes_source_read(&mut self, _: u32, _: &mut [u8]) -> HostResult<SourceRead> { Ok(SourceRead { written: 0, exhausted: true }) }
//! # fn console_log(&mut self, _: u32, _: Option<&str>, _: Option<&str>, _: Option<u32>, _: &str) -> Result<(), Trap> { Ok(()) }
//! # fn console_timer_start(&mut self, _: &str) -> Result<u32, Trap> { Ok(1) }
//! # fn console_timer_end(&mut self, _: u32) -> HostResult<()> { Ok(()) }
//! # fn bytes_source_remaining_length(&mut self, _: u32) -> HostResult<u32> { Ok(0) }
//! # fn get_jwt(&mut self, _: [u8; 16]) -> HostResult<u32> { Ok(0) }
//! # fn procedure_start_mut_tx(&mut self) -> HostResult<i64> { Ok(0) }
//! # fn procedure_commit_mut_tx(&mut self) -> HostResult<()> { Ok(()) }
//! # fn procedure_abort_mut_tx(&mut self) -> HostResult<()> { Ok(()) }
//! # fn procedure_sleep_until(&mut self, at: i64) -> Result<i64, Trap> { Ok(at) }
//! # fn procedure_http_request(&mut self, _: &[u8], _: &[u8]) -> HostResult<worldtube_abi::HttpOutcome> { Ok(worldtube_abi::HttpOutcome::Failed { error: 1 }) }
//! # fn datastore_index_scan_point_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<u32> { Ok(1) }
//! # fn datastore_delete_by_index_scan_point_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<u32> { Ok(0) }
//! # fn datastore_clear(&mut self, _: u32) -> HostResult<u64> { Ok(0) }
//! # } }
//! struct Forgetful;
//!
//! impl worldtube_abi::Host for Forgetful {
//!     all_but_identity!(); // table_id_from_name, ..., datastore_clear
//!     // no `fn identity`: error[E0046]: not all trait items implemented
//! }
//! ```
//!
//! With `identity` it compiles:
//!
//! ```
//! # use worldtube_abi::{HostResult, IndexPrefix, RowIterAdvance, SourceRead, Trap};
//! # macro_rules! all_but_identity { () => {
//! # fn table_id_from_name(&mut self, _: &str) -> HostResult<u32> { Ok(1) }
//! # fn index_id_from_name(&mut self, _: &str) -> HostResult<u32> { Ok(1) }
//! # fn datastore_table_row_count(&mut self, _: u32) -> HostResult<u64> { Ok(0) }
//! # fn datastore_table_scan_bsatn(&mut self, _: u32) -> HostResult<u32> { Ok(1) }
//! # fn datastore_index_scan_range_bsatn(&mut self, _: u32, _: IndexPrefix<'_>, _: &[u8], _: &[u8]) -> HostResult<u32> { Ok(1) }
//! # fn datastore_delete_by_index_scan_range_bsatn(&mut self, _: u32, _: IndexPrefix<'_>, _: &[u8], _: &[u8]) -> HostResult<u32> { Ok(0) }
//! # fn datastore_delete_all_by_eq_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<u32> { Ok(0) }
//! # fn row_iter_bsatn_advance(&mut self, _: u32, _: &mut [u8]) -> HostResult<RowIterAdvance> { Ok(RowIterAdvance::Exhausted { written: 0 }) }
//! # fn row_iter_bsatn_close(&mut self, _: u32) -> HostResult<()> { Ok(()) }
//! # fn datastore_insert_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<Vec<u8>> { Ok(Vec::new()) }
//! # fn datastore_update_bsatn(&mut self, _: u32, _: u32, _: &[u8]) -> HostResult<Vec<u8>> { Ok(Vec::new()) }
//! # fn volatile_nonatomic_schedule_immediate(&mut self, _: &str, _: &[u8]) -> Result<(), Trap> { Ok(()) }
//! # fn bytes_sink_write(&mut self, _: u32, data: &[u8]) -> HostResult<usize> { Ok(data.len()) }
//! # fn bytes_source_read(&mut self, _: u32, _: &mut [u8]) -> HostResult<SourceRead> { Ok(SourceRead { written: 0, exhausted: true }) }
//! # fn console_log(&mut self, _: u32, _: Option<&str>, _: Option<&str>, _: Option<u32>, _: &str) -> Result<(), Trap> { Ok(()) }
//! # fn console_timer_start(&mut self, _: &str) -> Result<u32, Trap> { Ok(1) }
//! # fn console_timer_end(&mut self, _: u32) -> HostResult<()> { Ok(()) }
//! # fn bytes_source_remaining_length(&mut self, _: u32) -> HostResult<u32> { Ok(0) }
//! # fn get_jwt(&mut self, _: [u8; 16]) -> HostResult<u32> { Ok(0) }
//! # fn procedure_start_mut_tx(&mut self) -> HostResult<i64> { Ok(0) }
//! # fn procedure_commit_mut_tx(&mut self) -> HostResult<()> { Ok(()) }
//! # fn procedure_abort_mut_tx(&mut self) -> HostResult<()> { Ok(()) }
//! # fn procedure_sleep_until(&mut self, at: i64) -> Result<i64, Trap> { Ok(at) }
//! # fn procedure_http_request(&mut self, _: &[u8], _: &[u8]) -> HostResult<worldtube_abi::HttpOutcome> { Ok(worldtube_abi::HttpOutcome::Failed { error: 1 }) }
//! # fn datastore_index_scan_point_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<u32> { Ok(1) }
//! # fn datastore_delete_by_index_scan_point_bsatn(&mut self, _: u32, _: &[u8]) -> HostResult<u32> { Ok(0) }
//! # fn datastore_clear(&mut self, _: u32) -> HostResult<u64> { Ok(0) }
//! # } }
//! struct Complete;
//!
//! impl worldtube_abi::Host for Complete {
//!     all_but_identity!(); // table_id_from_name, ..., datastore_clear
//!     fn identity(&mut self) -> Result<[u8; 32], Trap> {
//!         Ok([0; 32])
//!     }
//! }
//! ```
//!
//! A test double that needs only a few imports says so in one line, [`PartialHost`], and every
//! other import traps with [`Trap::unsupported`]:
//!
//! ```
//! use worldtube_abi::{Host, HostResult};
//!
//! struct OneTable;
//!
//! impl worldtube_abi::PartialHost for OneTable {
//!     fn table_id_from_name(&mut self, name: &str) -> HostResult<u32> {
//!         Ok(if name == "people" { 7 } else { 0 })
//!     }
//! }
//!
//! let mut host = OneTable;
//! assert_eq!(host.table_id_from_name("people"), Ok(7));
//! assert!(host.identity().is_err()); // trap: this host does not implement the import `identity`
//! ```
#![deny(missing_docs)]

mod call;
mod constants;
mod decl;
mod errno;
mod exports;
pub mod glue;
mod host;
mod imports;
mod memory;
mod table;
mod trap;
mod types;
mod views;

pub use call::{Call, HandleCall, Reply};
pub use constants::*;
pub use decl::*;
pub use errno::{Errno, ErrnoDecl, ERRNOS};
pub use exports::EXPORTS;
pub use host::{Host, HostError, HostResult, HttpOutcome, IndexPrefix, PartialHost, RowIterAdvance, SourceRead};
pub use imports::{import, IMPORTS};
pub use memory::{Memory, Word};
pub use trap::Trap;
pub use types::RawParam;
