//! A small SQL evaluator over the committed state: the queries a 2.x module's *views* hand the
//! host (the typed query builder's SQL), and the same kind of query typed by a person.
//!
//! [`run_query`] parses one query, resolves its names and types against the datastore's
//! schema, and returns the rows it selects, all from one table ([`QueryRows`]). It is a pure
//! function of the state and the text; access rules (private tables) are the caller's business.
//!
//! # Grammar
//!
//! ```text
//! query     = SELECT target FROM table [ join ] [ WHERE predicate ] [ ";" ]
//! target    = "*" | name "." "*"
//! table     = name [ [ AS ] alias ]
//! join      = [ INNER ] JOIN table ON column "=" column      (the condition may be in parentheses)
//! predicate = disjunct { OR disjunct }
//! disjunct  = negation { AND negation }
//! negation  = NOT negation | "(" predicate ")" | operand [ op operand ]
//! op        = "=" | "<>" | "!=" | "<" | ">" | "<=" | ">="
//! operand   = column | literal
//! column    = [ name "." ] name
//! name      = identifier | "quoted identifier"      ("" inside quotes is one ")
//! literal   = TRUE | FALSE | [ "-" ] number | NaN | [ "-" ] inf | 'string' | 0x hex digits
//! ```
//!
//! Keywords are case-insensitive; names are case-sensitive, quoted or not (a name that is a
//! keyword must be quoted). An unquoted `NaN`, `inf` or `infinity` (any case) is a float
//! literal; quote a column of that name. `AND` binds tighter than `OR`, and `NOT` applies to
//! the comparison that follows it. An operand on its own is a predicate when it is a `bool`
//! column (`WHERE online`) or `TRUE` / `FALSE`.
//!
//! * **Tables** are found by canonical name first, then by accessor name (as
//!   [`Schema::table_id`](crate::schema::Schema::table_id) does). A column's qualifier is the
//!   table's alias if it has one; a table without an alias is qualified by its name as written
//!   in `FROM` / `JOIN` or by its other name (canonical or accessor).
//! * **Columns** are found by alias first (the field's name in the module's code, the row
//!   type's element name), then by canonical name, as 2.8.3's `get_column_by_name_or_alias`
//!   does: the query builder of a 2.x module writes the fields' names.
//! * **Joins** are semijoins. `SELECT l.* FROM l JOIN r ON l.a = r.b [WHERE P]` gives every row
//!   of `l` for which some row of `r` has `l.a = r.b` and `P` holds for the pair; `SELECT r.*`
//!   gives the rows of `r` likewise. Each row appears at most once, in its table's scan order.
//!   The `WHERE` of a join may use columns of both tables. A table joined with itself needs an
//!   alias on one side.
//! * **Literals** take the type of the column they are compared with: integers in decimal (to
//!   256 bits, negative too) for integer columns; decimal numbers, `NaN`, `inf` and `-inf` for
//!   float columns; `TRUE` / `FALSE` for `bool`; a quoted string for `String`; `0x` and 64 /
//!   32 hex digits (or the same in quotes) for `Identity` / `ConnectionId`; a quoted RFC 3339
//!   time (`'1970-01-01T00:00:00.001+00:00'`, `Z` or any `±hh:mm` offset) for `Timestamp`; a
//!   quoted UUID for `Uuid`; `0x` and an even number of hex digits for `Vec<u8>`. Two literals
//!   may be compared with each other (`TRUE = TRUE`). Two columns may be compared when their
//!   types are equal.
//! * **Comparisons** use the order of SpacetimeDB's indexes ([`AlgebraicValue`]'s `Ord`): NaN
//!   equals NaN and is above every number, `-0.0 = 0.0`, strings compare bytewise, identities
//!   by number.
//!
//! Everything else — column projections, aggregates, `DISTINCT`, `LIMIT`, `ORDER BY`, outer
//! joins, joins of more than two tables, `IN`, `LIKE`, `IS NULL`, parameters such as
//! `:sender`, statements other than `SELECT` — is refused with [`SqlError::Unsupported`] naming
//! it. Predicates nested deeper than [`MAX_NESTING`] are refused too, so no input can exhaust
//! the stack; no input panics.

use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductValue, SpecialProduct, Typespace};
use worldtube_lib::uuid::Uuid;
use worldtube_lib::{i256, u256, ConnectionId, Identity, Timestamp};

use crate::datastore::{Datastore, Row};
use crate::schema::{ColId, Schema, TableId, TableSchema};

/// How deep parentheses and `NOT`s may nest in a predicate (each `(` and each `NOT` is one
/// level); deeper queries are refused with [`SqlError::Unsupported`].
pub const MAX_NESTING: usize = 64;

/// What a query selects: rows of one table.
#[derive(Debug, Clone)]
pub struct QueryRows {
    /// The table the rows belong to (for a join, the selected side).
    pub table: TableId,
    /// The selected rows, each once, in the table's scan order.
    pub rows: Vec<Arc<Row>>,
}

/// Why a query could not be run. `Display` gives a sentence for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlError {
    /// The text does not follow the grammar (see the [module docs](self)).
    Parse {
        /// The byte offset in the text where the problem was found.
        at: usize,
        /// What was wrong there.
        message: String,
    },
    /// The module has no table of this name (canonical or accessor).
    UnknownTable(String),
    /// A column is qualified by a name that is not one of the query's tables.
    UnknownQualifier {
        /// The qualifier as written.
        qualifier: String,
        /// The column it qualified.
        column: String,
        /// The names the query's tables go by.
        in_query: Vec<String>,
    },
    /// The table (or, for an unqualified column in a join, neither table) has no such column.
    UnknownColumn {
        /// The table searched (for a join, both names joined by `or`).
        table: String,
        /// The column as written.
        column: String,
    },
    /// A name that could mean either table of a join.
    Ambiguous {
        /// The name as written.
        name: String,
        /// How to say it unambiguously.
        hint: String,
    },
    /// Two sides of a comparison that do not fit together, or a literal that is not a value of
    /// the column's type (out of range, malformed).
    TypeMismatch {
        /// The comparison, as the query wrote it (normalised spacing).
        comparison: String,
        /// What is wrong with it.
        problem: String,
    },
    /// SQL this evaluator does not run; the text names it.
    Unsupported(String),
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlError::Parse { at, message } => write!(f, "SQL syntax error at byte {at}: {message}"),
            SqlError::UnknownTable(name) => write!(f, "the module has no table named `{name}`"),
            SqlError::UnknownQualifier { qualifier, column, in_query } => {
                write!(f, "`{qualifier}.{column}`: `{qualifier}` is not a table of this query (it reads ")?;
                let names: Vec<String> = in_query.iter().map(|n| format!("`{n}`")).collect();
                write!(f, "{})", names.join(" and "))
            }
            SqlError::UnknownColumn { table, column } => write!(f, "table `{table}` has no column `{column}`"),
            SqlError::Ambiguous { name, hint } => write!(f, "`{name}` is ambiguous: {hint}"),
            SqlError::TypeMismatch { comparison, problem } => {
                write!(f, "type mismatch in `{comparison}`: {problem}")
            }
            SqlError::Unsupported(what) => write!(f, "unsupported SQL: {what}"),
        }
    }
}

