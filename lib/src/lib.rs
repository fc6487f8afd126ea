//! # worldtube-lib
//!
//! The data layer shared by every part of Worldtube: the [BSATN](bsatn) wire format, the
//! [algebraic type model](algebraic), the special types ([`Identity`], [`ConnectionId`],
//! [`Timestamp`], [`TimeDuration`], [`ScheduleAt`]) and the module definition
//! ([`raw_def::RawModuleDef`]) a module hands to its host — all byte-identical to SpacetimeDB's.

#![deny(missing_docs)]

pub mod bsatn;
mod int256;

pub use int256::{i256, u256};
pub mod algebraic;
pub mod raw_def;
pub mod special;

pub use algebraic::{AlgebraicType, AlgebraicValue, SpacetimeType};
pub use special::{ConnectionId, Hash, Identity, ScheduleAt, TimeDuration, Timestamp};

/// [`Hash`](struct@Hash) under the path the official crate gives it (`sats::hash::Hash`).
pub mod hash {
    pub use crate::special::{hash_bytes, Hash, HASH_SIZE};
}
