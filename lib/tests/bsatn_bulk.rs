//! The bulk (memcpy) paths for numbers: fixed-size arrays, float vectors, byte vectors.

use worldtube_lib::bsatn::{self, DecodeErrorKind};

#[test]
fn fixed_size_number_arrays_round_trip_without_the_vec_path() {
    let id: [u8; 32] = std::array::from_fn(|i| i as u8 * 7);
    let bytes = bsatn::to_vec(&id);
    assert_eq!(bytes.len(), 4 + 32);
    assert_eq!(bsatn::from_slice::<[u8; 32]>(&bytes).unwrap(), id);

    let xs = [1.5f64, -0.0, f64::from_bits(0x7ff8_0000_dead_beef)];
    let back: [f64; 3] = bsatn::from_slice(&bsatn::to_vec(&xs)).unwrap();
    assert_eq!(back.map(f64::to_bits), xs.map(f64::to_bits));

    let empty: [u16; 0] = bsatn::from_slice(&[0, 0, 0, 0]).unwrap();
    assert_eq!(empty, []);
}

#[test]
fn fixed_size_number_arrays_reject_bad_input() {
    // Wrong length prefix.
    let err = bsatn::from_slice::<[u32; 2]>(&[3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]).unwrap_err();
    assert!(matches!(err.kind(), DecodeErrorKind::LengthMismatch { expected: 2, found: 3 }));
    // Too few element bytes.
    let err = bsatn::from_slice::<[u32; 2]>(&[2, 0, 0, 0, 1, 0, 0, 0, 2, 0]).unwrap_err();
    assert!(matches!(err.kind(), DecodeErrorKind::UnexpectedEnd { needed: 8, available: 6, .. }));
}

#[test]
fn number_vectors_round_trip_in_bulk() {
    let floats: Vec<f32> = vec![0.25, f32::from_bits(0x7fc0_1234), -3.0];
    let back: Vec<f32> = bsatn::from_slice(&bsatn::to_vec(&floats)).unwrap();
    assert_eq!(
        back.iter().map(|f| f.to_bits()).collect::<Vec<_>>(),
        floats.iter().map(|f| f.to_bits()).collect::<Vec<_>>()
    );

    let bytes: Vec<u8> = (0..=255).collect();
    let encoded = bsatn::to_vec(&bytes);
    assert_eq!(&encoded[..4], &256u32.to_le_bytes());
    assert_eq!(bsatn::from_slice::<Vec<u8>>(&encoded).unwrap(), bytes);

    // A claimed length the input cannot hold is an error, before any allocation.
    let err = bsatn::from_slice::<Vec<f64>>(&[0xff, 0xff, 0xff, 0x7f]).unwrap_err();
    assert!(matches!(err.kind(), DecodeErrorKind::UnexpectedEnd { .. }));
}