impl std::error::Error for SqlError {}

/// The rows of `datastore` (its committed state, or a transaction's view of it) that `sql`
/// selects, and the table they come from. See the [module docs](self) for the SQL accepted.
///
/// ```
/// # use std::sync::Arc;
/// # use worldtube_host::{datastore::Datastore, schema::Schema, sql::run_query};
/// # use worldtube_lib::algebraic::{AlgebraicType, ProductType};
/// # use worldtube_lib::raw_def::RawModuleDefV9Builder;
/// let mut b = RawModuleDefV9Builder::new();
/// let row = ProductType::new([(Some("name"), AlgebraicType::String), (Some("age"), AlgebraicType::U8)]);
/// b.build_table_with_new_type("person", row, true).finish();
/// let ds = Datastore::new(Arc::new(Schema::from_def(&b.finish()).unwrap()));
/// let found = run_query(&ds, r#"SELECT * FROM "person" WHERE ("person"."age" >= 18)"#).unwrap();
/// assert!(found.rows.is_empty());
/// assert!(run_query(&ds, "SELECT * FROM person WHERE age = 'x'").is_err());
/// ```
pub fn run_query(datastore: &Datastore, sql: &str) -> Result<QueryRows, SqlError> {
    let tokens = lex(sql)?;
    let query = Parser { tokens, pos: 0, depth: 0 }.query()?;
    let plan = bind(datastore.schema(), &query)?;
    Ok(execute(datastore, &plan))
}

// ---------------------------------------------------------------------------------------------
// Tokens.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// An identifier or keyword; `quoted` if it was written in double quotes.
    Ident {
        name: String,
        quoted: bool,
    },
    /// Decimal digits, possibly with a fraction and exponent; `float` if it has either.
    Number {
        text: String,
        float: bool,
    },
    /// A single-quoted string, unescaped.
    Str(String),
    /// The digits after `0x`.
    Hex(String),
    /// `:name`.
    Param(String),
    Star,
    Dot,
    Comma,
    LParen,
    RParen,
    Semi,
    Minus,
    Op(CmpOp),
    Eof,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    at: usize,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl CmpOp {
    fn text(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Ge => ">=",
        }
    }

    fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Eq => ord == Equal,
            CmpOp::Ne => ord != Equal,
            CmpOp::Lt => ord == Less,
            CmpOp::Gt => ord == Greater,
            CmpOp::Le => ord != Greater,
            CmpOp::Ge => ord != Less,
        }
    }
}

fn syntax(at: usize, message: impl Into<String>) -> SqlError {
    SqlError::Parse { at, message: message.into() }
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Splits `text` into tokens (ending with `Eof`).
fn lex(text: &str) -> Result<Vec<Token>, SqlError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let single = match c {
            '*' => Some(Tok::Star),
            '.' => Some(Tok::Dot),
            ',' => Some(Tok::Comma),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            ';' => Some(Tok::Semi),
            '-' => Some(Tok::Minus),
            '=' => Some(Tok::Op(CmpOp::Eq)),
            _ => None,
        };
        if let Some(tok) = single {
            chars.next();
            tokens.push(Token { tok, at });
            continue;
        }
        let tok = match c {
            '<' | '>' | '!' => {
                chars.next();
                let next = chars.peek().map(|&(_, n)| n);
                let (op, two) = match (c, next) {
                    ('<', Some('=')) => (CmpOp::Le, true),
                    ('<', Some('>')) => (CmpOp::Ne, true),
                    ('<', _) => (CmpOp::Lt, false),
                    ('>', Some('=')) => (CmpOp::Ge, true),
                    ('>', _) => (CmpOp::Gt, false),
                    ('!', Some('=')) => (CmpOp::Ne, true),
                    _ => return Err(syntax(at, "`!` must be followed by `=` (`!=`)")),
                };
                if two {
                    chars.next();
                }
                Tok::Op(op)
            }
            '"' | '\'' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => {
                            let what = if c == '"' { "quoted name" } else { "string" };
                            return Err(syntax(at, format!("unterminated {what} (missing closing {c})")));
                        }
                        Some((_, q)) if q == c => {
                            if chars.peek().map(|&(_, n)| n) == Some(c) {
                                chars.next();
                                s.push(c);
                            } else {
                                break;
                            }
                        }
                        Some((_, other)) => s.push(other),
                    }
                }
                if c == '"' {
                    if s.is_empty() {
                        return Err(syntax(at, "empty quoted name `\"\"`"));
                    }
                    Tok::Ident { name: s, quoted: true }
                } else {
                    Tok::Str(s)
                }
            }
            '0'..='9' => lex_number(text, at, &mut chars)?,
            ':' => {
                chars.next();
                let mut name = String::new();
                while let Some(&(_, n)) = chars.peek().filter(|&&(_, n)| is_ident_char(n)) {
                    name.push(n);
                    chars.next();
                }
                Tok::Param(name)
            }
            c if is_ident_char(c) => {
                let mut name = String::new();
                while let Some(&(_, n)) = chars.peek().filter(|&&(_, n)| is_ident_char(n)) {
                    name.push(n);
                    chars.next();
                }
                Tok::Ident { name, quoted: false }
            }
            other => return Err(syntax(at, format!("unexpected character {other:?}"))),
        };
        tokens.push(Token { tok, at });
    }
    tokens.push(Token { tok: Tok::Eof, at: text.len() });
    Ok(tokens)
}

