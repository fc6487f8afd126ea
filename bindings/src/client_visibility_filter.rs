//! Row-level security filters (unstable in 1.x, and not enforced by 1.x servers).

/// A filter limiting which rows of a table a client sees.
#[non_exhaustive]
pub enum Filter {
    /// An SQL query, e.g. `SELECT * FROM player WHERE identity = :sender`.
    Sql(&'static str),
}
