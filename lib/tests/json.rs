//! Readable JSON rendering of typed values.

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicTypeRef, AlgebraicValue, Typespace, ValueWithType};
use worldtube_lib::{Identity, ScheduleAt, TimeDuration, Timestamp};

#[test]
fn renders_special_types_options_and_enums_readably() {
    // Row type lives in the typespace, as in a module: &0 = Player, &1 = Status.
    let status = AlgebraicType::sum([(Some("Idle"), AlgebraicType::unit()), (Some("Away"), AlgebraicType::String)]);
    let player = AlgebraicType::product([
        (Some("id"), AlgebraicType::identity()),
        (Some("joined"), AlgebraicType::timestamp()),
        (Some("next"), AlgebraicType::schedule_at()),
        (Some("status"), AlgebraicType::Ref(AlgebraicTypeRef(1))),
        (Some("previous"), AlgebraicType::array(AlgebraicType::Ref(AlgebraicTypeRef(1)))),
        (Some("nick"), AlgebraicType::option(AlgebraicType::String)),
        (None, AlgebraicType::U256),
    ]);
    let ts = Typespace::new(vec![player, status]);
    let value = AlgebraicValue::product([
        Identity::from_u256(0xabcdu32.into()).into(),
        Timestamp::from_micros_since_unix_epoch(1_500_000).into(),
        ScheduleAt::Interval(TimeDuration::from_micros(50_000)).into(),
        AlgebraicValue::sum(1, "lunch".into()),
        AlgebraicValue::Array(vec![AlgebraicValue::sum(0, AlgebraicValue::unit())].into()),
        AlgebraicValue::option_none(),
        worldtube_lib::u256::MAX.into(),
    ]);
    let json = serde_json::to_value(ValueWithType::new(&value, &AlgebraicType::Ref(AlgebraicTypeRef(0)), &ts)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "id": format!("{:0>64}", "abcd"),
            "joined": "1970-01-01T00:00:01.500+00:00",
            "next": {"Interval": "+0.050000"},
            "status": {"Away": "lunch"},
            "previous": ["Idle"],
            "nick": null,
            "6": "115792089237316195423570985008687907853269984665640564039457584007913129639935",
        })
    );
}

#[test]
fn mismatched_value_and_type_is_an_error_not_a_panic() {
    let ts = Typespace::default();
    let err =
        serde_json::to_string(&ValueWithType::new(&AlgebraicValue::U8(1), &AlgebraicType::String, &ts)).unwrap_err();
    assert!(err.to_string().contains("does not have type String"), "{err}");
    assert!(serde_json::to_string(&ValueWithType::new(&AlgebraicValue::U8(1), &AlgebraicType::unit(), &ts)).is_err());
    let bad = AlgebraicValue::sum(9, AlgebraicValue::unit());
    let err =
        serde_json::to_string(&ValueWithType::new(&bad, &AlgebraicType::option(AlgebraicType::U8), &ts)).unwrap_err();
    assert!(err.to_string().contains("tag 9"), "{err}");
    let dangling = AlgebraicType::Ref(AlgebraicTypeRef(3));
    assert!(serde_json::to_string(&ValueWithType::new(&bad, &dangling, &ts)).is_err());
}
