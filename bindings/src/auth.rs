//! Who is calling, as their token says (2.x, feature `v2`): [`AuthCtx`] and [`JwtClaims`], from
//! `ctx.sender_auth()`.
//!
//! The claims are read from the host (`get_jwt`) only when asked for, and parsed by a small JSON
//! reader of this crate's own (only the top-level `sub`, `iss` and `aud` claims are interpreted;
//! [`JwtClaims::raw_payload`] gives the whole payload for custom claims), so that modules that
//! never look at tokens pay nothing for them.

use std::cell::OnceCell;
use std::rc::Rc;

use crate::{ConnectionId, Identity};

/// The claims of the [JSON Web Token](https://en.wikipedia.org/wiki/JSON_Web_Token) a caller
/// connected with.
#[non_exhaustive]
pub struct JwtClaims {
    payload: String,
    parsed: OnceCell<Vec<(String, json::Value)>>,
    audience: OnceCell<Vec<String>>,
}

impl std::fmt::Debug for JwtClaims {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtClaims").field("payload", &self.payload).finish_non_exhaustive()
    }
}

/// How the caller of a reducer (or of a transaction of a procedure) authenticated:
/// `ctx.sender_auth()`.
#[derive(Clone)]
pub struct AuthCtx {
    is_internal: bool,
    jwt: Rc<Jwt>,
}

/// The token, loaded on first use.
struct Jwt {
    connection_id: Option<ConnectionId>,
    loaded: OnceCell<Option<JwtClaims>>,
}

impl std::fmt::Debug for AuthCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthCtx").field("is_internal", &self.is_internal).finish_non_exhaustive()
    }
}

impl AuthCtx {
    /// The context of a call the database made itself (a scheduled reducer): no token.
    pub fn internal() -> AuthCtx {
        AuthCtx { is_internal: true, jwt: Rc::new(Jwt { connection_id: None, loaded: OnceCell::from(None) }) }
    }

    /// A context whose token has these claims (a JSON object): for unit tests of code that
    /// takes an `AuthCtx`.
    pub fn from_jwt_payload(jwt_payload: String) -> AuthCtx {
        let claims = Some(JwtClaims::new(jwt_payload));
        AuthCtx { is_internal: false, jwt: Rc::new(Jwt { connection_id: None, loaded: OnceCell::from(claims) }) }
    }

    /// The context of a call over `connection_id` (the token is read from the host when first
    /// asked for); a call without a connection is internal.
    pub(crate) fn from_connection_id_opt(connection_id: Option<ConnectionId>) -> AuthCtx {
        match connection_id {
            None => AuthCtx::internal(),
            Some(id) => {
                AuthCtx { is_internal: false, jwt: Rc::new(Jwt { connection_id: Some(id), loaded: OnceCell::new() }) }
            }
        }
    }

    /// Whether the database itself made the call (a scheduled reducer), rather than a client.
    pub fn is_internal(&self) -> bool {
        self.is_internal
    }

    /// Whether the caller has a token (always `false` for an internal call).
    pub fn has_jwt(&self) -> bool {
        self.jwt().is_some()
    }

    /// The caller's token, if any.
    ///
    /// # Panics
    /// If the host cannot give it (outside a transaction).
    pub fn jwt(&self) -> Option<&JwtClaims> {
        self.jwt
            .loaded
            .get_or_init(|| {
                let id = self.jwt.connection_id?;
                let payload = crate::sys::get_jwt(id.as_le_byte_array())
                    .unwrap_or_else(|e| panic!("reading the caller's token failed: {e}"))?;
                Some(JwtClaims::new(String::from_utf8_lossy(&payload).into_owned()))
            })
            .as_ref()
    }
}

impl JwtClaims {
    fn new(payload: String) -> JwtClaims {
        JwtClaims { payload, parsed: OnceCell::new(), audience: OnceCell::new() }
    }

