//! Row-level security filters (unstable in 1.x, and not enforced by 1.x servers).

/// A filter limiting which rows of a table a client sees, registered with
/// [`#[client_visibility_filter]`](macro@crate::client_visibility_filter) (feature `unstable`).
#[non_exhaustive]
#[derive(Debug)]
pub enum Filter {
    /// An SQL query, e.g. `SELECT * FROM player WHERE identity = :sender`.
    Sql(&'static str),
}

impl Filter {
    /// The filter's SQL text, which `#[client_visibility_filter]` registers.
    #[doc(hidden)]
    pub fn sql_text(&self) -> &'static str {
        let Filter::Sql(sql) = self;
        sql
    }
}
