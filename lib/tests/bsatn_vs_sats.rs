//! Golden and differential tests of BSATN against the official `spacetimedb-sats =1.3.2`: for
//! every supported type and its edge values our bytes equal theirs, we decode their bytes, and
//! dynamically typed values order exactly as theirs.

mod oracle;

use proptest::prelude::*;
use spacetimedb_sats as s;
use std::ops::Bound;
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, Typespace};
use worldtube_lib::bsatn::{self, Decode, Encode};

/// Our bytes equal theirs for the same Rust value, and we decode their bytes back to it.
fn same<T>(value: T)
where
    T: Encode + for<'de> Decode<'de> + s::Serialize + PartialEq + std::fmt::Debug,
{
    let ours = bsatn::to_vec(&value);
    let theirs = s::bsatn::to_vec(&value).unwrap();
    assert_eq!(ours, theirs, "encoding of {value:?}");
    assert_eq!(bsatn::from_slice::<T>(&theirs).unwrap(), value, "decoding of {value:?}");
}

/// Floats compare by bits, so NaN payloads count.
fn same_float_bits<T>(value: T, bits: impl Fn(&T) -> Vec<u64>)
where
    T: Encode + for<'de> Decode<'de> + s::Serialize + std::fmt::Debug,
{
    let ours = bsatn::to_vec(&value);
    assert_eq!(ours, s::bsatn::to_vec(&value).unwrap(), "encoding of {value:?}");
    assert_eq!(bits(&bsatn::from_slice::<T>(&ours).unwrap()), bits(&value));
}

#[test]
fn primitives_and_edges() {
    same(true);
    same(false);
    for v in [0u8, 1, 127, u8::MAX] {
        same(v);
    }
    for v in [i8::MIN, -1, 0, i8::MAX] {
        same(v);
    }
    same(u16::MAX);
    same(i16::MIN);
    same(u32::MAX);
    same(i32::MIN);
    same(u64::MAX);
    same(i64::MIN);
    same(u128::MAX);
    same(i128::MIN);
    same(0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10u128);
    let nan_payload = f32::from_bits(0x7fc0_1234);
    for f in [
        0.0f32,
        -0.0,
        1.5,
        f32::MIN,
        f32::MAX,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        nan_payload,
        f32::MIN_POSITIVE / 2.0,
    ] {
        same_float_bits(f, |f| vec![u64::from(f.to_bits())]);
    }
    let nan_payload = f64::from_bits(0xfff8_0000_dead_beef);
    for f in [0.0f64, -0.0, 1e300, f64::MIN, f64::NAN, nan_payload, f64::NEG_INFINITY] {
        same_float_bits(f, |f| vec![f.to_bits()]);
    }
    same_float_bits(vec![f32::NAN, -0.0, 3.25], |v| v.iter().map(|f| u64::from(f.to_bits())).collect());
}

#[test]
fn big_integers() {
    use worldtube_lib::{i256, u256};
    for (hi, lo) in [(0u128, 0u128), (0, 1), (1, 0), (u128::MAX, u128::MAX), (0x0123, 0x4567)] {
        let ours = u256::from_words(hi, lo);
        let theirs = oracle::their_u256(ours);
        assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
        assert_eq!(ours.to_string(), theirs.to_string());
        let ours = i256::from_words(hi as i128, lo);
        let theirs = oracle::their_i256(ours);
        assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
        assert_eq!(ours.to_string(), theirs.to_string());
        assert_eq!(bsatn::from_slice::<i256>(&s::bsatn::to_vec(&theirs).unwrap()).unwrap(), ours);
    }
    for x in [i256::MIN, i256::MAX, i256::from(-1i8), i256::ZERO] {
        assert_eq!(x.to_string(), oracle::their_i256(x).to_string());
    }
}

#[test]
fn strings_bytes_arrays() {
    same(String::new());
    same("hello".to_string());
    same("ünï©ødé ✓ 𝄞 \u{0} \u{10ffff}".to_string());
    same(Vec::<u8>::new());
    same(vec![0u8, 255, 7]);
    same(vec![1u16, 2, 65535]);
    same(vec![i64::MIN, 0, i64::MAX]);
    same(vec![true, false]);
    same(vec![String::new(), "a".into(), "bc".into()]);
    same(vec![vec![1u32], vec![], vec![2, 3]]);
    same((0..1000u32).collect::<Vec<_>>());
    same([1u8, 2, 3]);
    same([7u64; 4]);
    same(Box::new(42u32));
    // Borrowed and slice forms encode the same.
    assert_eq!(bsatn::to_vec("abc"), s::bsatn::to_vec("abc").unwrap());
    assert_eq!(bsatn::to_vec(&[1u32, 2][..]), s::bsatn::to_vec(&[1u32, 2][..]).unwrap());
    assert_eq!(bsatn::from_slice::<&str>(&bsatn::to_vec("abc")).unwrap(), "abc");
    assert_eq!(bsatn::from_slice::<&[u8]>(&bsatn::to_vec(&vec![1u8, 2])).unwrap(), [1, 2]);
}