/// A number starting at `at`: `0x` and hex digits, or decimal digits with an optional fraction
/// and exponent.
fn lex_number(
    text: &str,
    at: usize,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> Result<Tok, SqlError> {
    let rest = &text[at..];
    if rest.starts_with("0x") || rest.starts_with("0X") {
        chars.next();
        chars.next();
        let mut digits = String::new();
        while let Some(&(pos, n)) = chars.peek().filter(|&&(_, n)| is_ident_char(n)) {
            if !n.is_ascii_hexdigit() {
                return Err(syntax(pos, format!("{n:?} is not a hex digit")));
            }
            digits.push(n);
            chars.next();
        }
        return Ok(Tok::Hex(digits));
    }
    let mut s = String::new();
    let digits = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, s: &mut String| {
        let mut n = 0;
        while let Some(&(_, d)) = chars.peek().filter(|&&(_, d)| d.is_ascii_digit()) {
            s.push(d);
            chars.next();
            n += 1;
        }
        n
    };
    digits(chars, &mut s);
    let mut float = false;
    if let Some(&(pos, '.')) = chars.peek() {
        chars.next();
        s.push('.');
        float = true;
        if digits(chars, &mut s) == 0 {
            return Err(syntax(pos, "a decimal point must be followed by digits"));
        }
    }
    if let Some(&(pos, 'e' | 'E')) = chars.peek() {
        chars.next();
        s.push('e');
        float = true;
        if let Some(&(_, sign @ ('+' | '-'))) = chars.peek() {
            chars.next();
            s.push(sign);
        }
        if digits(chars, &mut s) == 0 {
            return Err(syntax(pos, "an exponent must have digits"));
        }
    }
    if let Some(&(pos, n)) = chars.peek().filter(|&&(_, n)| is_ident_char(n) || n == '.') {
        return Err(syntax(pos, format!("unexpected {n:?} right after the number {s}")));
    }
    Ok(Tok::Number { text: s, float })
}

// ---------------------------------------------------------------------------------------------
// Syntax tree and parser.

/// A parsed query, names unresolved.
#[derive(Debug)]
struct Query {
    /// `None` for `SELECT *`, else the name before `.*` and its position.
    target: Option<(String, usize)>,
    from: TableRef,
    join: Option<(TableRef, Pred)>,
    filter: Option<Pred>,
}

#[derive(Debug)]
struct TableRef {
    name: String,
    alias: Option<String>,
}

impl TableRef {
    /// The name its columns are qualified with.
    fn binding(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug)]
enum Pred {
    Cmp(Operand, CmpOp, Operand),
    /// An operand on its own: a `bool` column or `TRUE` / `FALSE`.
    Bare(Operand),
    And(Vec<Pred>),
    Or(Vec<Pred>),
    Not(Box<Pred>),
}

#[derive(Debug)]
enum Operand {
    Column { qualifier: Option<String>, name: String },
    Lit(Lit),
}

#[derive(Debug, Clone)]
enum Lit {
    Bool(bool),
    /// A number as written (sign included; `NaN`, `inf`, `-inf` for those); `float` if it has a
    /// fraction or exponent or is not finite.
    Number {
        text: String,
        float: bool,
    },
    Str(String),
    Hex(String),
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Column { qualifier: Some(q), name } => write!(f, "{q}.{name}"),
            Operand::Column { qualifier: None, name } => f.write_str(name),
            Operand::Lit(l) => l.fmt(f),
        }
    }
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lit::Bool(true) => f.write_str("TRUE"),
            Lit::Bool(false) => f.write_str("FALSE"),
            Lit::Number { text, .. } => f.write_str(text),
            Lit::Str(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Lit::Hex(h) => write!(f, "0x{h}"),
        }
    }
}

/// Keywords: an unquoted identifier equal to one of these (in any case) is not a name.
const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "JOIN",
    "INNER",
    "ON",
    "AND",
    "OR",
    "NOT",
    "AS",
    "TRUE",
    "FALSE",
    "NULL",
    "LEFT",
    "RIGHT",
    "FULL",
    "OUTER",
    "CROSS",
    "NATURAL",
    "LIMIT",
    "OFFSET",
    "ORDER",
    "GROUP",
    "HAVING",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "DISTINCT",
    "ALL",
    "IS",
    "IN",
    "LIKE",
    "BETWEEN",
    "USING",
];

