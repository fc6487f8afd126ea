//! JSON reducer arguments are read, and refused, as the SpacetimeDB 1.3 server reads them.
//!
//! Three kinds of proof:
//! - `reported_cases` and `server_texts`: tables of calls with the server's answer. Where each
//!   expected text comes from is noted per row: `run` = a call made on a real 1.3 server (the
//!   sdk-test comparison that found the 128/256-bit differences), `src` = read off the server's
//!   source at tag v1.3.0 (checked unchanged at v2.8.3): the error texts of `crates/sats/src/de.rs`
//!   and `de/serde.rs`, the chain formatting of `crates/core/src/host/mod.rs`
//!   (`InvalidReducerArguments`, `from_json_seed`) and `crates/client-api/src/routes/database.rs`
//!   (`{:#}`), with serde_json's and ethnum's own texts.
//! - `same_as_the_official_sats_crate`: every type against many inputs, compared with what the
//!   official `spacetimedb-sats` 1.3.2 serde bridge makes of the same text (accepted values as
//!   BSATN, refusals as text), read the way the server reads it.
//! - `hostile_json`: deep nesting, huge numbers and strings end in an error or a value, never a
//!   panic or a hang.

use spacetimedb_sats as s;
use worldtube_host::json::{args_from_json, value_from_json};
use worldtube_lib::algebraic::{AlgebraicType as T, AlgebraicTypeRef, ProductType, Typespace};
use worldtube_lib::bsatn;

fn params(elements: &[(&str, T)]) -> ProductType {
    ProductType::new(elements.iter().map(|(n, t)| (Some(*n), t.clone())))
}

/// The server's whole answer to a call of `reducer` with JSON `text`: `Ok(BSATN)` or its text.
fn call(reducer: &str, params: &ProductType, text: &str) -> Result<Vec<u8>, String> {
    args_from_json(reducer, params, &Typespace::default(), text)
        .map_err(|e| format!("invalid arguments for reducer {reducer}: {e}"))
}

