//! The 2.x data types against the official `spacetimedb-sats`/`spacetimedb-lib =2.8.3`: `Uuid`
//! (the algebraic type, BSATN, ordering, text in both directions, the version, v4/v7 construction,
//! value for value) and the HTTP request/response heads of procedures.

use proptest::prelude::*;
use spacetimedb_sats_2 as s;
use std::cell::Cell;
use worldtube_lib::algebraic::{AlgebraicType, SpacetimeType};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::v10::RawModuleDefV10Builder;
use worldtube_lib::uuid::{Uuid, Version};
use worldtube_lib::Timestamp;

type Theirs = s::uuid::Uuid;

fn theirs(u: Uuid) -> Theirs {
    Theirs::from_u128(u.as_u128())
}

fn version(v: Option<s::uuid::Version>) -> Option<Version> {
    v.map(|v| match v {
        s::uuid::Version::Nil => Version::Nil,
        s::uuid::Version::V4 => Version::V4,
        s::uuid::Version::V7 => Version::V7,
        s::uuid::Version::Max => Version::Max,
    })
}

/// Everything observable about one value agrees.
fn same_value(u: Uuid) {
    let t = theirs(u);
    assert_eq!(bsatn::to_vec(&u), s::bsatn::to_vec(&t).unwrap(), "BSATN of {u}");
    assert_eq!(bsatn::from_slice::<Uuid>(&s::bsatn::to_vec(&t).unwrap()).unwrap(), u);
    assert_eq!(u.to_string(), t.to_string());
    assert_eq!(u.get_version(), version(t.get_version()), "version of {u}");
    assert_eq!(u.get_version().map(|v| v as u8), t.get_version().map(|v| v as u8));
}

#[test]
fn the_type_is_theirs() {
    let ours = bsatn::to_vec(&AlgebraicType::uuid());
    assert_eq!(ours, s::bsatn::to_vec(&s::AlgebraicType::uuid()).unwrap());
    let made = Uuid::make_type(&mut RawModuleDefV10Builder::new());
    assert_eq!(bsatn::to_vec(&made), ours);
    let their_made = <Theirs as s::GroundSpacetimeType>::get_type();
    assert_eq!(s::bsatn::to_vec(&their_made).unwrap(), ours);
}

#[test]
fn constants_and_edges() {
    assert_eq!(Uuid::NIL.as_u128(), Theirs::NIL.as_u128());
    assert_eq!(Uuid::MAX.as_u128(), Theirs::MAX.as_u128());
    for v in [0, 1, u128::MAX, u128::MAX - 1, 0xf << 76, (0xf << 76) | 1, 4 << 76, 7 << 76, 1 << 127] {
        same_value(Uuid::from_u128(v));
    }
}

#[test]
fn v7_counter_wraps_like_theirs() {
    for start in [0, 1, 0x7fff_ffff, 0x8000_0000, u32::MAX] {
        let (ours, their) = (Cell::new(start), Cell::new(start));
        let now = 1_686_000_000_000_123;
        let a = Uuid::from_counter_v7(&ours, Timestamp::from_micros_since_unix_epoch(now), &[9; 4]).unwrap();
        let b = Theirs::from_counter_v7(&their, s::timestamp::Timestamp::from_micros_since_unix_epoch(now), &[9; 4])
            .unwrap();
        assert_eq!(a.as_u128(), b.as_u128());
        assert_eq!(ours.get(), their.get());
    }
}

#[test]
#[should_panic(expected = "timestamp before unix epoch")]
fn v7_before_the_epoch_panics() {
    let _ = Uuid::from_counter_v7(&Cell::new(0), Timestamp::from_micros_since_unix_epoch(-1), &[0; 4]);
}