/// Statements other than `SELECT`, named in the refusal.
const STATEMENTS: &[&str] =
    &["INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "SET", "SHOW", "WITH", "SUBSCRIBE", "EXPLAIN"];

/// What may follow a complete query but is not supported, and how to name it.
const TRAILING: &[(&str, &str)] = &[
    ("LIMIT", "LIMIT"),
    ("OFFSET", "OFFSET"),
    ("ORDER", "ORDER BY"),
    ("GROUP", "GROUP BY"),
    ("HAVING", "HAVING"),
    ("UNION", "UNION"),
    ("EXCEPT", "EXCEPT"),
    ("INTERSECT", "INTERSECT"),
];

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident { name, quoted: true } => format!("\"{name}\""),
        Tok::Ident { name, quoted: false } => format!("`{name}`"),
        Tok::Number { text, .. } => format!("the number {text}"),
        Tok::Str(s) => format!("the string '{s}'"),
        Tok::Hex(h) => format!("0x{h}"),
        Tok::Param(p) => format!(":{p}"),
        Tok::Star => "`*`".into(),
        Tok::Dot => "`.`".into(),
        Tok::Comma => "`,`".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Semi => "`;`".into(),
        Tok::Minus => "`-`".into(),
        Tok::Op(op) => format!("`{}`", op.text()),
        Tok::Eof => "the end of the query".into(),
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        // The last token is always `Eof`.
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + n).min(last)].tok
    }

    fn at(&self) -> usize {
        self.tokens[self.pos.min(self.tokens.len() - 1)].at
    }

    fn bump(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        tok
    }

    /// Whether the next token is the keyword `kw` (an unquoted identifier, any case).
    fn is_kw(&self, kw: &str) -> bool {
        self.is_kw_at(0, kw)
    }

    fn is_kw_at(&self, n: usize, kw: &str) -> bool {
        matches!(self.peek_at(n), Tok::Ident { name, quoted: false } if name.eq_ignore_ascii_case(kw))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.is_kw(kw);
        if yes {
            self.bump();
        }
        yes
    }

    fn expected(&self, what: &str) -> SqlError {
        syntax(self.at(), format!("expected {what}, found {}", describe(self.peek())))
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), SqlError> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.expected(kw))
        }
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), SqlError> {
        if *self.peek() == tok {
            self.bump();
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    /// The keyword the next token is, if any (upper case).
    fn keyword(&self) -> Option<&'static str> {
        match self.peek() {
            Tok::Ident { name, quoted: false } => KEYWORDS.iter().copied().find(|k| name.eq_ignore_ascii_case(k)),
            _ => None,
        }
    }

    /// A table, column or alias name.
    fn name(&mut self, what: &str) -> Result<String, SqlError> {
        match self.peek() {
            Tok::Ident { name, quoted } if *quoted || self.keyword().is_none() => {
                let name = name.clone();
                self.bump();
                Ok(name)
            }
            _ => Err(self.expected(what)),
        }
    }

    fn query(mut self) -> Result<Query, SqlError> {
        if let Tok::Ident { name, quoted: false } = self.peek() {
            if let Some(stmt) = STATEMENTS.iter().find(|s| name.eq_ignore_ascii_case(s)) {
                return Err(SqlError::Unsupported(format!("{stmt} statements (only SELECT queries are run)")));
            }
        }
        self.expect_kw("SELECT")?;
        if self.is_kw("DISTINCT") {
            return Err(SqlError::Unsupported("SELECT DISTINCT".into()));
        }
        let target = if *self.peek() == Tok::Star {
            self.bump();
            None
        } else {
            let at = self.at();
            if !matches!(self.peek(), Tok::Ident { .. }) {
                return Err(self.expected("`*` or `table.*`"));
            }
            let is_table_star = matches!(self.peek(), Tok::Ident { .. })
                && *self.peek_at(1) == Tok::Dot
                && *self.peek_at(2) == Tok::Star;
            if !is_table_star {
                if matches!(self.peek(), Tok::Ident { .. }) && *self.peek_at(1) == Tok::LParen {
                    return Err(SqlError::Unsupported(
                        "functions and aggregates such as COUNT(*) in SELECT (only `SELECT *` and `SELECT t.*`)".into(),
                    ));
                }
                return Err(SqlError::Unsupported(format!(
                    "selecting columns or expressions (at byte {at}; only `SELECT *` and `SELECT t.*` are run)"
                )));
            }
            let name = self.name("a table name")?;
            self.bump();
            self.bump();
            Some((name, at))
        };
        if *self.peek() == Tok::Comma {
            return Err(SqlError::Unsupported(
                "selecting more than one thing (only `SELECT *` and `SELECT t.*`)".into(),
            ));
        }
        self.expect_kw("FROM")?;
        let from = self.table_ref()?;
        if *self.peek() == Tok::Comma {
            return Err(SqlError::Unsupported("`FROM a, b` (join tables with `JOIN ... ON`)".into()));
        }
        let mut join = None;
        loop {
            if let Some(kind) = ["LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL"].iter().find(|k| self.is_kw(k)) {
                return Err(SqlError::Unsupported(format!("{kind} joins (only inner joins: `JOIN ... ON`)")));
            }
            if !(self.is_kw("JOIN") || (self.is_kw("INNER") && self.is_kw_at(1, "JOIN"))) {
                break;
            }
            if join.is_some() {
                return Err(SqlError::Unsupported("joins of more than two tables".into()));
            }
            self.eat_kw("INNER");
            self.expect_kw("JOIN")?;
            let table = self.table_ref()?;
            if self.is_kw("USING") {
                return Err(SqlError::Unsupported("JOIN ... USING (write `ON l.a = r.b`)".into()));
            }
            self.expect_kw("ON")?;
            let on = self.predicate()?;
            join = Some((table, on));
        }
        let filter = if self.eat_kw("WHERE") { Some(self.predicate()?) } else { None };
        if *self.peek() == Tok::Semi {
            self.bump();
        }
        if *self.peek() != Tok::Eof {
            if let Some((_, name)) = TRAILING.iter().find(|(k, _)| self.is_kw(k)) {
                return Err(SqlError::Unsupported(name.to_string()));
            }
            return Err(self.expected("the end of the query"));
        }
        Ok(Query { target, from, join, filter })
    }

    fn table_ref(&mut self) -> Result<TableRef, SqlError> {
        if *self.peek() == Tok::LParen {
            return Err(SqlError::Unsupported("subqueries".into()));
        }
        let name = self.name("a table name")?;
        let alias = if self.eat_kw("AS") {
            Some(self.name("an alias after AS")?)
        } else if matches!(self.peek(), Tok::Ident { .. }) && self.keyword().is_none() {
            Some(self.name("an alias")?)
        } else {
            None
        };
        Ok(TableRef { name, alias })
    }

    /// Enters one level of nesting (a `(` or a `NOT`).
    fn enter(&mut self) -> Result<(), SqlError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(SqlError::Unsupported(format!(
                "predicates nested more than {MAX_NESTING} deep (parentheses and NOTs, at byte {})",
                self.at()
            )));
        }
        Ok(())
    }

    fn predicate(&mut self) -> Result<Pred, SqlError> {
        let mut terms = vec![self.conjunction()?];
        while self.eat_kw("OR") {
            terms.push(self.conjunction()?);
        }
        Ok(if terms.len() == 1 { terms.pop().expect("one term") } else { Pred::Or(terms) })
    }

    fn conjunction(&mut self) -> Result<Pred, SqlError> {
        let mut terms = vec![self.negation()?];
        while self.eat_kw("AND") {
            terms.push(self.negation()?);
        }
        Ok(if terms.len() == 1 { terms.pop().expect("one term") } else { Pred::And(terms) })
    }

    fn negation(&mut self) -> Result<Pred, SqlError> {
        if self.eat_kw("NOT") {
            self.enter()?;
            let inner = self.negation()?;
            self.depth -= 1;
            return Ok(Pred::Not(Box::new(inner)));
        }
        if *self.peek() == Tok::LParen {
            self.bump();
            self.enter()?;
            if self.is_kw("SELECT") {
                return Err(SqlError::Unsupported("subqueries".into()));
            }
            let inner = self.predicate()?;
            self.expect(Tok::RParen, "`)`")?;
            self.depth -= 1;
            return Ok(inner);
        }
        let left = self.operand()?;
        let op = match self.peek() {
            Tok::Op(op) => *op,
            _ => {
                if let Some(kw) = ["IS", "IN", "LIKE", "BETWEEN", "NOT"].iter().find(|k| self.is_kw(k)) {
                    let what = if *kw == "NOT" { "NOT IN / NOT LIKE / NOT BETWEEN" } else { kw };
                    return Err(SqlError::Unsupported(format!("the {what} operator (only =, <>, !=, <, >, <=, >=)")));
                }
                return Ok(Pred::Bare(left));
            }
        };
        self.bump();
        let right = self.operand()?;
        if let Tok::Op(_) = self.peek() {
            return Err(syntax(self.at(), "comparisons cannot be chained (`a = b = c`): use AND"));
        }
        Ok(Pred::Cmp(left, op, right))
    }

    fn operand(&mut self) -> Result<Operand, SqlError> {
        let at = self.at();
        let lit = match self.peek().clone() {
            Tok::Number { text, float } => Lit::Number { text, float },
            Tok::Str(s) => Lit::Str(s),
            Tok::Hex(h) => Lit::Hex(h),
            Tok::Param(p) => {
                return Err(SqlError::Unsupported(format!("parameters such as `:{p}` (at byte {at})")));
            }
            Tok::Minus => {
                self.bump();
                let lit = match self.peek().clone() {
                    Tok::Number { text, float } => Lit::Number { text: format!("-{text}"), float },
                    Tok::Ident { name, quoted: false } if is_inf(&name) => {
                        Lit::Number { text: format!("-{name}"), float: true }
                    }
                    _ => return Err(self.expected("a number after `-`")),
                };
                self.bump();
                return Ok(Operand::Lit(lit));
            }
            Tok::Ident { name, quoted: false } if name.eq_ignore_ascii_case("TRUE") => Lit::Bool(true),
            Tok::Ident { name, quoted: false } if name.eq_ignore_ascii_case("FALSE") => Lit::Bool(false),
            Tok::Ident { name, quoted: false } if name.eq_ignore_ascii_case("NULL") => {
                return Err(SqlError::Unsupported(format!("NULL (at byte {at})")));
            }
            Tok::Ident { name, quoted: false } if is_inf(&name) || name.eq_ignore_ascii_case("NaN") => {
                Lit::Number { text: name, float: true }
            }
            Tok::Ident { .. } => {
                let first = self.name("a column or a value")?;
                if *self.peek() == Tok::LParen {
                    return Err(SqlError::Unsupported(format!("function calls such as `{first}(...)`")));
                }
                if *self.peek() != Tok::Dot {
                    return Ok(Operand::Column { qualifier: None, name: first });
                }
                self.bump();
                let name = self.name("a column name after `.`")?;
                return Ok(Operand::Column { qualifier: Some(first), name });
            }
            _ => return Err(self.expected("a column or a value")),
        };
        self.bump();
        Ok(Operand::Lit(lit))
    }
}

