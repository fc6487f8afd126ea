//! Canonical names: how a 2.x host turns source names into database names.

use super::CaseConversionPolicy;

/// How one character counts when names are split into words.
fn is_upper(c: char) -> bool {
    let (up, low): (String, String) = (c.to_uppercase().collect(), c.to_lowercase().collect());
    up != low && up.chars().eq([c])
}

fn is_lower(c: char) -> bool {
    let (up, low): (String, String) = (c.to_uppercase().collect(), c.to_lowercase().collect());
    up != low && low.chars().eq([c])
}

/// Splits `name` into words the way the host does: at `_`, `-` and spaces (dropped), between a
/// lower-case letter and an upper-case one, between letters and digits either way, and before the
/// last capital of an acronym followed by a lower-case letter (`HTTPServer` → `HTTP`, `Server`).
/// Empty words are dropped. Works on characters, where the host works on grapheme clusters; the
/// two differ only for names with combining marks.
pub fn split_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | ' ') {
            words.push(std::mem::take(&mut word));
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let two = prev.is_some_and(|p| {
            let (pd, cd) = (p.is_ascii_digit(), c.is_ascii_digit());
            (is_lower(p) && is_upper(c))
                || (is_upper(p) && cd)
                || (pd && is_upper(c))
                || (pd && is_lower(c))
                || (is_lower(p) && cd)
        });
        let three = matches!((prev, next), (Some(p), Some(n)) if is_upper(p) && is_upper(c) && is_lower(n));
        if two || three {
            words.push(std::mem::take(&mut word));
        }
        word.push(c);
    }
    words.push(word);
    words.retain(|w| !w.is_empty());
    words
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.as_str().to_lowercase().chars()).collect(),
        None => String::new(),
    }
}

/// `name` in snake case, as a 2.x host makes canonical names: `movePlayer` → `move_player`,
/// `Player2` → `player_2`.
///
/// ```
/// use worldtube_lib::raw_def::v10::to_snake_case;
/// assert_eq!(to_snake_case("movePlayer"), "move_player");
/// assert_eq!(to_snake_case("HTTPServer"), "http_server");
/// assert_eq!(to_snake_case("player2"), "player_2");
/// assert_eq!(to_snake_case("__x__"), "x");
/// ```
pub fn to_snake_case(name: &str) -> String {
    let words: Vec<String> = split_words(name).iter().map(|w| w.to_lowercase()).collect();
    words.join("_")
}

/// `name` in camel case (first word lower case, the rest capitalised, no separator): what a 2.x
/// host makes of enum variant names under [`CaseConversionPolicy::SnakeCase`].
pub fn to_camel_case(name: &str) -> String {
    let mut out = String::new();
    for (i, w) in split_words(name).iter().enumerate() {
        out.push_str(&if i == 0 { w.to_lowercase() } else { capitalised(w) });
    }
    out
}

/// `name` in Pascal case (every word capitalised, no separator): what a 2.x host makes of type
/// names under [`CaseConversionPolicy::SnakeCase`].
pub fn to_pascal_case(name: &str) -> String {
    split_words(name).iter().map(|w| capitalised(w)).collect()
}

impl CaseConversionPolicy {
    /// The canonical name of a table, column, function or index whose source name is
    /// `source_name` and which has no explicit name.
    ///
    /// ```
    /// use worldtube_lib::raw_def::v10::CaseConversionPolicy;
    /// assert_eq!(CaseConversionPolicy::SnakeCase.canonical_name("PlayerScore"), "player_score");
    /// assert_eq!(CaseConversionPolicy::None.canonical_name("PlayerScore"), "PlayerScore");
    /// ```
    pub fn canonical_name(self, source_name: &str) -> String {
        match self {
            Self::None => source_name.to_owned(),
            Self::SnakeCase => to_snake_case(source_name),
        }
    }
}
