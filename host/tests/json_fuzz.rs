//! Fuzzing the JSON call-argument parser (`worldtube_host::json`), which reads what clients send:
//! arbitrary text and arbitrary JSON documents, against a parameter list of every kind of type,
//! never panic, and what is accepted is BSATN of exactly the parameters' types. Runs in CI for a
//! bounded number of inputs (counted in BENCHMARKS.md, "Fuzzing").

use proptest::prelude::*;
use serde_json::Value as Json;
use worldtube_host::json::{args_from_json, args_from_json_v10};
use worldtube_lib::algebraic::{AlgebraicType as T, AlgebraicValue, ProductType, Typespace};

/// Parameters covering the kinds of types JSON arguments are read for: integers up to 256 bits,
/// floats, text, bytes, options, arrays, an enum, a product (through a typespace reference) and
/// the special types.
fn params() -> (ProductType, Typespace) {
    let point = T::product([(Some("x"), T::I32), (Some("y"), T::I32)]);
    let typespace = Typespace::new(vec![point]);
    let params = ProductType::new([
        (Some("a"), T::U8),
        (Some("b"), T::I128),
        (Some("c"), T::U256),
        (Some("d"), T::F64),
        (Some("e"), T::String),
        (Some("f"), T::array(T::U8)),
        (Some("g"), T::option(T::Bool)),
        (Some("h"), T::array(T::String)),
        (Some("i"), T::sum([(Some("plain"), T::unit()), (Some("loud"), T::U32)])),
        (Some("j"), T::Ref(worldtube_lib::algebraic::AlgebraicTypeRef(0))),
        (Some("k"), T::identity()),
        (Some("l"), T::timestamp()),
        (Some("m"), T::uuid()),
        (Some("n"), T::schedule_at()),
    ]);
    (params, typespace)
}

/// Accepted arguments must be BSATN of exactly the parameters.
fn check(text: &str) -> Result<(), TestCaseError> {
    let (params, typespace) = params();
    let product = T::Product(params.clone());
    let results = [args_from_json("f", &params, &typespace, text), args_from_json_v10("f", &params, &typespace, text)];
    for bytes in results.into_iter().flatten() {
        prop_assert!(
            AlgebraicValue::decode_exact(&product, &typespace, &bytes).is_ok(),
            "accepted {text:?}, but its BSATN does not decode at the parameters' type"
        );
    }
    Ok(())
}

/// JSON documents of any shape, with numbers at and past the edges of the integer types.
fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(Json::from),
        "\\PC{0,12}".prop_map(Json::String),
        "0x[0-9a-fA-F]{0,70}".prop_map(Json::String),
        prop_oneof![
            Just("340282366920938463463374607431768211456"),
            Just("-170141183460469231731687303715884105729"),
            Just("115792089237316195423570985008687907853269984665640564039457584007913129639936"),
            Just("1e400"),
            Just("-0"),
        ]
        .prop_map(|n| serde_json::from_str::<Json>(n).unwrap_or(Json::Null)),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..16).prop_map(Json::Array),
            prop::collection::btree_map("[a-z_]{0,8}", inner, 0..8).prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Any text: JSON-ish soups and arbitrary characters.
    #[test]
    fn arbitrary_text_is_read_or_refused_without_panicking(
        text in "\\PC{0,200}|[\\[\\]{}\":, 0-9a-zA-Z.+-]{0,300}"
    ) {
        check(&text)?;
    }

    /// Any JSON document as the whole arguments.
    #[test]
    fn arbitrary_json_is_read_or_refused_without_panicking(value in json_value()) {
        check(&value.to_string())?;
    }

    /// A positional array of arbitrary JSON values, one per parameter: each argument is read
    /// against its own type, so every type's reader meets every kind of value (see
    /// the proptest config above for the count).
    #[test]
    fn arbitrary_arguments_in_place_are_read_or_refused_without_panicking(
        values in prop::collection::vec(json_value(), 14)
    ) {
        check(&Json::Array(values).to_string())?;
    }
}