fn is_inf(name: &str) -> bool {
    name.eq_ignore_ascii_case("inf") || name.eq_ignore_ascii_case("infinity")
}

// ---------------------------------------------------------------------------------------------
// Binding: names to tables and columns, literals to values.

/// Which table of the query a column belongs to: 0 for the `FROM` table, 1 for the `JOIN` one.
type Side = usize;

#[derive(Debug)]
enum Expr {
    Const(bool),
    Cmp(Value, CmpOp, Value),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
}

#[derive(Debug)]
enum Value {
    Column(Side, ColId),
    Literal(AlgebraicValue),
}

#[derive(Debug)]
struct Plan {
    /// The `FROM` table, then the `JOIN` table if any.
    tables: Vec<TableId>,
    /// The side whose rows are selected.
    output: Side,
    /// For a join: the join column of side 0 and of side 1.
    on: Option<(ColId, ColId)>,
    filter: Option<Expr>,
}

/// One table of the query, as its columns are qualified.
struct Binding<'a> {
    table: &'a TableSchema,
    /// The alias, or the name as written.
    name: &'a str,
    has_alias: bool,
}

struct Binder<'a> {
    schema: &'a Schema,
    bindings: Vec<Binding<'a>>,
}

/// A resolved column: its side, position and type (top-level refs followed).
struct Col<'a> {
    side: Side,
    col: ColId,
    ty: &'a AlgebraicType,
}

fn bind(schema: &Schema, query: &Query) -> Result<Plan, SqlError> {
    let lookup = |r: &TableRef| schema.table_by_name(&r.name).ok_or_else(|| SqlError::UnknownTable(r.name.clone()));
    let mut refs = vec![&query.from];
    if let Some((r, _)) = &query.join {
        refs.push(r);
    }
    let mut bindings = Vec::new();
    for r in &refs {
        bindings.push(Binding { table: lookup(r)?, name: r.binding(), has_alias: r.alias.is_some() });
    }
    if let [a, b] = &bindings[..] {
        if a.name == b.name {
            return Err(SqlError::Ambiguous {
                name: a.name.to_owned(),
                hint: format!(
                    "both tables of the join go by this name; give one an alias (`JOIN {} AS other`)",
                    refs[1].name
                ),
            });
        }
    }
    let binder = Binder { schema, bindings };
    let output = match &query.target {
        None if binder.bindings.len() > 1 => {
            return Err(SqlError::Unsupported(
                "`SELECT *` over a join (rows of both tables); select one table's rows with `SELECT t.*`".into(),
            ));
        }
        None => 0,
        Some((name, _)) => binder.qualifier(name, "*")?,
    };
    let on = match &query.join {
        None => None,
        Some((_, on)) => Some(binder.join_condition(on)?),
    };
    let filter = query.filter.as_ref().map(|p| binder.pred(p)).transpose()?;
    Ok(Plan { tables: binder.bindings.iter().map(|b| b.table.id).collect(), output, on, filter })
}