#[test]
fn options_results_bounds() {
    same(Some(5u8));
    same(None::<u8>);
    same(Some(Some(1i32)));
    same(Some(None::<i32>));
    same(None::<Option<i32>>);
    same(Some(vec![Some("x".to_string()), None]));
    same(Ok::<u8, String>(3));
    same(Err::<u8, String>("boom".into()));
    same(Bound::Included(4u32));
    same(Bound::Excluded(4u32));
    same(Bound::<u32>::Unbounded);
    same(());
}

#[test]
fn tuples_are_products() {
    let ours = bsatn::to_vec(&(1u8, "x".to_string(), Some(2u64)));
    let theirs = s::bsatn::to_vec(&s::ProductValue::from_iter([
        s::AlgebraicValue::U8(1),
        s::AlgebraicValue::String("x".into()),
        s::AlgebraicValue::OptionSome(s::AlgebraicValue::U64(2)),
    ]))
    .unwrap();
    assert_eq!(ours, theirs);
}

#[test]
fn special_types_match() {
    use spacetimedb_lib as l;
    use worldtube_lib::{ConnectionId, Identity, ScheduleAt, TimeDuration, Timestamp};
    let mut be = [0u8; 32];
    be.iter_mut().enumerate().for_each(|(i, b)| *b = i as u8 * 7 + 1);
    let (ours, theirs) = (Identity::from_be_byte_array(be), l::Identity::from_be_byte_array(be));
    assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
    assert_eq!(ours.to_hex(), theirs.to_hex().to_string());
    assert_eq!(ours.to_string(), theirs.to_string());
    assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
    assert_eq!(ours.to_abbreviated_hex(), theirs.to_abbreviated_hex().to_string());
    assert_eq!(ours.to_byte_array(), theirs.to_byte_array());
    assert_eq!(Identity::from_hex(theirs.to_hex()).unwrap(), ours);
    assert_eq!(format!("0x{}", ours.to_hex()).parse::<Identity>().unwrap(), ours);
    assert!(Identity::from_hex("12").is_err());
    for (issuer, subject) in [("https://auth.example", "user-1"), ("", ""), ("ïss", "sübject|with|bars")] {
        let ours = Identity::from_claims(issuer, subject);
        assert_eq!(ours.to_byte_array(), l::Identity::from_claims(issuer, subject).to_byte_array());
        assert!(ours.to_hex().starts_with("c200"));
    }

    let data: [u8; 32] = std::array::from_fn(|i| (i * 11 + 3) as u8);
    let (ours, theirs) = (worldtube_lib::Hash::from_byte_array(data), s::hash::Hash::from_byte_array(data));
    assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
    assert_eq!(ours.to_hex(), theirs.to_hex().to_string());
    assert_eq!(format!("{ours} {ours:?}"), format!("{theirs} {theirs:?}"));
    assert_eq!(bsatn::from_slice::<worldtube_lib::Hash>(&s::bsatn::to_vec(&theirs).unwrap()).unwrap(), ours);

    let (ours, theirs) = (ConnectionId::from_u128(0xdead_beef_0123), l::ConnectionId::from_u128(0xdead_beef_0123));
    assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
    assert_eq!(ours.to_hex(), theirs.to_hex().to_string());
    assert_eq!(ours.as_le_byte_array(), theirs.as_le_byte_array());
    assert_eq!(format!("{ours:?} {ours}"), format!("{theirs:?} {theirs}"));

    for micros in [0i64, 1, -1, 1_500_000, 1_739_202_330_250_000, -62_135_596_800_000_000, i64::MAX, i64::MIN] {
        let (ours, theirs) =
            (Timestamp::from_micros_since_unix_epoch(micros), l::Timestamp::from_micros_since_unix_epoch(micros));
        assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
        assert_eq!(ours.to_rfc3339().ok(), theirs.to_rfc3339().ok(), "rfc3339 of {micros}");
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        let (ours, theirs) = (TimeDuration::from_micros(micros), l::TimeDuration::from_micros(micros));
        assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
        if micros != i64::MIN {
            assert_eq!(ours.to_string(), theirs.to_string());
        }
        for (ours, theirs) in [
            (ScheduleAt::Interval(ours), l::ScheduleAt::Interval(theirs)),
            (
                ScheduleAt::Time(Timestamp::from_micros_since_unix_epoch(micros)),
                l::ScheduleAt::Time(l::Timestamp::from_micros_since_unix_epoch(micros)),
            ),
        ] {
            assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
            assert_eq!(bsatn::from_slice::<ScheduleAt>(&s::bsatn::to_vec(&theirs).unwrap()).unwrap(), ours);
        }
    }
    // The types themselves.
    for (ours, theirs) in [
        (AlgebraicType::identity(), s::AlgebraicType::identity()),
        (AlgebraicType::connection_id(), s::AlgebraicType::connection_id()),
        (AlgebraicType::timestamp(), s::AlgebraicType::timestamp()),
        (AlgebraicType::time_duration(), s::AlgebraicType::time_duration()),
        (AlgebraicType::schedule_at(), l::ScheduleAt::get_type()),
        (AlgebraicType::option(AlgebraicType::String), s::AlgebraicType::option(s::AlgebraicType::String)),
    ] {
        assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
    }
}

