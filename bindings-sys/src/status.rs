//! Turning raw status codes into `Result`s.

use worldtube_abi::Errno;

/// `0` is success; anything else is an errno.
pub(crate) fn check(status: u16) -> Result<(), Errno> {
    match Errno::from_code(status) {
        None => Ok(()),
        Some(errno) => Err(errno),
    }
}

/// For the `i16` statuses: `0` = more remains, `-1` = exhausted, positive = errno.
pub(crate) enum Progress {
    More,
    Exhausted,
}

pub(crate) fn check_progress(status: i16) -> Result<Progress, Errno> {
    match status {
        0 => Ok(Progress::More),
        worldtube_abi::EXHAUSTED => Ok(Progress::Exhausted),
        // A negative value other than -1 is undefined; report it rather than guess.
        code => Err(u16::try_from(code).ok().and_then(Errno::from_code).unwrap_or(Errno::HOST_CALL_FAILURE)),
    }
}