impl<'a> Binder<'a> {
    fn typespace(&self) -> &'a Typespace {
        self.schema.typespace()
    }

    /// The side a qualifier names: a binding's name, else (for a table without an alias) any
    /// name of its table.
    fn qualifier(&self, qualifier: &str, column: &str) -> Result<Side, SqlError> {
        if let Some(side) = self.bindings.iter().position(|b| b.name == qualifier) {
            return Ok(side);
        }
        if let Some(id) = self.schema.table_id(qualifier) {
            let sides: Vec<Side> = (0..self.bindings.len())
                .filter(|&s| !self.bindings[s].has_alias && self.bindings[s].table.id == id)
                .collect();
            if let [side] = sides[..] {
                return Ok(side);
            }
        }
        Err(SqlError::UnknownQualifier {
            qualifier: qualifier.to_owned(),
            column: column.to_owned(),
            in_query: self.bindings.iter().map(|b| b.name.to_owned()).collect(),
        })
    }

    fn column(&self, qualifier: Option<&str>, name: &str) -> Result<Col<'a>, SqlError> {
        let side = match qualifier {
            Some(q) => self.qualifier(q, name)?,
            None => {
                let sides: Vec<Side> = (0..self.bindings.len())
                    .filter(|&s| self.bindings[s].table.column_by_name_or_alias(name).is_some())
                    .collect();
                match sides[..] {
                    [side] => side,
                    [] => {
                        let names: Vec<&str> = self.bindings.iter().map(|b| b.name).collect();
                        return Err(SqlError::UnknownColumn { table: names.join("` or `"), column: name.to_owned() });
                    }
                    _ => {
                        return Err(SqlError::Ambiguous {
                            name: name.to_owned(),
                            hint: format!(
                                "both tables of the join have this column; qualify it (`{}.{name}`)",
                                self.bindings[0].name
                            ),
                        });
                    }
                }
            }
        };
        let binding = &self.bindings[side];
        let column = binding
            .table
            .column_by_name_or_alias(name)
            .ok_or_else(|| SqlError::UnknownColumn { table: binding.name.to_owned(), column: name.to_owned() })?;
        let ty = self.typespace().resolve(&column.resolved_ty).unwrap_or(&column.resolved_ty);
        Ok(Col { side, col: column.col, ty })
    }

    /// `ON l.a = r.b` (either order): the join column of side 0 and of side 1.
    fn join_condition(&self, on: &Pred) -> Result<(ColId, ColId), SqlError> {
        let unsupported = || {
            SqlError::Unsupported(
                "join conditions other than one equality of a column of each table (`ON l.a = r.b`)".into(),
            )
        };
        let Pred::Cmp(
            l @ Operand::Column { qualifier: lq, name: ln },
            CmpOp::Eq,
            r @ Operand::Column { qualifier: rq, name: rn },
        ) = on
        else {
            return Err(unsupported());
        };
        let (a, b) = (self.column(lq.as_deref(), ln)?, self.column(rq.as_deref(), rn)?);
        if a.ty != b.ty {
            return Err(SqlError::TypeMismatch {
                comparison: format!("{l} = {r}"),
                problem: format!("{l} is {} and {r} is {}", a.ty.describe(), b.ty.describe()),
            });
        }
        match (a.side, b.side) {
            (0, 1) => Ok((a.col, b.col)),
            (1, 0) => Ok((b.col, a.col)),
            _ => Err(unsupported()),
        }
    }

    fn pred(&self, p: &Pred) -> Result<Expr, SqlError> {
        Ok(match p {
            Pred::And(ps) => Expr::And(ps.iter().map(|p| self.pred(p)).collect::<Result<_, _>>()?),
            Pred::Or(ps) => Expr::Or(ps.iter().map(|p| self.pred(p)).collect::<Result<_, _>>()?),
            Pred::Not(p) => Expr::Not(Box::new(self.pred(p)?)),
            Pred::Bare(Operand::Lit(Lit::Bool(b))) => Expr::Const(*b),
            Pred::Bare(o @ Operand::Column { qualifier, name }) => {
                let col = self.column(qualifier.as_deref(), name)?;
                if *col.ty != AlgebraicType::Bool {
                    return Err(SqlError::TypeMismatch {
                        comparison: o.to_string(),
                        problem: format!("a condition must be a bool, and {o} is {}", col.ty.describe()),
                    });
                }
                Expr::Cmp(Value::Column(col.side, col.col), CmpOp::Eq, Value::Literal(AlgebraicValue::Bool(true)))
            }
            Pred::Bare(o @ Operand::Lit(_)) => {
                return Err(SqlError::TypeMismatch {
                    comparison: o.to_string(),
                    problem: format!("a condition must be a bool, and {o} is not"),
                });
            }
            Pred::Cmp(l, op, r) => self.comparison(l, *op, r)?,
        })
    }

    fn comparison(&self, l: &Operand, op: CmpOp, r: &Operand) -> Result<Expr, SqlError> {
        let comparison = || format!("{l} {} {r}", op.text());
        let column = |o: &Operand| match o {
            Operand::Column { qualifier, name } => self.column(qualifier.as_deref(), name).map(Some),
            Operand::Lit(_) => Ok(None),
        };
        let (lc, rc) = (column(l)?, column(r)?);
        let literal = |lit: &Lit, ty: &AlgebraicType, col: &Operand| {
            literal_value(lit, ty).map_err(|e| match e {
                LitError::Mismatch(problem) => SqlError::TypeMismatch {
                    comparison: comparison(),
                    problem: format!("{problem} (the type of {col})"),
                },
                LitError::Unsupported(what) => SqlError::Unsupported(what),
            })
        };
        Ok(match (l, lc, r, rc) {
            (_, Some(a), _, Some(b)) => {
                if a.ty != b.ty {
                    return Err(SqlError::TypeMismatch {
                        comparison: comparison(),
                        problem: format!("{l} is {} and {r} is {}", a.ty.describe(), b.ty.describe()),
                    });
                }
                Expr::Cmp(Value::Column(a.side, a.col), op, Value::Column(b.side, b.col))
            }
            (_, Some(a), Operand::Lit(lit), None) => {
                let v = literal(lit, a.ty, l)?;
                Expr::Cmp(Value::Column(a.side, a.col), op, Value::Literal(v))
            }
            (Operand::Lit(lit), None, _, Some(b)) => {
                let v = literal(lit, b.ty, r)?;
                Expr::Cmp(Value::Literal(v), op, Value::Column(b.side, b.col))
            }
            (Operand::Lit(a), None, Operand::Lit(b), None) => {
                let ty = constant_type(a, b);
                let mismatch = |lit: &Lit, e: LitError| match e {
                    LitError::Mismatch(problem) => SqlError::TypeMismatch {
                        comparison: comparison(),
                        problem: format!(
                            "{problem} (comparing {lit} with {})",
                            if std::ptr::eq(lit, a) { b } else { a }
                        ),
                    },
                    LitError::Unsupported(what) => SqlError::Unsupported(what),
                };
                let va = literal_value(a, &ty).map_err(|e| mismatch(a, e))?;
                let vb = literal_value(b, &ty).map_err(|e| mismatch(b, e))?;
                Expr::Const(op.holds(va.cmp(&vb)))
            }
            // A column operand always resolves to `Some` (or an error above).
            _ => return Err(SqlError::Unsupported(format!("the comparison `{}`", comparison()))),
        })
    }
}

/// The type two literals compared with each other are read at.
fn constant_type(a: &Lit, b: &Lit) -> AlgebraicType {
    match (a, b) {
        (Lit::Number { float: fa, .. }, Lit::Number { float: fb, .. }) if *fa || *fb => AlgebraicType::F64,
        (Lit::Bool(_), _) => AlgebraicType::Bool,
        (Lit::Number { float: true, .. }, _) => AlgebraicType::F64,
        (Lit::Number { .. }, _) => AlgebraicType::I256,
        (Lit::Str(_), _) => AlgebraicType::String,
        (Lit::Hex(_), _) => AlgebraicType::array(AlgebraicType::U8),
    }
}

enum LitError {
    /// The literal is not a value of the type; the text says why.
    Mismatch(String),
    /// The type has no literal form here.
    Unsupported(String),
}

