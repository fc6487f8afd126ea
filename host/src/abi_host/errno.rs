//! The one place where the datastore's errors (and undecodable arguments) become what the ABI
//! reports: an errno `SPEC.md` names, or a trap where 10.0 has no errno.

use worldtube_abi::{Errno, HostError, Trap};

use super::decode::BadBsatn;
use crate::datastore::DatastoreError;

impl From<DatastoreError> for HostError {
    fn from(e: DatastoreError) -> HostError {
        // No wildcard: a new variant must be given its errno here.
        let errno = match e {
            DatastoreError::NoSuchTable(_) => Errno::NO_SUCH_TABLE,
            DatastoreError::NoSuchIndex(_) => Errno::NO_SUCH_INDEX,
            DatastoreError::IndexNotUnique { .. } => Errno::INDEX_NOT_UNIQUE,
            DatastoreError::NoSuchRow { .. } => Errno::NO_SUCH_ROW,
            DatastoreError::UniqueViolation { .. } => Errno::UNIQUE_ALREADY_EXISTS,
            DatastoreError::ScheduleDelayTooLong { .. } => Errno::SCHEDULE_AT_DELAY_TOO_LONG,
            // Only reachable through the value-level API (the ABI layer decodes rows with the
            // row type and checks the prefix length); the server reports both as decode errors.
            DatastoreError::WrongRowType { .. } | DatastoreError::PrefixTooLong { .. } => Errno::BSATN_DECODE_ERROR,
            DatastoreError::SequenceOverflow { .. } => {
                return HostError::Trap(Trap::new(format!("{e} (ABI 10.0 has no errno for this)")))
            }
        };
        HostError::Errno(errno)
    }
}

impl From<BadBsatn> for HostError {
    fn from(_: BadBsatn) -> HostError {
        HostError::Errno(Errno::BSATN_DECODE_ERROR)
    }
}
