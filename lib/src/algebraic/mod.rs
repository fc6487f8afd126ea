//! The algebraic type model: every SpacetimeDB type is a sum, product, array or primitive.
//!
//! [`AlgebraicType`] describes a type; [`AlgebraicValue`] holds a value of one, decoded from BSATN
//! when only the type is known at run time (as in a host). [`SpacetimeType`] connects Rust types
//! to their algebraic types, collecting named types into a [`Typespace`].

#[cfg(feature = "serde")]
mod json;
mod spacetime_type;
mod types;
mod value;

#[cfg(feature = "serde")]
pub use json::ValueWithType;
pub use spacetime_type::{SpacetimeType, TypespaceBuilder};
pub use types::*;
pub use value::{AlgebraicValue, ProductValue, SumValue, F32, F64, MAX_ZERO_SIZED_ELEMENTS};