/// The value `lit` denotes at type `ty` (top-level refs already followed).
fn literal_value(lit: &Lit, ty: &AlgebraicType) -> Result<AlgebraicValue, LitError> {
    use AlgebraicType as T;
    let tyname = ty.describe();
    let not_a = |what: &str| LitError::Mismatch(format!("{lit} is not {what}, as {tyname} needs"));
    macro_rules! int {
        ($t:ty) => {{
            let Lit::Number { text, float: false } = lit else { return Err(not_a("an integer")) };
            let v: $t = text.parse().map_err(|_| LitError::Mismatch(format!("{lit} is out of range for {tyname}")))?;
            AlgebraicValue::from(v)
        }};
    }
    Ok(match ty {
        T::Bool => match lit {
            Lit::Bool(b) => AlgebraicValue::Bool(*b),
            _ => return Err(not_a("TRUE or FALSE")),
        },
        T::I8 => int!(i8),
        T::U8 => int!(u8),
        T::I16 => int!(i16),
        T::U16 => int!(u16),
        T::I32 => int!(i32),
        T::U32 => int!(u32),
        T::I64 => int!(i64),
        T::U64 => int!(u64),
        T::I128 => int!(i128),
        T::U128 => int!(u128),
        T::I256 => {
            let Lit::Number { text, float: false } = lit else { return Err(not_a("an integer")) };
            let v = ethnum::I256::from_str_radix(text, 10)
                .map_err(|_| LitError::Mismatch(format!("{lit} is out of range for {tyname}")))?;
            AlgebraicValue::from(i256::from_be_bytes(v.to_be_bytes()))
        }
        T::U256 => {
            let Lit::Number { text, float: false } = lit else { return Err(not_a("an integer")) };
            let v = ethnum::U256::from_str_radix(text, 10)
                .map_err(|_| LitError::Mismatch(format!("{lit} is out of range for {tyname}")))?;
            AlgebraicValue::from(u256::from_be_bytes(v.to_be_bytes()))
        }
        T::F32 => match lit {
            Lit::Number { text, .. } => AlgebraicValue::from(text.parse::<f32>().map_err(|_| not_a("a number"))?),
            _ => return Err(not_a("a number")),
        },
        T::F64 => match lit {
            Lit::Number { text, .. } => AlgebraicValue::from(text.parse::<f64>().map_err(|_| not_a("a number"))?),
            _ => return Err(not_a("a number")),
        },
        T::String => match lit {
            Lit::Str(s) => AlgebraicValue::from(s.as_str()),
            _ => return Err(not_a("a quoted string")),
        },
        T::Array(a) if *a.elem_ty == T::U8 => {
            let Lit::Hex(h) = lit else { return Err(not_a("0x and hex digits")) };
            let bytes = hex_bytes(h).ok_or_else(|| not_a("an even number of hex digits"))?;
            AlgebraicValue::Array(bytes.into_iter().map(AlgebraicValue::U8).collect())
        }
        T::Product(p) if p.special() == Some(SpecialProduct::Identity) => {
            let text = match lit {
                Lit::Hex(h) | Lit::Str(h) => h,
                _ => return Err(not_a("0x and 64 hex digits")),
            };
            Identity::from_hex(text).map_err(|e| not_a(&format!("an identity ({e})")))?.into()
        }
        T::Product(p) if p.special() == Some(SpecialProduct::ConnectionId) => {
            let text = match lit {
                Lit::Hex(h) | Lit::Str(h) => h,
                _ => return Err(not_a("0x and 32 hex digits")),
            };
            ConnectionId::from_hex(text).map_err(|e| not_a(&format!("a connection id ({e})")))?.into()
        }
        T::Product(p) if p.special() == Some(SpecialProduct::Timestamp) => {
            let Lit::Str(s) = lit else { return Err(not_a("a quoted RFC 3339 time")) };
            Timestamp::parse_from_rfc3339(s)
                .map_err(|_| not_a("an RFC 3339 time such as '2025-02-10T15:45:30Z'"))?
                .into()
        }
        T::Product(p) if p.is_uuid() => {
            let Lit::Str(s) = lit else { return Err(not_a("a quoted UUID")) };
            let uuid = Uuid::parse_str(s).map_err(|e| not_a(&format!("a UUID ({e})")))?;
            AlgebraicValue::product([AlgebraicValue::U128(uuid.as_u128())])
        }
        other => {
            return Err(LitError::Unsupported(format!(
                "literals of type {} (compare the column with another column of its type)",
                other.describe()
            )))
        }
    })
}

/// Hex digits (an even number of them) as bytes.
fn hex_bytes(digits: &str) -> Option<Vec<u8>> {
    let b = digits.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|pair| {
            let d = |c: u8| char::from(c).to_digit(16);
            Some((d(pair[0])? * 16 + d(pair[1])?) as u8)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Execution.

/// The rows a query reads at once: one per side (`None` for a side not in play).
type Rows<'r> = [Option<&'r ProductValue>; 2];

fn eval(e: &Expr, rows: &Rows<'_>) -> bool {
    match e {
        Expr::Const(b) => *b,
        Expr::Cmp(l, op, r) => match (value(l, rows), value(r, rows)) {
            (Some(a), Some(b)) => op.holds(a.cmp(b)),
            _ => false,
        },
        Expr::And(es) => es.iter().all(|e| eval(e, rows)),
        Expr::Or(es) => es.iter().any(|e| eval(e, rows)),
        Expr::Not(e) => !eval(e, rows),
    }
}

fn value<'v>(v: &'v Value, rows: &Rows<'v>) -> Option<&'v AlgebraicValue> {
    match v {
        Value::Literal(v) => Some(v),
        Value::Column(side, col) => rows.get(*side).copied().flatten()?.elements.get(usize::from(*col)),
    }
}

/// The sides an expression reads, as a bit set (bit `s` for side `s`).
fn sides(e: &Expr) -> u8 {
    let of = |v: &Value| match v {
        Value::Column(side, _) => 1u8 << side,
        Value::Literal(_) => 0,
    };
    match e {
        Expr::Const(_) => 0,
        Expr::Cmp(l, _, r) => of(l) | of(r),
        Expr::And(es) | Expr::Or(es) => es.iter().fold(0, |m, e| m | sides(e)),
        Expr::Not(e) => sides(e),
    }
}

/// The top-level conjuncts of `e` (nested `AND`s flattened).
fn conjuncts<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::And(es) => es.iter().for_each(|e| conjuncts(e, out)),
        other => out.push(other),
    }
}

