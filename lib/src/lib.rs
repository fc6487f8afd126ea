//! # worldtube-lib
//!
//! The data layer shared by every part of Worldtube: the [BSATN](bsatn) wire format, the
//! [algebraic type model](algebraic), the special types ([`Identity`], [`ConnectionId`],
//! [`Timestamp`], [`TimeDuration`], [`ScheduleAt`]) and the module definition
//! ([`raw_def::RawModuleDef`]) a module hands to its host — all byte-identical to SpacetimeDB's.
//!
//! ## Module definitions: V9 and V10
//!
//! A module describes itself from `__describe_module__` as a BSATN [`raw_def::RawModuleDef`],
//! whose first byte says the version:
//!
//! - **V9** (tag 1, [`raw_def::RawModuleDefV9`]) is what SpacetimeDB 1.x modules send: six fixed
//!   fields (typespace, tables, reducers, types, misc exports, row-level security). Names are the
//!   database names as written; schedules sit on their tables and lifecycle events on their
//!   reducers. [`raw_def::RawModuleDefV9Builder`] builds one and [`raw_def::validate`] checks it
//!   against a 1.3 host's rules. This is what Worldtube's SDK writes and its host runs.
//! - **V10** (tag 2, [`raw_def::RawModuleDefV10`], in [`raw_def::v10`]) is what SpacetimeDB 2.x
//!   modules send: a list of optional sections. Tables, functions and indexes carry *source*
//!   names, and the host derives canonical names by a case conversion policy (snake case by
//!   default) or explicit names; schedules and lifecycle reducers are sections of their own;
//!   tables gain default values and event tables; reducers gain visibility and return types; and
//!   procedures, views, HTTP handlers and submodules are new.
//!   [`raw_def::RawModuleDefV10Builder`] builds one and [`raw_def::validate_v10`] checks it
//!   against a 2.x host's rules. Worldtube's host decodes V10 but does not run it yet.
//!
//! ## Features
//!
//! - `host`: reading and checking module definitions — [`raw_def::validate`],
//!   [`raw_def::validate_v10`] and the `Decode` impls of [`raw_def::RawModuleDef`] and its parts.
//!   A host needs them; a module, which only writes its definition, does not, and builds this
//!   crate in a third of the time without them.
//! - `claims`: `Identity::from_claims` (BLAKE3, implemented here: no dependency).
//! - `serde`: JSON rendering of values and types.

#![deny(missing_docs)]

pub mod bsatn;
pub mod http;
mod int256;

pub use int256::{i256, u256};
pub mod algebraic;
pub mod raw_def;
pub mod special;

pub use algebraic::{AlgebraicType, AlgebraicValue, SpacetimeType};
pub use special::{ConnectionId, Hash, Identity, ScheduleAt, TimeDuration, Timestamp, Uuid};

/// [`Uuid`] with its [`Version`](uuid::Version) and parse error, under the path the official 2.x
/// crate gives them (`sats::uuid`).
pub mod uuid {
    pub use crate::special::uuid::{Uuid, UuidParseError, Version};
}

/// [`Hash`](struct@Hash) under the path the official crate gives it (`sats::hash::Hash`).
pub mod hash {
    pub use crate::special::{hash_bytes, Hash, HASH_SIZE};
}