#[test]
fn timestamps_parse_like_theirs() {
    use worldtube_lib::Timestamp;
    for text in [
        "2025-02-10T15:45:30Z",
        "2025-02-10 15:45:30+02:00",
        "2025-02-10t15:45:30.123456789-01:30",
        "1969-12-31T23:59:59.999999Z",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.5z",
        "2016-12-31T23:59:60Z",
        "2025-13-10T15:45:30Z",
        "2025-02-10T15:45Z",
        "not a time",
    ] {
        let ours = Timestamp::parse_from_rfc3339(text).ok().map(|t| t.to_micros_since_unix_epoch());
        let theirs = s::timestamp::Timestamp::parse_from_rfc3339(text).ok().map(|t| t.to_micros_since_unix_epoch());
        assert_eq!(ours, theirs, "parsing {text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Differential property tests over random types and values.

fn arb_type() -> impl Strategy<Value = AlgebraicType> {
    let leaf = prop_oneof![
        Just(AlgebraicType::Bool),
        Just(AlgebraicType::I8),
        Just(AlgebraicType::U8),
        Just(AlgebraicType::I16),
        Just(AlgebraicType::U16),
        Just(AlgebraicType::I32),
        Just(AlgebraicType::U32),
        Just(AlgebraicType::I64),
        Just(AlgebraicType::U64),
        Just(AlgebraicType::I128),
        Just(AlgebraicType::U128),
        Just(AlgebraicType::I256),
        Just(AlgebraicType::U256),
        Just(AlgebraicType::F32),
        Just(AlgebraicType::F64),
        Just(AlgebraicType::String),
        Just(AlgebraicType::identity()),
        Just(AlgebraicType::timestamp()),
        Just(AlgebraicType::schedule_at()),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(AlgebraicType::array),
            inner.clone().prop_map(AlgebraicType::option),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|elems| {
                AlgebraicType::product(elems.into_iter().enumerate().map(|(i, t)| (Some(format!("f{i}")), t)))
            }),
            prop::collection::vec(inner, 1..4).prop_map(|vars| {
                AlgebraicType::sum(vars.into_iter().enumerate().map(|(i, t)| (Some(format!("V{i}")), t)))
            }),
        ]
    })
}