/// Strings near the accepted forms: each of them with one character changed or dropped.
fn near_uuid_text() -> impl Strategy<Value = String> {
    let forms = (any::<u128>(), 0..4usize, any::<bool>()).prop_map(|(v, form, upper)| {
        let h = Theirs::from_u128(v).to_string();
        let h = if upper { h.to_uppercase() } else { h };
        match form {
            0 => h,
            1 => h.replace('-', ""),
            2 => format!("{{{h}}}"),
            _ => format!("{}{h}", if upper { "URN:UUID:" } else { "urn:uuid:" }),
        }
    });
    (forms, any::<prop::sample::Index>(), prop::sample::select(vec!['-', 'g', 'A', '0', '{', ':', 'é', ' ']), 0..3u8)
        .prop_map(|(text, at, c, edit)| {
            let mut chars: Vec<char> = text.chars().collect();
            let i = at.index(chars.len());
            match edit {
                0 => {}
                1 => chars[i] = c,
                _ => {
                    chars.remove(i);
                }
            }
            chars.into_iter().collect()
        })
}

proptest! {
    #[test]
    fn any_value_agrees(v in any::<u128>()) {
        same_value(Uuid::from_u128(v));
    }

    #[test]
    fn ordering_agrees(a in any::<u128>(), b in any::<u128>()) {
        let (a, b) = (Uuid::from_u128(a), Uuid::from_u128(b));
        prop_assert_eq!(a.cmp(&b), theirs(a).cmp(&theirs(b)));
    }

    #[test]
    fn parsing_agrees(text in near_uuid_text()) {
        let ours = Uuid::parse_str(&text).ok().map(|u| u.as_u128());
        let their = Theirs::parse_str(&text).ok().map(|u| u.as_u128());
        prop_assert_eq!(ours, their, "{:?}", text);
    }

    #[test]
    fn v4_agrees(bytes in any::<[u8; 16]>()) {
        let u = Uuid::from_random_bytes_v4(bytes);
        prop_assert_eq!(u.as_u128(), Theirs::from_random_bytes_v4(bytes).as_u128());
        same_value(u);
    }

    #[test]
    fn v7_agrees(counter in any::<u32>(), micros in 0..i64::MAX, random in any::<[u8; 4]>()) {
        let (ours, their) = (Cell::new(counter), Cell::new(counter));
        let u = Uuid::from_counter_v7(&ours, Timestamp::from_micros_since_unix_epoch(micros), &random).unwrap();
        let t = Theirs::from_counter_v7(&their, s::timestamp::Timestamp::from_micros_since_unix_epoch(micros), &random)
            .unwrap();
        prop_assert_eq!(u.as_u128(), t.as_u128());
        prop_assert_eq!(ours.get(), their.get());
        same_value(u);
    }
}

/// A table keyed and indexed by a `Uuid` column, and a function taking one.
fn keyed_by_uuid_row() -> worldtube_lib::algebraic::ProductType {
    worldtube_lib::algebraic::ProductType::new([(Some("id"), AlgebraicType::uuid()), (Some("n"), AlgebraicType::U32)])
}

#[test]
fn a_uuid_column_is_valid_in_2x_only() {
    use worldtube_lib::raw_def::{validate, validate_v10, RawIndexAlgorithm, RawModuleDefV9Builder};
    let mut b = RawModuleDefV10Builder::new();
    b.build_table_with_new_type("ticket", keyed_by_uuid_row(), true)
        .with_unique_constraint(0)
        .with_index(RawIndexAlgorithm::btree(0), "ticket_id_idx_btree", "id")
        .with_primary_key(0)
        .finish();
    b.add_reducer("take", worldtube_lib::algebraic::ProductType::new([(Some("id"), AlgebraicType::uuid())]));
    validate_v10(&b.finish()).expect("2.x knows Uuid");

    // 1.x servers see an ordinary product, which may not be written inline.
    let mut b = RawModuleDefV9Builder::new();
    b.build_table_with_new_type("ticket", keyed_by_uuid_row(), true).finish();
    let errors = validate(&b.finish()).unwrap_err();
    assert!(errors.iter().any(|e| e.to_string().contains("inline")), "{errors:?}");
}

