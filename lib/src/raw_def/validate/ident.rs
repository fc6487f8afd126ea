//! Identifiers: the rule for table, column, reducer and type names.

/// Why `name` is not a valid identifier, or `None` if it is one.
///
/// SpacetimeDB requires Unicode identifiers: non-empty, in NFC, starting with an `XID_Start`
/// character or `_`, continuing with `XID_Continue` characters. This crate has no Unicode tables,
/// so it approximates `XID_Start` by [`char::is_alphabetic`] and `XID_Continue` by
/// [`char::is_alphanumeric`] (plus `_`); the two agree on every ASCII name and on ordinary
/// letters and digits elsewhere, but may differ on rare characters (combining marks, some
/// symbols). The NFC check is skipped.
pub fn identifier_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else { return Some("it is empty") };
    if !(first == '_' || first.is_alphabetic()) {
        return Some("it must start with a letter or `_`");
    }
    if !chars.all(|c| c == '_' || c.is_alphanumeric()) {
        return Some("it may contain only letters, digits and `_`");
    }
    None
}

/// Whether `name` is a valid identifier (see [`identifier_problem`] for the rule and its
/// approximation).
///
/// ```
/// use worldtube_lib::raw_def::is_valid_identifier;
/// assert!(is_valid_identifier("player_2"));
/// assert!(is_valid_identifier("_hidden"));
/// assert!(!is_valid_identifier(""));
/// assert!(!is_valid_identifier("2player"));
/// assert!(!is_valid_identifier("high-score"));
/// ```
pub fn is_valid_identifier(name: &str) -> bool {
    identifier_problem(name).is_none()
}