fn arb_value(ty: &AlgebraicType) -> BoxedStrategy<AlgebraicValue> {
    use AlgebraicType as T;
    use AlgebraicValue as V;
    match ty {
        T::Bool => any::<bool>().prop_map(V::Bool).boxed(),
        T::I8 => any::<i8>().prop_map(V::I8).boxed(),
        T::U8 => any::<u8>().prop_map(V::U8).boxed(),
        T::I16 => any::<i16>().prop_map(V::I16).boxed(),
        T::U16 => any::<u16>().prop_map(V::U16).boxed(),
        T::I32 => any::<i32>().prop_map(V::I32).boxed(),
        T::U32 => any::<u32>().prop_map(V::U32).boxed(),
        T::I64 => any::<i64>().prop_map(V::I64).boxed(),
        T::U64 => any::<u64>().prop_map(V::U64).boxed(),
        T::I128 => any::<i128>().prop_map(V::I128).boxed(),
        T::U128 => any::<u128>().prop_map(V::U128).boxed(),
        T::I256 => any::<(i128, u128)>().prop_map(|(h, l)| V::from(worldtube_lib::i256::from_words(h, l))).boxed(),
        T::U256 => any::<(u128, u128)>().prop_map(|(h, l)| V::from(worldtube_lib::u256::from_words(h, l))).boxed(),
        // Any bits: NaN payloads, signed zeros, subnormals.
        T::F32 => prop_oneof![any::<u32>().prop_map(f32::from_bits), Just(0.0), Just(-0.0), Just(f32::NAN)]
            .prop_map(V::from)
            .boxed(),
        T::F64 => prop_oneof![any::<u64>().prop_map(f64::from_bits), Just(0.0), Just(-0.0), Just(f64::NAN)]
            .prop_map(V::from)
            .boxed(),
        T::String => prop_oneof![any::<String>(), "[a-c]{0,3}"].prop_map(V::from).boxed(),
        T::Array(a) => prop::collection::vec(arb_value(&a.elem_ty), 0..4).prop_map(|v| V::Array(v.into())).boxed(),
        T::Product(p) => {
            let parts: Vec<_> = p.elements.iter().map(|e| arb_value(&e.algebraic_type)).collect();
            parts.prop_map(V::product).boxed()
        }
        T::Sum(st) => {
            let arms: Vec<_> = st
                .variants
                .iter()
                .enumerate()
                .map(|(tag, v)| arb_value(&v.algebraic_type).prop_map(move |x| V::sum(tag as u8, x)).boxed())
                .collect();
            prop::strategy::Union::new(arms).boxed()
        }
        T::Ref(_) => unreachable!("generated types have no refs"),
    }
}

fn arb_typed_values(n: usize) -> impl Strategy<Value = (AlgebraicType, Vec<AlgebraicValue>)> {
    arb_type().prop_flat_map(move |ty| {
        let values = prop::collection::vec(arb_value(&ty), n);
        (Just(ty), values)
    })
}

/// Small mutations of valid encodings: the interesting hostile inputs.
fn mutate(bytes: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for &(pos, kind, byte) in edits {
        if out.is_empty() {
            out.push(byte);
            continue;
        }
        let i = pos % out.len();
        match kind % 4 {
            0 => out[i] = byte,
            1 => out.truncate(i),
            2 => out.insert(i, byte),
            _ => out[i] ^= 1 << (byte % 8),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Types themselves encode identically, and decode from their bytes.
    #[test]
    fn types_encode_like_sats(ty in arb_type()) {
        let ours = bsatn::to_vec(&ty);
        let theirs = s::bsatn::to_vec(&oracle::their_type(&ty)).unwrap();
        prop_assert_eq!(&ours, &theirs);
        prop_assert_eq!(bsatn::from_slice::<AlgebraicType>(&theirs).unwrap(), ty);
    }

    /// Values encode identically, round-trip, and compare exactly as the server's values do.
    #[test]
    fn values_encode_and_order_like_sats((ty, values) in arb_typed_values(2)) {
        let ts = Typespace::default();
        for v in &values {
            let ours = bsatn::to_vec(v);
            prop_assert_eq!(&ours, &oracle::their_bytes(v, &ty, &ts));
            let back = AlgebraicValue::decode_exact(&ty, &ts, &ours).unwrap();
            prop_assert_eq!(bsatn::to_vec(&back), ours);
        }
        let (a, b) = (&values[0], &values[1]);
        let (ta, tb) = (oracle::their_value(a, &ty, &ts), oracle::their_value(b, &ty, &ts));
        prop_assert_eq!(a.cmp(b), ta.cmp(&tb), "order of {:?} and {:?}", a, b);
        prop_assert_eq!(a == b, ta == tb);
    }

    /// Mutated encodings: we never panic, and accept exactly what sats accepts, consuming the
    /// same bytes and producing the same value.
    ///
    /// sats itself allocates whatever length an array claims before reading it (a 20-byte input
    /// can make it ask for 60 GB), so it is only consulted where we found every claimed length
    /// present: when we decoded successfully or failed on something other than running out of
    /// input. Running out of input is checked by our own bounds alone.
    #[test]
    fn hostile_values_decode_like_sats(
        (ty, values) in arb_typed_values(1),
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
    ) {
        let ts = Typespace::default();
        let bytes = mutate(&bsatn::to_vec(&values[0]), &edits);
        let mut r = bsatn::Reader::new(&bytes);
        let ours = AlgebraicValue::decode(&ty, &ts, &mut r);
        if let Err(e) = &ours {
            // Our one deliberate difference: arrays of more than MAX_ZERO_SIZED_ELEMENTS
            // zero-sized values, which cost nothing on the wire but memory to hold, are refused.
            if matches!(e.kind(), bsatn::DecodeErrorKind::UnexpectedEnd { .. }) || e.to_string().contains("zero-sized") {
                return Ok(());
            }
        }
        let theirs = oracle::their_decode(&bytes, &ty, &ts);
        match (ours, theirs) {
            (Ok(v), Ok((tv, used))) => {
                prop_assert_eq!(r.offset(), used);
                prop_assert_eq!(oracle::their_value(&v, &ty, &ts), tv);
            }
            (Err(_), Err(_)) => {}
            (ours, theirs) => prop_assert!(false, "ours {:?} vs theirs {:?} on {:?}", ours, theirs.map(|x| x.1), bytes),
        }
    }

    /// Random bytes never panic any decoder.
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), ty in arb_type()) {
        let _ = bsatn::from_slice::<AlgebraicType>(&bytes);
        let _ = bsatn::from_slice::<Typespace>(&bytes);
        let _ = bsatn::from_slice::<(String, Vec<u32>, Option<bool>)>(&bytes);
        let _ = bsatn::from_slice::<Vec<Vec<u8>>>(&bytes);
        let _ = bsatn::from_slice::<worldtube_lib::ScheduleAt>(&bytes);
        let _ = bsatn::from_slice::<[u16; 3]>(&bytes);
        let _ = AlgebraicValue::decode_exact(&ty, &Typespace::default(), &bytes);
    }
}