/// The HTTP request and response heads a procedure exchanges with the host encode as
/// `spacetimedb_lib::http`'s 2.8.3 types.
#[test]
fn http_heads_encode_like_theirs() {
    use spacetimedb_lib_2::http as th;
    use worldtube_lib::http as h;
    let methods = [
        (h::Method::Get, th::Method::Get),
        (h::Method::Patch, th::Method::Patch),
        (h::Method::Extension("PURGE".into()), th::Method::Extension("PURGE".into())),
    ];
    let versions = [
        (h::Version::Http09, th::Version::Http09),
        (h::Version::Http11, th::Version::Http11),
        (h::Version::Http3, th::Version::Http3),
    ];
    let header_sets: [Vec<(&str, &[u8])>; 3] =
        [vec![], vec![("accept", b"*/*")], vec![("x-a", b"1"), ("x-a", b"\xff2"), ("content-type", b"text/plain")]];
    for ((method, their_method), (version, their_version)) in methods.into_iter().zip(versions) {
        for headers in &header_sets {
            for timeout in [None, Some(1_500_000i64)] {
                let ours = h::Request {
                    method: method.clone(),
                    headers: h::Headers {
                        entries: headers
                            .iter()
                            .map(|(n, v)| h::HeaderPair { name: (*n).into(), value: v.to_vec() })
                            .collect(),
                    },
                    timeout: timeout.map(worldtube_lib::TimeDuration::from_micros),
                    uri: "https://example.com/a?b=c".into(),
                    version,
                };
                let their_headers = || -> th::Headers {
                    headers.iter().map(|(n, v)| (Some(Box::<str>::from(*n)), Box::<[u8]>::from(*v))).collect()
                };
                let theirs = th::Request {
                    method: their_method.clone(),
                    headers: their_headers(),
                    timeout: timeout.map(s::time_duration::TimeDuration::from_micros),
                    uri: "https://example.com/a?b=c".into(),
                    version: their_version.clone(),
                };
                let bytes = s::bsatn::to_vec(&theirs).unwrap();
                assert_eq!(bsatn::to_vec(&ours), bytes);
                assert_eq!(bsatn::from_slice::<h::Request>(&bytes).unwrap(), ours);

                let response = th::Response { headers: their_headers(), version: their_version.clone(), code: 404 };
                let bytes = s::bsatn::to_vec(&response).unwrap();
                let decoded = bsatn::from_slice::<h::Response>(&bytes).unwrap();
                assert_eq!((decoded.code, decoded.version, &decoded.headers), (404, version, &ours.headers));
                assert_eq!(bsatn::to_vec(&decoded), bytes);
            }
        }
    }
}

/// `Result<T, E>` has the official 2.x algebraic type, and a 2.x definition may use it inline.
#[test]
fn result_is_theirs_and_valid_inline_in_2x() {
    let ours = <Result<u32, String> as SpacetimeType>::make_type(&mut RawModuleDefV10Builder::new());
    let theirs = s::AlgebraicType::result(s::AlgebraicType::U32, s::AlgebraicType::String);
    assert_eq!(bsatn::to_vec(&ours), s::bsatn::to_vec(&theirs).unwrap());
    assert_eq!(bsatn::to_vec(&Ok::<u32, String>(7)), s::bsatn::to_vec(&Ok::<u32, String>(7)).unwrap());
    assert_eq!(
        bsatn::to_vec(&Err::<u32, String>("no".into())),
        s::bsatn::to_vec(&Err::<u32, String>("no".into())).unwrap()
    );

    use worldtube_lib::raw_def::validate_v10;
    let mut b = RawModuleDefV10Builder::new();
    b.add_procedure("p", worldtube_lib::algebraic::ProductType::new([(Some("r"), ours.clone())]), ours);
    validate_v10(&b.finish()).expect("2.x knows Result");
}