    fn claims(&self) -> &[(String, json::Value)] {
        self.parsed.get_or_init(|| {
            json::parse_object(&self.payload)
                .unwrap_or_else(|e| panic!("the token's payload is not a JSON object: {e}"))
        })
    }

    fn claim(&self, name: &str) -> Option<&json::Value> {
        self.claims().iter().find(|(key, _)| key == name).map(|(_, value)| value)
    }

    fn string_claim(&self, name: &str) -> &str {
        match self.claim(name) {
            Some(json::Value::String(s)) => s,
            Some(_) => panic!("the token's `{name}` claim is not a string"),
            None => panic!("the token has no `{name}` claim"),
        }
    }

    /// The subject (`sub`): who the token is about.
    ///
    /// # Panics
    /// If the token has no `sub` string.
    pub fn subject(&self) -> &str {
        self.string_claim("sub")
    }

    /// The issuer (`iss`): who issued the token.
    ///
    /// # Panics
    /// If the token has no `iss` string.
    pub fn issuer(&self) -> &str {
        self.string_claim("iss")
    }

    /// The audience (`aud`): one string or a list of them; empty if absent.
    ///
    /// # Panics
    /// If `aud` is neither a string nor a list.
    pub fn audience(&self) -> &[String] {
        self.audience.get_or_init(|| match self.claim("aud") {
            None => Vec::new(),
            Some(json::Value::String(s)) => vec![s.clone()],
            Some(json::Value::Strings(list)) => list.clone(),
            Some(json::Value::Other) => panic!("the token's `aud` claim is neither a string nor a list of strings"),
        })
    }

    /// The identity these credentials stand for, derived from issuer and subject as the server
    /// derives it.
    pub fn identity(&self) -> Identity {
        Identity::from_claims(self.issuer(), self.subject())
    }

    /// The whole payload, as JSON text: parse custom claims from it.
    pub fn raw_payload(&self) -> &str {
        &self.payload
    }
}

/// A minimal JSON reader: a whole document is checked, and the members of a top-level object
/// kept as strings, lists of strings, or "something else".
mod json {
    /// A top-level member's value, as far as the claims need it.
    #[derive(Debug, Clone, PartialEq)]
    pub(super) enum Value {
        String(String),
        Strings(Vec<String>),
        Other,
    }

    /// Nesting deeper than this is refused (a token is small and flat).
    const MAX_DEPTH: usize = 64;