#[test]
fn recursive_types_through_a_typespace() {
    // A linked list: List = Option<{ head: u32, tail: &0 }>.
    let node = AlgebraicType::product([
        (Some("head"), AlgebraicType::U32),
        (Some("tail"), AlgebraicType::Ref(worldtube_lib::algebraic::AlgebraicTypeRef(0))),
    ]);
    let ts = Typespace::new(vec![AlgebraicType::option(node)]);
    let list = AlgebraicType::Ref(worldtube_lib::algebraic::AlgebraicTypeRef(0));
    let bytes = [0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 1];
    let v = AlgebraicValue::decode_exact(&list, &ts, &bytes).unwrap();
    assert_eq!(bsatn::to_vec(&v), bytes);
    assert_eq!(oracle::their_bytes(&v, &list, &ts), bytes);
    // A hostile list nested beyond the depth limit is an error, not a stack overflow.
    let deep: Vec<u8> = std::iter::repeat_n([0u8, 1, 0, 0, 0], 100_000).flatten().chain([1]).collect();
    let err = AlgebraicValue::decode_exact(&list, &ts, &deep).unwrap_err();
    assert!(err.to_string().contains("nests deeper"), "{err}");
    // So is a deeply nested type.
    let deep_type: Vec<u8> = std::iter::repeat_n(3u8, 100_000).chain([4]).collect();
    assert!(bsatn::from_slice::<AlgebraicType>(&deep_type).is_err());
}

#[test]
fn hostile_lengths_are_errors_without_allocation() {
    let huge = [0xff, 0xff, 0xff, 0xff];
    for err in [
        bsatn::from_slice::<String>(&huge).unwrap_err(),
        bsatn::from_slice::<Vec<u64>>(&huge).unwrap_err(),
        bsatn::from_slice::<Vec<String>>(&huge).unwrap_err(),
        bsatn::from_slice::<Vec<u8>>(&huge).unwrap_err(),
        AlgebraicValue::decode_exact(&AlgebraicType::array(AlgebraicType::String), &Typespace::default(), &huge)
            .unwrap_err(),
    ] {
        assert_eq!(err.offset(), 4, "{err}");
        assert!(err.to_string().contains("remain"), "{err}");
    }
    let unit_array = AlgebraicType::array(AlgebraicType::unit());
    let err = AlgebraicValue::decode_exact(&unit_array, &Typespace::default(), &huge).unwrap_err();
    assert!(err.to_string().contains("zero-sized"), "{err}");
    let err = bsatn::from_slice::<bool>(&[2]).unwrap_err();
    assert_eq!(err.to_string(), "BSATN decode error at byte 0: expected a bool (0x00 or 0x01) but found 0x02");
    let err = bsatn::from_slice::<String>(&[2, 0, 0, 0, b'a', 0xff]).unwrap_err();
    assert_eq!(err.offset(), 5);
    let err = bsatn::from_slice::<Option<u8>>(&[7]).unwrap_err();
    assert!(err.to_string().contains("invalid tag 7 for Option"), "{err}");
    let err = bsatn::from_slice::<u32>(&[1, 2, 3, 4, 5]).unwrap_err();
    assert!(err.to_string().contains("1 trailing bytes"), "{err}");
}