#[test]
fn reported_cases() {
    // run: `add(name: String, age: u8)` called with `["Cy", 300]`.
    let add = params(&[("name", T::String), ("age", T::U8)]);
    assert_eq!(
        call("add", &add, r#"["Cy", 300]"#).unwrap_err(),
        "invalid arguments for reducer add: [1]: [1]: invalid value: integer `300`, expected u8 at line 1 column 10"
    );

    // run: a u128 / i128 is an exact JSON number, however long.
    let u128_max = "340282366920938463463374607431768211455";
    let one = params(&[("n", T::U128)]);
    assert_eq!(call("one_u128", &one, &format!("[{u128_max}]")).unwrap(), u128::MAX.to_le_bytes());
    let one = params(&[("n", T::I128)]);
    let i128_min = "-170141183460469231731687303715884105728";
    assert_eq!(call("one_i128", &one, &format!("[{i128_min}]")).unwrap(), i128::MIN.to_le_bytes());

    // run: a u256 / i256 is only a "0x…" string; a number, or a decimal string, is refused.
    let one = params(&[("n", T::U256)]);
    assert_eq!(
        call("one_u256", &one, "[12345]").unwrap_err(),
        "invalid arguments for reducer one_u256: [0]: [0]: invalid type: integer `12345`, expected a formatted 256-bit \
         integer at line 1 column 6"
    );
    assert_eq!(
        call("one_u256", &one, r#"["12345"]"#).unwrap_err(),
        "invalid arguments for reducer one_u256: [0]: [0]: invalid digit found in string at line 1 column 8"
    );
    let mut max = [0xff; 32].to_vec();
    assert_eq!(call("one_u256", &one, &format!(r#"["0x{}"]"#, "f".repeat(64))).unwrap(), max);
    let one = params(&[("n", T::I256)]);
    max[31] = 0x7f;
    assert_eq!(call("one_i256", &one, &format!(r#"["0x7{}"]"#, "f".repeat(63))).unwrap(), max);
    let mut minus_two = [0xff; 32].to_vec();
    minus_two[0] = 0xfe;
    assert_eq!(call("one_i256", &one, r#"["-0x2"]"#).unwrap(), minus_two);
}

/// A reducer, its parameters, the JSON text it is called with, and the server's answer.
type Case<'a> = (&'a str, &'a ProductType, &'a str, Result<Vec<u8>, String>);

#[test]
fn server_texts() {
    let add = params(&[("name", T::String), ("age", T::U8)]);
    let opt = params(&[("o", T::option(T::U32))]);
    let color = T::sum([(Some("Red"), T::unit()), (Some("Rgb"), T::product([(None::<&str>, T::U8)]))]);
    let paint = params(&[("c", color)]);
    let bytes = params(&[("b", T::array(T::U8))]);
    let ident = params(&[("who", T::identity())]);
    let flags = params(&[("f", T::array(T::Bool))]);
    let float = params(&[("x", T::F64)]);
    let none = params(&[]);
    let zeros = "0".repeat(64);
    let identity_one = format!(r#"[{{"__identity__": "0x{}1"}}]"#, "0".repeat(63));
    let bare_identity = format!(r#"["{zeros}"]"#);
    let ok = |b: Vec<u8>| Ok::<_, String>(b);
    let err = |reducer: &str, rest: &str| Err::<Vec<u8>, _>(format!("invalid arguments for reducer {reducer}: {rest}"));

    #[rustfmt::skip]
    let cases: Vec<Case<'_>> = vec![
        // src: by parameter name; object order does not matter.
        ("add", &add, r#"{"age": 7, "name": "Cy"}"#, ok(vec![2, 0, 0, 0, b'C', b'y', 7])),
        // src: serde_json's texts; `.` is the path of the top level.
        ("add", &add, r#"["Cy"]"#, err("add", ".: .: invalid length 1, expected reducer args for add with 2 elements at line 1 column 6")),
        ("add", &add, r#"["Cy", 1, 2]"#, err("add", ".: .: trailing characters at line 1 column 11")),
        ("add", &add, r#"{"name": "Cy"}"#, err("add", ".: .: missing reducer argument `age` at line 1 column 14")),
        ("add", &add, r#"{"name": "Cy", "name": "Al"}"#, err("add", ".: .: duplicate reducer argument `name` at line 1 column 21")),
        // src: the server's list of names renders two names as ", `a``b`".
        ("add", &add, r#"{"nick": "Cy"}"#, err("add", "nick: nick: unknown reducer argument `nick`, expected , `name``age` at line 1 column 7")),
        ("add", &add, r#""Cy""#, err("add", ".: .: invalid type: string \"Cy\", expected a add tuple at line 1 column 4")),
        ("add", &add, r#"[1, 2]"#, err("add", "[0]: [0]: invalid type: integer `1`, expected a string at line 1 column 2")),
        ("add", &add, r#"["Cy", -1]"#, err("add", "[1]: [1]: invalid value: integer `-1`, expected u8 at line 1 column 9")),
        ("add", &add, r#"["Cy", 1.0]"#, err("add", "[1]: [1]: invalid type: floating point `1.0`, expected u8 at line 1 column 10")),
        ("add", &add, r#"{"name": "Cy", "age": true}"#, err("add", "age: age: invalid type: boolean `true`, expected u8 at line 1 column 26")),
        // src: text after the arguments, and text that is not JSON.
        ("add", &add, r#"["Cy", 1] x"#, err("add", "trailing characters at line 1 column 11: trailing characters at line 1 column 11")),
        ("add", &add, "[Cy, 1]", err("add", "[0]: [0]: expected value at line 1 column 2")),
        ("add", &add, "", err("add", ".: .: EOF while parsing a value at line 1 column 0")),
        // src: none needs no arguments: `[]` or `{}`.
        ("none", &none, "[]", ok(vec![])),
        ("none", &none, "{}", ok(vec![])),
        ("none", &none, "[1]", err("none", ".: .: trailing characters at line 1 column 2")),
        // src: options: `null`, `{"some": v}`, `{"none": []}`; a bare value is refused.
        ("opt", &opt, "[null]", ok(vec![1])),
        ("opt", &opt, r#"[{"some": 5}]"#, ok(vec![0, 5, 0, 0, 0])),
        ("opt", &opt, r#"[{"none": []}]"#, ok(vec![1])),
        ("opt", &opt, "[5]", err("opt", "[0]: [0]: invalid type: integer `5`, expected sum type at line 1 column 2")),
        ("opt", &opt, r#"[{"none": null}]"#, err("opt", "[0].none: [0].none: invalid type: null, expected a 0-element tuple at line 1 column 14")),
        // src: sums: `{"Name": payload}`, a tag as key, `[tag, payload]`; a plain "Name" is refused.
        ("paint", &paint, r#"[{"Red": []}]"#, ok(vec![0])),
        ("paint", &paint, r#"[{"1": [7]}]"#, ok(vec![1, 7])),
        ("paint", &paint, "[[1, [7]]]", ok(vec![1, 7])),
        ("paint", &paint, r#"["Red"]"#, err("paint", "[0]: [0]: invalid type: string \"Red\", expected sum type at line 1 column 6")),
        ("paint", &paint, r#"[{"Blue": []}]"#, err("paint", "[0].Blue: [0].Blue: unknown variant `Blue`, expected , `Red``Rgb` at line 1 column 8")),
        ("paint", &paint, r#"[{"7": []}]"#, err("paint", "[0].7: [0].7: unknown tag 0x7 for sum type <unknown> at line 1 column 5")),
        ("paint", &paint, r#"[{}]"#, err("paint", "[0]: [0]: expected map representing sum type to have exactly one field at line 1 column 3")),
        ("paint", &paint, "[[1]]", err("paint", "[0]: [0]: expected seq representing sum type to have exactly two fields at line 1 column 4")),
        ("paint", &paint, "[[300, []]]", err("paint", "[0][0]: [0][0]: invalid value: integer `300`, expected a u8 tag at line 1 column 5")),
        ("paint", &paint, r#"[{"Rgb": ["x"]}]"#, err("paint", "[0].Rgb[0]: [0].Rgb[0]: invalid type: string \"x\", expected u8 at line 1 column 13")),
        // src: byte arrays: hex text without 0x, or numbers.
        ("bytes", &bytes, r#"["00fF"]"#, ok(vec![2, 0, 0, 0, 0, 0xff])),
        ("bytes", &bytes, "[[1, 2]]", ok(vec![2, 0, 0, 0, 1, 2])),
        ("bytes", &bytes, r#"["0x00"]"#, err("bytes", "[0]: [0]: invalid value: string \"0x00\", expected a byte array or hex string at line 1 column 7")),
        // src: Identity is an ordinary product `(__identity__: u256)`.
        ("ident", &ident, &identity_one, ok([vec![1], vec![0; 31]].concat())),
        ("ident", &ident, &bare_identity, err("ident", &format!("[0]: [0]: invalid type: string \"{zeros}\", expected a 1-element tuple at line 1 column 67"))),
        // src: other arrays.
        ("flags", &flags, "[[true, false]]", ok(vec![2, 0, 0, 0, 1, 0])),
        ("flags", &flags, "[[true, 1]]", err("flags", "[0][1]: [0][1]: invalid type: integer `1`, expected a boolean at line 1 column 9")),
        ("flags", &flags, "[true]", err("flags", "[0]: [0]: invalid type: boolean `true`, expected a vec at line 1 column 5")),
        // src: floats; with arbitrary precision, a number where text is expected is "number".
        ("float", &float, "[1e3]", ok(1000f64.to_le_bytes().to_vec())),
        ("float", &float, "[5]", ok(5f64.to_le_bytes().to_vec())),
        ("float", &float, r#"["NaN"]"#, err("float", "[0]: [0]: invalid type: string \"NaN\", expected f64 at line 1 column 6")),
        ("add", &add, "[1.5, 1]", err("add", "[0]: [0]: invalid type: number, expected a string at line 1 column 4")),
    ];
    let count = cases.len();
    let wrong: Vec<String> = cases
        .into_iter()
        .filter_map(|(reducer, params, text, expected)| {
            let actual = call(reducer, params, text);
            (actual != expected).then(|| format!("{reducer} {text}\n  expected {expected:?}\n  got      {actual:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(count, 44);
}

/// What the official SATS crate's serde bridge makes of `text` as a value of `ty`, read as the
/// server reads JSON (serde_json with arbitrary precision, serde_path_to_error): BSATN or
/// `PATH: ERROR`, or `ERROR` for text after the value.
fn theirs(ty: &s::AlgebraicType, ts: &s::Typespace, text: &str) -> Result<Vec<u8>, String> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let seed = s::de::serde::SeedWrapper(ts.with_type(ty));
    let value = seed
        .deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
        .map_err(|e| format!("{}: {e}", track.path()))?;
    de.end().map_err(|e| e.to_string())?;
    Ok(s::bsatn::to_vec(&value).unwrap())
}

fn ours(ty: &T, ts: &Typespace, text: &str) -> Result<Vec<u8>, String> {
    value_from_json(ty, ts, text).map(|v| bsatn::to_vec(&v))
}

fn to_sats(ty: &T) -> s::AlgebraicType {
    s::bsatn::from_slice(&bsatn::to_vec(ty)).expect("the type encodes as SATS does")
}

#[test]
fn same_as_the_official_sats_crate() {
    let color = T::sum([(Some("Red"), T::unit()), (Some("Rgb"), T::product([(None::<&str>, T::U8)]))]);
    let point = T::product([(Some("x"), T::I32), (Some("y"), T::I32), (Some("z"), T::I32)]);
    let types = [
        T::Bool,
        T::I8,
        T::U8,
        T::I16,
        T::U16,
        T::I32,
        T::U32,
        T::I64,
        T::U64,
        T::I128,
        T::U128,
        T::I256,
        T::U256,
        T::F32,
        T::F64,
        T::String,
        T::array(T::U8),
        T::array(T::I32),
        T::array(T::String),
        T::array(T::option(T::U8)),
        T::option(T::String),
        T::option(T::option(T::I64)),
        T::unit(),
        color.clone(),
        T::array(color),
        point,
        T::product([(None::<&str>, T::U8), (None, T::String)]),
        T::sum([(None::<&str>, T::U8), (None, T::unit())]),
        T::sum::<&str>([]),
        T::identity(),
        T::connection_id(),
        T::timestamp(),
        T::time_duration(),
        T::schedule_at(),
        T::array(T::U256),
        T::array(T::I128),
    ];
    let texts = [
        "true",
        "false",
        "null",
        "0",
        "1",
        "-1",
        "127",
        "128",
        "-129",
        "255",
        "256",
        "65535",
        "65536",
        "-32769",
        "4294967295",
        "4294967296",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "340282366920938463463374607431768211455",
        "340282366920938463463374607431768211456",
        "-170141183460469231731687303715884105728",
        "-170141183460469231731687303715884105729",
        "1e400",
        "-0",
        "0.5",
        "1.0",
        "1e3",
        "-1.5e-7",
        "3.4028235e38",
        "3.5e38",
        "01",
        "1.",
        "-",
        "+1",
        r#""""#,
        r#""x""#,
        r#""0x""#,
        r#""0x1""#,
        r#""0x00ff""#,
        r#""00ff""#,
        r#""0xg""#,
        r#""12345""#,
        r#""-0x1""#,
        r#""+0x1""#,
        r#""0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF""#,
        r#""0x10000000000000000000000000000000000000000000000000000000000000000""#,
        r#""0x8000000000000000000000000000000000000000000000000000000000000000""#,
        r#""0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF""#,
        r#""-0x8000000000000000000000000000000000000000000000000000000000000000""#,
        r#""abc""#,
        r#""\u00e9""#,
        r#""NaN""#,
        r#""Infinity""#,
        "[]",
        "[1]",
        "[1, 2]",
        "[1, 2, 3]",
        "[1, 2, 3, 4]",
        "[1, 2,]",
        "[-1]",
        "[300]",
        "[\"x\"]",
        "[\"x\", \"y\"]",
        "[null]",
        "[[]]",
        "[true]",
        "[1.5]",
        "[0, []]",
        "[1, []]",
        "[0, 5]",
        "[1, [7]]",
        "[2, []]",
        "[\"0\", []]",
        "[\"Red\", []]",
        "[1.5, []]",
        "[-1, []]",
        "[\"0x1\"]",
        "[[1]]",
        "[1, \"x\"]",
        "[\"0x\", \"x\"]",
        "{}",
        r#"{"some": 1}"#,
        r#"{"some": "x"}"#,
        r#"{"none": []}"#,
        r#"{"none": {}}"#,
        r#"{"none": null}"#,
        r#"{"some": null}"#,
        r#"{"some": {"some": 1}}"#,
        r#"{"some": 1, "none": []}"#,
        r#"{"Red": []}"#,
        r#"{"Rgb": [1]}"#,
        r#"{"Rgb": {"0": 1}}"#,
        r#"{"1": [2]}"#,
        r#"{"2": []}"#,
        r#"{"Blue": []}"#,
        r#"{"red": []}"#,
        r#"{"x": 1, "y": 2, "z": 3}"#,
        r#"{"z": 1, "y": 2, "x": 3}"#,
        r#"{"x": 1, "y": 2}"#,
        r#"{"x": 1, "x": 2, "z": 3}"#,
        r#"{"x": 1, "y": 2, "z": 3, "w": 4}"#,
        r#"{"w": 1}"#,
        r#"{"0": 1, "1": "a"}"#,
        r#"{"__identity__": "0x01"}"#,
        r#"{"__identity__": 1}"#,
        r#"{"__connection_id__": "0x1"}"#,
        r#"{"__timestamp_micros_since_unix_epoch__": 5}"#,
        r#"{"__time_duration_micros__": -5}"#,
        r#"{"Interval": {"__time_duration_micros__": 5}}"#,
        r#"{"Time": [7]}"#,
        r#"{"Interval": 5}"#,
        r#"{"0": []}"#,
        r#"{"255": []}"#,
        r#"{"256": []}"#,
        r#"{"+1": [3]}"#,
        r#"{"": []}"#,
        "[\"0x1\", \"-0x1\"]",
        "[\"1\"]",
        "1 2",
        "[1] x",
        "",
        " ",
        "[",
        "{",
        "{\"x\"",
        "\"unterminated",
        "nul",
        "[1, [2, [3]]]",
        "[[0, []], [1, [2]]]",
        "[{\"Red\": []}, {\"Rgb\": [3]}]",
        "[[300]]",
        "[\"ab\", 1]",
    ];
    let ts = Typespace::default();
    let their_ts = s::Typespace::new(vec![]);
    let mut compared = 0;
    let mut accepted = 0;
    for ty in &types {
        let their_ty = to_sats(ty);
        for text in texts {
            let (ours, theirs) = (ours(ty, &ts, text), theirs(&their_ty, &their_ts, text));
            assert_eq!(ours, theirs, "type {ty:?}, JSON {text:?}");
            compared += 1;
            accepted += usize::from(ours.is_ok());
        }
    }
    // The inputs exercise both sides.
    assert_eq!(compared, types.len() * texts.len());
    assert!(accepted > 150, "only {accepted} accepted");
    assert!(compared - accepted > 2000);
}

#[test]
fn recursive_types_and_refs_are_read_as_theirs() {
    // A tree: `Node(Vec<Tree>)` or `Leaf(u8)`, through a typespace ref.
    let tree = T::sum([(Some("Leaf"), T::U8), (Some("Node"), T::array(T::Ref(AlgebraicTypeRef(0))))]);
    let their_ts = s::Typespace::new(vec![to_sats(&tree)]);
    let ts = Typespace::new(vec![tree]);
    let ty = T::Ref(AlgebraicTypeRef(0));
    let their_ty = to_sats(&ty);
    for text in [
        r#"{"Leaf": 1}"#,
        r#"{"Node": [{"Leaf": 1}, {"Node": []}]}"#,
        r#"{"Node": [{"Leaf": 1}, {"Node": [{"Leaf": "x"}]}]}"#,
        r#"{"Node": [[0, 5], [1, [[2, []]]]]}"#,
    ] {
        assert_eq!(ours(&ty, &ts, text), theirs(&their_ty, &their_ts, text), "{text}");
    }
    // Nesting beyond serde_json's recursion limit (128) is refused, not followed.
    let deep = "{\"Node\": [".repeat(200) + &"]}".repeat(200);
    let err = ours(&ty, &ts, &deep).unwrap_err();
    assert!(err.contains("recursion limit exceeded"), "{err}");
    assert_eq!(Err(err), theirs(&their_ty, &their_ts, &deep));
}

#[test]
fn hostile_json() {
    use std::time::{Duration, Instant};
    let start = Instant::now();
    let tree = T::sum([(Some("Leaf"), T::U8), (Some("Node"), T::array(T::Ref(AlgebraicTypeRef(0))))]);
    let ts = Typespace::new(vec![tree]);
    let node = T::Ref(AlgebraicTypeRef(0));
    let args = |ty: &T| params(&[("a", ty.clone())]);
    // Deep nesting, against a recursive type and against a flat one.
    let deep = "[".repeat(1_000_000);
    for ty in [&node, &T::U8, &T::array(T::array(T::U8))] {
        let err = args_from_json("r", &args(ty), &ts, &deep).unwrap_err();
        assert!(err.contains("recursion limit exceeded") || err.contains("expected"), "{err}");
    }
    let deep_tree = r#"{"Node": ["#.repeat(100_000);
    assert!(args_from_json("r", &args(&node), &ts, &format!("[{deep_tree}")).unwrap_err().contains("recursion limit"));
    // Huge numbers: out of range, or (u128) refused once past the range.
    let huge = "9".repeat(1_000_000);
    for ty in [T::U8, T::I64, T::U128, T::I128, T::U256, T::F64, T::String] {
        let err = args_from_json("r", &args(&ty), &ts, &format!("[{huge}]")).unwrap_err();
        assert!(err.starts_with("[0]: [0]: "), "{ty:?}: {err}");
    }
    let err = args_from_json("r", &args(&T::U256), &ts, &format!(r#"["0x{huge}"]"#)).unwrap_err();
    assert!(err.contains("number too large to fit in target type"), "{err}");
    // A huge exponent is an error (out of range), not a hang.
    let err = args_from_json("r", &args(&T::F64), &ts, "[1e999999999999]").unwrap_err();
    assert!(err.contains("number out of range"), "{err}");
    // A huge string is read whole.
    let long = "x".repeat(10_000_000);
    let bytes = args_from_json("r", &args(&T::String), &ts, &format!(r#"["{long}"]"#)).unwrap();
    assert_eq!(bytes.len(), 4 + long.len());
    // Many arguments where few are expected: refused at the first extra one.
    let many = format!("[{}1]", "1, ".repeat(1_000_000));
    assert!(args_from_json("r", &args(&T::U8), &ts, &many).unwrap_err().contains("trailing characters"));
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());
}
