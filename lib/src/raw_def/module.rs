//! The top of the module definition: the versioned wrapper and the V9 definition itself.

use super::{RawModuleDefV10, RawReducerDefV9, RawTableDefV9, RawTypeDefV9};
use crate::algebraic::Typespace;
use crate::bsatn::Encode;
#[cfg(feature = "host")]
use crate::bsatn::{take_tag, Decode, DecodeError, Reader};

/// What `__describe_module__` returns, BSATN-encoded: a module definition tagged with its version.
///
/// Tag 0 is the retired V8 format, which Worldtube neither writes nor reads (its payload type is
/// uninhabited, and decoding tag 0 is an error); tag 1 is [`RawModuleDefV9`], what SpacetimeDB
/// 1.x modules send; tag 2 is [`RawModuleDefV10`], what SpacetimeDB 2.x modules send. The
/// encoding therefore starts with the byte `0x01` or `0x02`.
///
/// ```
/// use worldtube_lib::bsatn;
/// use worldtube_lib::raw_def::{RawModuleDef, RawModuleDefV9};
/// let bytes = bsatn::to_vec(&RawModuleDef::V9(RawModuleDefV9::default()));
/// assert_eq!(bytes[0], 1);
/// let err = bsatn::from_slice::<RawModuleDef>(&[0]).unwrap_err();
/// assert!(err.to_string().contains("module definition V8 is not supported"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum RawModuleDef {
    /// Tag 0: the deprecated V8 definition. Cannot be constructed.
    V8BackCompat(RawModuleDefV8),
    /// Tag 1: the V9 definition.
    V9(RawModuleDefV9),
    /// Tag 2: the V10 definition (SpacetimeDB 2.x).
    V10(RawModuleDefV10),
}

/// Stands in for the payload of the retired V8 definition. It has no values, so a
/// [`RawModuleDef::V8BackCompat`] can never exist; the variant only reserves tag 0.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum RawModuleDefV8 {}

impl RawModuleDef {
    /// The BSATN tag of [`RawModuleDef::V9`], for writers that encode a `RawModuleDefV9` in place.
    pub const V9_TAG: u8 = 1;
    /// The BSATN tag of [`RawModuleDef::V10`].
    pub const V10_TAG: u8 = 2;
}

impl Encode for RawModuleDef {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::V8BackCompat(never) => match *never {},
            Self::V9(def) => {
                out.push(Self::V9_TAG);
                def.encode(out);
            }
            Self::V10(def) => {
                out.push(Self::V10_TAG);
                def.encode(out);
            }
        }
    }
}

#[cfg(feature = "host")]
impl<'de> Decode<'de> for RawModuleDef {
    const MIN_SIZE: usize = 1;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let at = r.offset();
        match take_tag(r, "RawModuleDef", 3)? {
            0 => Err(DecodeError::new(
                at,
                crate::bsatn::DecodeErrorKind::Custom(
                    "module definition V8 is not supported: rebuild the module with a SpacetimeDB 1.x \
                     compatible SDK, which writes V9"
                        .into(),
                ),
            )),
            1 => RawModuleDefV9::decode(r).map(Self::V9),
            _ => RawModuleDefV10::decode(r).map(Self::V10),
        }
    }
}

/// Everything a module declares: its types, tables, reducers and row-level security filters.
///
/// Fields are in wire order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawModuleDefV9 {
    /// Every type the definition refers to by [`AlgebraicTypeRef`](crate::algebraic::AlgebraicTypeRef).
    pub typespace: Typespace,
    /// The tables.
    pub tables: Vec<RawTableDefV9>,
    /// The reducers; a reducer's position here is the id the host calls it by.
    pub reducers: Vec<RawReducerDefV9>,
    /// Names for the typespace entries that are user-defined types.
    pub types: Vec<RawTypeDefV9>,
    /// Other exports; none exist in this version, so this is always empty.
    pub misc_exports: Vec<RawMiscModuleExportV9>,
    /// Row-level security filters.
    pub row_level_security: Vec<RawRowLevelSecurityDefV9>,
}
crate::__bsatn_def_product!(RawModuleDefV9 { typespace, tables, reducers, types, misc_exports, row_level_security });

/// An export that is not a table, reducer or type. No variants exist at SpacetimeDB 1.3 (later
/// versions add some), so no value can be built and decoding any tag is an error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum RawMiscModuleExportV9 {}

impl Encode for RawMiscModuleExportV9 {
    fn encode(&self, _out: &mut Vec<u8>) {
        match *self {}
    }
}

#[cfg(feature = "host")]
impl<'de> Decode<'de> for RawMiscModuleExportV9 {
    const MIN_SIZE: usize = 1;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        take_tag(r, "RawMiscModuleExportV9", 0).map(|_| unreachable!("a sum with no variants accepts no tag"))
    }
}

/// A row-level security filter: an SQL query restricting which rows of a table a client sees.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawRowLevelSecurityDefV9 {
    /// The filter, e.g. `SELECT * FROM player WHERE identity = :sender`.
    pub sql: Box<str>,
}
crate::__bsatn_def_product!(RawRowLevelSecurityDefV9 { sql });