/// A row of numbers only, laid out as on the wire: copied in one go, same bytes as field by field.
#[repr(C)]
#[derive(Debug, PartialEq)]
struct Position {
    entity_id: u64,
    x: f32,
    y: f32,
    tick: u32,
    kind: u16,
    flags: u8,
    team: i8,
}
worldtube_lib::__bsatn_pod_product!(Position {
    entity_id: u64,
    x: f32,
    y: f32,
    tick: u32,
    kind: u16,
    flags: u8,
    team: i8
});

#[derive(Debug, PartialEq, s::Serialize, s::Deserialize)]
#[sats(crate = spacetimedb_sats)]
struct TheirPosition {
    entity_id: u64,
    x: f32,
    y: f32,
    tick: u32,
    kind: u16,
    flags: u8,
    team: i8,
}

proptest! {
    #[test]
    fn pod_rows_match_field_by_field(rows in prop::collection::vec(any::<(u64, u32, u32, u32, u16, u8, i8)>(), 0..20)) {
        let ours: Vec<Position> = rows.iter().map(|&(entity_id, x, y, tick, kind, flags, team)| Position {
            entity_id, x: f32::from_bits(x), y: f32::from_bits(y), tick, kind, flags, team,
        }).collect();
        let theirs: Vec<TheirPosition> = rows.iter().map(|&(entity_id, x, y, tick, kind, flags, team)| TheirPosition {
            entity_id, x: f32::from_bits(x), y: f32::from_bits(y), tick, kind, flags, team,
        }).collect();
        let bytes = bsatn::to_vec(&ours);
        prop_assert_eq!(&bytes, &s::bsatn::to_vec(&theirs).unwrap());
        if let Some(first) = ours.first() {
            prop_assert_eq!(bsatn::to_vec(first), s::bsatn::to_vec(&theirs[0]).unwrap());
        }
        let back: Vec<Position> = bsatn::from_slice(&bytes).unwrap();
        prop_assert_eq!(bsatn::to_vec(&back), bytes.clone());
        // A truncated batch is an error, never a partial read.
        if !bytes.is_empty() {
            prop_assert!(bsatn::from_slice::<Vec<Position>>(&bytes[..bytes.len() - 1]).is_err());
        }
    }
}

#[test]
fn zero_sized_values_have_one_budget_per_input() {
    // 200 inner arrays, each claiming 60,000 units: fine one by one, too many together.
    let ty = AlgebraicType::array(AlgebraicType::array(AlgebraicType::unit()));
    let mut bytes = 200u32.to_le_bytes().to_vec();
    for _ in 0..200 {
        bytes.extend_from_slice(&60_000u32.to_le_bytes());
    }
    let err = AlgebraicValue::decode_exact(&ty, &Typespace::default(), &bytes).unwrap_err();
    assert!(err.to_string().contains("zero-sized"), "{err}");
    // Typed decoding of zero-sized values is bounded too (it would otherwise loop 2^32 times).
    let err = bsatn::from_slice::<Vec<()>>(&u32::MAX.to_le_bytes()).unwrap_err();
    assert!(err.to_string().contains("zero-sized"), "{err}");
    assert_eq!(bsatn::from_slice::<Vec<()>>(&3u32.to_le_bytes()).unwrap().len(), 3);
}

proptest! {
    /// `hash_bytes` (our own Keccak-256) equals the official one, across block boundaries.
    #[test]
    fn hash_bytes_matches_sats(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        prop_assert_eq!(worldtube_lib::hash::hash_bytes(&bytes).data, s::hash::hash_bytes(&bytes).data);
    }
}

#[test]
fn hash_bytes_matches_sats_at_every_length_around_the_rate() {
    for len in 130..=280 {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
        assert_eq!(worldtube_lib::hash::hash_bytes(&bytes).data, s::hash::hash_bytes(&bytes).data, "length {len}");
    }
}
