//! Declarative helpers that give product and sum types their BSATN impls field by field.
//!
//! Used by this crate's own types (the module definition, the HTTP wire types); the SDK's derive
//! macro generates the same shape of code for user types. These impls are not `#[inline]`: they
//! run once per module description or HTTP call, and each is compiled once, here, instead of
//! into every crate (and every caller) that encodes one — a module definition inlined whole into
//! its caller costs a module kilobytes of wasm.

/// Implements [`Encode`](crate::bsatn::Encode) and [`Decode`](crate::bsatn::Decode) for a struct
/// as a product: its listed fields in order.
#[doc(hidden)]
#[macro_export]
macro_rules! __bsatn_product {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        $crate::__bsatn_product!(@encode [] $ty { $($field),* });
        $crate::__bsatn_product!(@decode [] $ty { $($field),* });
    };
    // `#[inline]` impls, as the SDK's derive makes them (for benchmarks that stand in for it).
    (#[inline] $ty:ident { $($field:ident),* $(,)? }) => {
        $crate::__bsatn_product!(@encode [inline] $ty { $($field),* });
        $crate::__bsatn_product!(@decode [inline] $ty { $($field),* });
    };
    (@encode [$($attr:meta)?] $ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::bsatn::Encode for $ty {
            $(#[$attr])?
            fn encode(&self, _out: &mut ::std::vec::Vec<u8>) {
                $( $crate::bsatn::Encode::encode(&self.$field, _out); )*
            }
        }
    };
    (@decode [$($attr:meta)?] $ty:ident { $($field:ident),* $(,)? }) => {
        impl<'de> $crate::bsatn::Decode<'de> for $ty {
            $(#[$attr])?
            fn decode(_r: &mut $crate::bsatn::Reader<'de>) -> ::std::result::Result<Self, $crate::bsatn::DecodeError> {
                ::std::result::Result::Ok(Self { $( $field: $crate::bsatn::Decode::decode(_r)?, )* })
            }
        }
    };
}

/// Implements [`Encode`](crate::bsatn::Encode) and [`Decode`](crate::bsatn::Decode) for an enum
/// as a sum: each variant is `tag => Variant` (unit) or `tag => Variant(payload)` (one field).
#[doc(hidden)]
#[macro_export]
macro_rules! __bsatn_sum {
    ($ty:ident { $($tag:literal => $variant:ident $(($payload:ident))?),+ $(,)? }) => {
        $crate::__bsatn_sum!(@encode [] $crate::bsatn::encode_tag, $ty { $($tag => $variant $(($payload))?),+ });
        $crate::__bsatn_sum!(@decode [] $ty { $($tag => $variant $(($payload))?),+ });
    };
    // `#[inline]` impls writing tags inline, as the SDK's derive makes them (for benchmarks that
    // stand in for it).
    (#[inline] $ty:ident { $($tag:literal => $variant:ident $(($payload:ident))?),+ $(,)? }) => {
        $crate::__bsatn_sum!(@encode [inline] $crate::bsatn::push_tag, $ty { $($tag => $variant $(($payload))?),+ });
        $crate::__bsatn_sum!(@decode [inline] $ty { $($tag => $variant $(($payload))?),+ });
    };
    (@encode [$($attr:meta)?] $write_tag:path, $ty:ident { $($tag:literal => $variant:ident $(($payload:ident))?),+ $(,)? }) => {
        impl $crate::bsatn::Encode for $ty {
            $(#[$attr])?
            fn encode(&self, out: &mut ::std::vec::Vec<u8>) {
                match self {
                    $( $ty::$variant $(($payload))? => {
                        $write_tag($tag, out);
                        $( $crate::bsatn::Encode::encode($payload, out); )?
                    } )+
                }
            }
        }
    };
    (@decode [$($attr:meta)?] $ty:ident { $($tag:literal => $variant:ident $(($payload:ident))?),+ $(,)? }) => {
        impl<'de> $crate::bsatn::Decode<'de> for $ty {
            const MIN_SIZE: usize = 1;
            $(#[$attr])?
            fn decode(r: &mut $crate::bsatn::Reader<'de>) -> ::std::result::Result<Self, $crate::bsatn::DecodeError> {
                let at = r.offset();
                match r.take_u8(concat!("the tag of ", stringify!($ty)))? {
                    $( $tag => ::std::result::Result::Ok($ty::$variant $(({
                        #[allow(unused_variables)] let $payload = ();
                        $crate::bsatn::Decode::decode(r)?
                    }))?), )+
                    tag => ::std::result::Result::Err($crate::bsatn::DecodeError::new(at, $crate::bsatn::DecodeErrorKind::InvalidTag {
                        sum: stringify!($ty).into(),
                        tag,
                        variants: [$($tag),+].len(),
                    })),
                }
            }
        }
    };
}

/// [`__bsatn_product!`] for a part of the module definition: its `Decode` impl exists with the
/// `host` feature only. A module writes its definition and never reads one; leaving the readers
/// out halves the code this crate compiles for a module.
#[doc(hidden)]
#[macro_export]
macro_rules! __bsatn_def_product {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        $crate::__bsatn_product!(@encode [] $ty { $($field),* });
        #[cfg(feature = "host")]
        $crate::__bsatn_product!(@decode [] $ty { $($field),* });
    };
}

/// [`__bsatn_sum!`] for a part of the module definition: its `Decode` impl exists with the `host`
/// feature only (see [`__bsatn_def_product!`]).
#[doc(hidden)]
#[macro_export]
macro_rules! __bsatn_def_sum {
    ($ty:ident { $($tag:literal => $variant:ident $(($payload:ident))?),+ $(,)? }) => {
        $crate::__bsatn_sum!(@encode [] $crate::bsatn::encode_tag, $ty { $($tag => $variant $(($payload))?),+ });
        #[cfg(feature = "host")]
        $crate::__bsatn_sum!(@decode [] $ty { $($tag => $variant $(($payload))?),+ });
    };
}