fn execute(ds: &Datastore, plan: &Plan) -> QueryRows {
    let table = plan.tables[plan.output];
    let scan = |t: TableId| ds.rows(t).into_iter().flatten().map(|(_, row)| row);
    let Some((on0, on1)) = plan.on else {
        let rows = scan(table)
            .filter(|row| plan.filter.as_ref().is_none_or(|f| eval(f, &[Some(row.value()), None])))
            .cloned()
            .collect();
        return QueryRows { table, rows };
    };
    let (out, other) = (plan.output, 1 - plan.output);
    let (out_col, other_col) = if out == 0 { (on0, on1) } else { (on1, on0) };
    let mut parts = Vec::new();
    if let Some(f) = &plan.filter {
        conjuncts(f, &mut parts);
    }
    let (mut out_only, mut other_only, mut both) = (Vec::new(), Vec::new(), Vec::new());
    for part in parts {
        match sides(part) {
            m if m & !(1 << out) == 0 => out_only.push(part),
            m if m & (1 << out) == 0 => other_only.push(part),
            _ => both.push(part),
        }
    }
    // The other side's rows that pass their own conditions, by join key.
    let mut by_key: HashMap<&AlgebraicValue, Vec<&ProductValue>> = HashMap::default();
    for row in scan(plan.tables[other]) {
        let value = row.value();
        let mut rows = [None, None];
        rows[other] = Some(value);
        if other_only.iter().all(|e| eval(e, &rows)) {
            if let Some(key) = value.elements.get(usize::from(other_col)) {
                by_key.entry(key).or_default().push(value);
            }
        }
    }
    let rows = scan(table)
        .filter(|row| {
            let value = row.value();
            let mut rows = [None, None];
            rows[out] = Some(value);
            if !out_only.iter().all(|e| eval(e, &rows)) {
                return false;
            }
            let Some(matches) = value.elements.get(usize::from(out_col)).and_then(|k| by_key.get(k)) else {
                return false;
            };
            both.is_empty()
                || matches.iter().any(|m| {
                    rows[other] = Some(m);
                    both.iter().all(|e| eval(e, &rows))
                })
        })
        .cloned()
        .collect();
    QueryRows { table, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(sql: &str) -> Result<Query, SqlError> {
        Parser { tokens: lex(sql)?, pos: 0, depth: 0 }.query()
    }

    #[test]
    fn lexes_every_token_kind() {
        let toks: Vec<Tok> = lex(r#"SELECT "a""b".* 'it''s' 0xAb 12 1.5e-3 -<> != <= >= < > = ; , ( ) :x"#)
            .unwrap()
            .into_iter()
            .map(|t| t.tok)
            .collect();
        assert_eq!(
            toks,
            [
                Tok::Ident { name: "SELECT".into(), quoted: false },
                Tok::Ident { name: "a\"b".into(), quoted: true },
                Tok::Dot,
                Tok::Star,
                Tok::Str("it's".into()),
                Tok::Hex("Ab".into()),
                Tok::Number { text: "12".into(), float: false },
                Tok::Number { text: "1.5e-3".into(), float: true },
                Tok::Minus,
                Tok::Op(CmpOp::Ne),
                Tok::Op(CmpOp::Ne),
                Tok::Op(CmpOp::Le),
                Tok::Op(CmpOp::Ge),
                Tok::Op(CmpOp::Lt),
                Tok::Op(CmpOp::Gt),
                Tok::Op(CmpOp::Eq),
                Tok::Semi,
                Tok::Comma,
                Tok::LParen,
                Tok::RParen,
                Tok::Param("x".into()),
                Tok::Eof,
            ]
        );
    }

    #[test]
    fn lexing_errors_have_positions() {
        for (sql, at) in [("SELECT 'x", 7), ("SELECT \"x", 7), ("a 1.", 3), ("a 1e", 3), ("a 0xfg", 5), ("a 12ab", 4)] {
            match lex(sql) {
                Err(SqlError::Parse { at: got, .. }) => assert_eq!(got, at, "{sql}"),
                other => panic!("{sql}: {other:?}"),
            }
        }
        assert!(matches!(lex("a ! b"), Err(SqlError::Parse { at: 2, .. })));
        assert!(matches!(lex("\"\""), Err(SqlError::Parse { .. })));
        assert!(matches!(lex("a # b"), Err(SqlError::Parse { at: 2, .. })));
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_applies_to_one_comparison() {
        let q = parse("select * from t where a = 1 or b = 2 and not c = 3").unwrap();
        let Some(Pred::Or(terms)) = q.filter else { panic!() };
        assert_eq!(terms.len(), 2);
        assert!(matches!(&terms[0], Pred::Cmp(..)));
        let Pred::And(parts) = &terms[1] else { panic!() };
        assert!(matches!(&parts[1], Pred::Not(inner) if matches!(**inner, Pred::Cmp(..))));
    }

    #[test]
    fn long_flat_chains_do_not_nest() {
        let sql = format!("SELECT * FROM t WHERE {}", vec!["a = 1"; 10_000].join(" AND "));
        let q = parse(&sql).unwrap();
        assert!(matches!(q.filter, Some(Pred::And(ref v)) if v.len() == 10_000));
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("SELECT * FROM t WHERE {}a = 1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(parse(&ok).is_ok());
        let deep = format!("SELECT * FROM t WHERE {}a = 1{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert!(matches!(parse(&deep), Err(SqlError::Unsupported(m)) if m.contains("nested")));
        let nots = format!("SELECT * FROM t WHERE {}a", "NOT ".repeat(100_000));
        assert!(matches!(parse(&nots), Err(SqlError::Unsupported(_))));
        let parens = format!("SELECT * FROM t WHERE {}", "(".repeat(1_000_000));
        assert!(matches!(parse(&parens), Err(SqlError::Unsupported(_))));
    }

    #[test]
    fn literals_parse_at_column_types() {
        use AlgebraicType as T;
        let num = |t: &str, float| Lit::Number { text: t.into(), float };
        assert_eq!(literal_value(&num("-128", false), &T::I8).ok(), Some(AlgebraicValue::I8(-128)));
        assert!(
            matches!(literal_value(&num("128", false), &T::I8), Err(LitError::Mismatch(m)) if m.contains("out of range"))
        );
        assert!(matches!(literal_value(&num("1.5", true), &T::U32), Err(LitError::Mismatch(_))));
        assert_eq!(literal_value(&num("3", false), &T::F64).ok(), Some(AlgebraicValue::from(3.0f64)));
        let nan = literal_value(&num("NaN", true), &T::F64).ok().unwrap();
        assert_eq!(nan, AlgebraicValue::from(f64::NAN));
        assert_eq!(literal_value(&num("-inf", true), &T::F32).ok(), Some(AlgebraicValue::from(f32::NEG_INFINITY)));
        assert_eq!(
            literal_value(&Lit::Hex("00ff".into()), &T::array(T::U8)).ok(),
            Some(AlgebraicValue::Array(vec![AlgebraicValue::U8(0), AlgebraicValue::U8(255)].into()))
        );
        assert!(literal_value(&Lit::Hex("0".into()), &T::array(T::U8)).is_err());
        assert!(matches!(literal_value(&Lit::Str("x".into()), &T::time_duration()), Err(LitError::Unsupported(_))));
        assert_eq!(hex_bytes(""), Some(vec![]));
        let uuid = Lit::Str("00000000-0000-0000-0000-0000000000ff".into());
        assert_eq!(literal_value(&uuid, &T::uuid()).ok(), Some(AlgebraicValue::product([AlgebraicValue::U128(255)])));
        assert!(literal_value(&Lit::Str("not-a-uuid".into()), &T::uuid()).is_err());
    }

    #[test]
    fn unsupported_forms_are_named() {
        let cases = [
            ("SELECT name FROM t", "selecting columns"),
            ("SELECT COUNT(*) FROM t", "COUNT"),
            ("SELECT DISTINCT * FROM t", "DISTINCT"),
            ("SELECT * FROM t LIMIT 5", "LIMIT"),
            ("SELECT * FROM t ORDER BY a", "ORDER BY"),
            ("SELECT * FROM t WHERE a IN (1, 2)", "IN"),
            ("SELECT * FROM t WHERE a IS NULL", "IS"),
            ("SELECT * FROM t WHERE a = :sender", ":sender"),
            ("SELECT * FROM t WHERE a = NULL", "NULL"),
            ("SELECT * FROM t LEFT JOIN u ON t.a = u.b", "LEFT joins"),
            ("SELECT t.* FROM t JOIN u ON t.a = u.b JOIN v ON t.a = v.c", "more than two"),
            ("SELECT * FROM t, u", "FROM a, b"),
            ("DELETE FROM t", "DELETE statements"),
            ("SELECT a, b FROM t", "selecting columns"),
            ("SELECT t.*, u.* FROM t", "more than one"),
        ];
        for (sql, needle) in cases {
            match parse(sql) {
                Err(SqlError::Unsupported(m)) => assert!(m.contains(needle), "{sql}: {m}"),
                other => panic!("{sql}: {other:?}"),
            }
        }
    }
}