    /// What is wrong, and at which byte. A static text and a position rather than a formatted
    /// `String` at each place an error arises: formatted once, when shown, this costs a module
    /// a fraction of the code.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(super) struct Error {
        what: &'static str,
        at: usize,
    }

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{} at byte {}", self.what, self.at)
        }
    }

    type Result<T> = std::result::Result<T, Error>;

    struct Reader<'a> {
        text: &'a str,
        pos: usize,
    }

    pub(super) fn parse_object(text: &str) -> Result<Vec<(String, Value)>> {
        let mut r = Reader { text, pos: 0 };
        r.ws();
        r.expect(b'{')?;
        let mut members = Vec::new();
        r.ws();
        if !r.eat(b'}') {
            loop {
                r.ws();
                let key = r.string()?;
                r.ws();
                r.expect(b':')?;
                r.ws();
                let value = r.member_value()?;
                members.push((key, value));
                r.ws();
                if r.eat(b'}') {
                    break;
                }
                r.expect(b',')?;
            }
        }
        r.ws();
        if r.pos != text.len() {
            return Err(r.error("unexpected text"));
        }
        Ok(members)
    }

    impl Reader<'_> {
        fn error(&self, what: &'static str) -> Error {
            Error { what, at: self.pos }
        }

        fn peek(&self) -> Option<u8> {
            self.text.as_bytes().get(self.pos).copied()
        }

        fn eat(&mut self, b: u8) -> bool {
            let ate = self.peek() == Some(b);
            self.pos += usize::from(ate);
            ate
        }

        fn expect(&mut self, b: u8) -> Result<()> {
            match self.eat(b) {
                true => Ok(()),
                false => Err(self.error(match b {
                    b'{' => "expected `{`",
                    b':' => "expected `:`",
                    b',' => "expected `,`",
                    b'"' => "expected `\"`",
                    _ => "expected `[`",
                })),
            }
        }

        fn ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                self.pos += 1;
            }
        }

        /// A member's value: a string, a list of only strings, or any other value (skipped).
        fn member_value(&mut self) -> Result<Value> {
            match self.peek() {
                Some(b'"') => self.string().map(Value::String),
                Some(b'[') => {
                    let start = self.pos;
                    if let Some(list) = self.string_list() {
                        return Ok(Value::Strings(list));
                    }
                    self.pos = start;
                    self.skip(0).map(|()| Value::Other)
                }
                _ => self.skip(0).map(|()| Value::Other),
            }
        }

        fn string_list(&mut self) -> Option<Vec<String>> {
            self.expect(b'[').ok()?;
            let mut list = Vec::new();
            self.ws();
            if self.eat(b']') {
                return Some(list);
            }
            loop {
                self.ws();
                list.push(self.string().ok()?);
                self.ws();
                if self.eat(b']') {
                    return Some(list);
                }
                self.expect(b',').ok()?;
            }
        }

        /// Skips one value of any kind, checking it.
        fn skip(&mut self, depth: usize) -> Result<()> {
            if depth > MAX_DEPTH {
                return Err(self.error("nested too deeply"));
            }
            match self.peek() {
                Some(b'"') => self.string().map(drop),
                Some(open @ (b'[' | b'{')) => {
                    let close = if open == b'[' { b']' } else { b'}' };
                    self.pos += 1;
                    self.ws();
                    if self.eat(close) {
                        return Ok(());
                    }
                    loop {
                        self.ws();
                        if open == b'{' {
                            self.string()?;
                            self.ws();
                            self.expect(b':')?;
                            self.ws();
                        }
                        self.skip(depth + 1)?;
                        self.ws();
                        if self.eat(close) {
                            return Ok(());
                        }
                        self.expect(b',')?;
                    }
                }
                Some(b't') => self.word("true"),
                Some(b'f') => self.word("false"),
                Some(b'n') => self.word("null"),
                Some(b'-' | b'0'..=b'9') => self.number(),
                _ => Err(self.error("unexpected byte")),
            }
        }

        /// A number by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        /// (checked, not converted: the claims never need a number's value).
        fn number(&mut self) -> Result<()> {
            let start = self.pos;
            self.eat(b'-');
            let ok = match self.peek() {
                Some(b'0') => {
                    self.pos += 1;
                    true
                }
                _ => self.digits(),
            } && (!self.eat(b'.') || self.digits())
                && (!(self.eat(b'e') || self.eat(b'E')) || {
                    let _ = self.eat(b'+') || self.eat(b'-');
                    self.digits()
                });
            match ok {
                true => Ok(()),
                false => Err(Error { what: "bad number", at: start }),
            }
        }

        /// One or more decimal digits; whether there was one.
        fn digits(&mut self) -> bool {
            let start = self.pos;
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
            self.pos > start
        }

        fn word(&mut self, word: &str) -> Result<()> {
            match self.text.as_bytes().get(self.pos..).is_some_and(|rest| rest.starts_with(word.as_bytes())) {
                true => {
                    self.pos += word.len();
                    Ok(())
                }
                false => Err(self.error("unexpected text")),
            }
        }

        fn string(&mut self) -> Result<String> {
            self.expect(b'"')?;
            let mut out = String::new();
            loop {
                let start = self.pos;
                while !matches!(self.peek(), Some(b'"' | b'\\') | None) {
                    self.pos += 1;
                }
                // `start` and `pos` are at ASCII bytes (or the end), so at char boundaries: `get`
                // always succeeds, and the text needs no second UTF-8 check.
                out.push_str(self.text.get(start..self.pos).unwrap_or_default());
                match self.peek() {
                    Some(b'"') => {
                        self.pos += 1;
                        return Ok(out);
                    }
                    Some(b'\\') => {
                        self.pos += 1;
                        let escaped = self.peek().ok_or(self.error("unterminated string"))?;
                        self.pos += 1;
                        out.push(match escaped {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{8}',
                            b'f' => '\u{c}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            b'u' => self.unicode_escape()?,
                            _ => return Err(self.error("bad escape")),
                        });
                    }
                    _ => return Err(self.error("unterminated string")),
                }
            }
        }

        fn hex4(&mut self) -> Result<u32> {
            let digits = self.text.as_bytes().get(self.pos..self.pos + 4).ok_or(self.error("short \\u escape"))?;
            let mut value = 0;
            for &digit in digits {
                let Some(v) = char::from(digit).to_digit(16) else {
                    return Err(self.error("bad \\u escape"));
                };
                value = value * 16 + v;
            }
            self.pos += 4;
            Ok(value)
        }

        fn unicode_escape(&mut self) -> Result<char> {
            let high = self.hex4()?;
            if !(0xD800..0xDC00).contains(&high) {
                return char::from_u32(high).ok_or(self.error("bad \\u escape"));
            }
            // A surrogate pair: `\uD83D\uDE00`.
            if !(self.eat(b'\\') && self.eat(b'u')) {
                return Err(self.error("a lone surrogate in a \\u escape"));
            }
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.error("a bad surrogate pair in a \\u escape"));
            }
            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)).ok_or(self.error("bad \\u escape"))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn reads_claims_and_skips_the_rest() {
            let members = parse_object(
                r#" {"sub": "a\"b\u00e9\ud83d\ude00", "aud": ["x", "y"], "n": -1.5e3, "o": {"k": [1, true, null]},
                    "mixed": ["a", 1], "iss": "me"} "#,
            )
            .unwrap();
            assert_eq!(members[0], ("sub".into(), Value::String("a\"bé😀".into())));
            assert_eq!(members[1], ("aud".into(), Value::Strings(vec!["x".into(), "y".into()])));
            assert_eq!(members[4], ("mixed".into(), Value::Other));
            assert_eq!(members[5], ("iss".into(), Value::String("me".into())));
            for number in ["0", "-0", "7", "-12", "0.5", "1.25e3", "1E-9", "-2.0e+10", "1e400"] {
                let members = parse_object(&format!(r#"{{"n": {number}, "s": "x"}}"#)).unwrap();
                assert_eq!(members, [("n".into(), Value::Other), ("s".into(), Value::String("x".into()))], "{number}");
            }
        }

        #[test]
        fn refuses_what_is_not_one_json_object() {
            for bad in [
                "",
                "[]",
                "{",
                r#"{"a" 1}"#,
                r#"{"a": tru}"#,
                r#"{"a": 1} x"#,
                r#"{"a": "\ud800"}"#,
                r#"{"a": -}"#,
                r#"{"a": 1.}"#,
                r#"{"a": 1e}"#,
                r#"{"a": 01}"#,
                r#"{"a": 1.5e+}"#,
            ] {
                assert!(parse_object(bad).is_err(), "{bad:?}");
            }
            let deep = format!(r#"{{"a": {}{}}}"#, "[".repeat(100), "]".repeat(100));
            assert!(parse_object(&deep).is_err());
            // The error says what and where.
            assert_eq!(parse_object(r#"{"a" 1}"#).unwrap_err().to_string(), "expected `:` at byte 5");
            assert_eq!(parse_object(r#"{"a": 1.}"#).unwrap_err().to_string(), "bad number at byte 6");
            assert_eq!(
                parse_object(r#"{"a": "\ud800"}"#).unwrap_err().to_string(),
                "a lone surrogate in a \\u escape at byte 13"
            );
        }
    }
}
