//! The V10 module definition: what SpacetimeDB 2.x modules describe themselves as.
//!
//! A [`RawModuleDefV10`] is a list of [sections](RawModuleDefV10Section), each optional and in any
//! order, rather than V9's fixed set of fields. Compared with V9:
//!
//! - tables, indexes, reducers and types carry *source* names (what the module's code calls
//!   them); the host derives canonical names from them by the module's [`CaseConversionPolicy`]
//!   (snake case unless the module says otherwise), except where [`ExplicitNames`] override it;
//! - schedules and lifecycle reducers have their own sections instead of living on the table and
//!   the reducer;
//! - tables gain column default values and the event-table flag; reducers gain a
//!   [visibility](FunctionVisibility) and return types;
//! - procedures, views (with their primary keys), HTTP handlers and routes, and submodules are
//!   new.
//!
//! Every struct's fields are in wire order and every enum's variants in tag order, so the BSATN
//! encoding is byte-identical to SpacetimeDB 2.8's. [`RawModuleDefV10Builder`] assembles a
//! definition the way the SDK does, and [`validate_v10`](crate::raw_def::validate_v10) checks one
//! against a 2.x host's rules.

mod builder;
mod case;
mod function;
mod table;
mod type_def;

pub use builder::{RawModuleDefV10Builder, RawTableDefBuilderV10};
pub use case::{split_words, to_camel_case, to_pascal_case, to_snake_case};
pub use function::{
    FunctionVisibility, RawLifeCycleReducerDefV10, RawProcedureDefV10, RawReducerDefV10, RawScheduleDefV10,
    RawViewDefV10, RawViewPrimaryKeyDefV10, VIEW_QUERY_ELEMENT,
};
pub use table::{
    RawColumnDefaultValueV10, RawConstraintDataV10, RawConstraintDefV10, RawIndexDefV10, RawSequenceDefV10,
    RawTableDefV10, RawUniqueConstraintDataV10,
};
pub use type_def::{RawScopedTypeNameV10, RawTypeDefV10};

use crate::algebraic::Typespace;
use crate::bsatn::Encode;
#[cfg(feature = "host")]
use crate::bsatn::{Decode, DecodeError, Reader};
use crate::raw_def::RawRowLevelSecurityDefV9;

/// A row-level security filter in V10: unchanged from V9, so the same type.
pub type RawRowLevelSecurityDefV10 = RawRowLevelSecurityDefV9;

/// A V10 module definition: a list of sections.
///
/// Each kind of section should appear at most once; the accessors (and the host) use the first
/// of a kind. A missing section means "none of these" (or, for the case conversion policy, the
/// default [`CaseConversionPolicy::SnakeCase`]).
///
/// ```
/// use worldtube_lib::bsatn;
/// use worldtube_lib::raw_def::{RawModuleDef, RawModuleDefV10, RawModuleDefV10Section};
/// let def = RawModuleDefV10 { sections: vec![RawModuleDefV10Section::Reducers(vec![])] };
/// let bytes = bsatn::to_vec(&RawModuleDef::V10(def.clone()));
/// assert_eq!(bytes, [2, 1, 0, 0, 0, 3, 0, 0, 0, 0]);
/// assert_eq!(bsatn::from_slice::<RawModuleDef>(&bytes).unwrap(), RawModuleDef::V10(def));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawModuleDefV10 {
    /// The sections.
    pub sections: Vec<RawModuleDefV10Section>,
}
crate::__bsatn_def_product!(RawModuleDefV10 { sections });

/// One section of a [`RawModuleDefV10`]. Variants are in tag order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum RawModuleDefV10Section {
    /// Tag 0: every type the definition refers to by reference.
    Typespace(Typespace),
    /// Tag 1: names for the typespace entries that are user-defined types.
    Types(Vec<RawTypeDefV10>),
    /// Tag 2: the tables.
    Tables(Vec<RawTableDefV10>),
    /// Tag 3: the reducers; a reducer's position here is the id the host calls it by.
    Reducers(Vec<RawReducerDefV10>),
    /// Tag 4: the procedures.
    Procedures(Vec<RawProcedureDefV10>),
    /// Tag 5: the views.
    Views(Vec<RawViewDefV10>),
    /// Tag 6: which tables are schedule tables, and what they call.
    Schedules(Vec<RawScheduleDefV10>),
    /// Tag 7: which reducers the host calls at lifecycle events.
    LifeCycleReducers(Vec<RawLifeCycleReducerDefV10>),
    /// Tag 8: row-level security filters.
    RowLevelSecurity(Vec<RawRowLevelSecurityDefV10>),
    /// Tag 9: how canonical names are made from source names.
    CaseConversionPolicy(CaseConversionPolicy),
    /// Tag 10: canonical names chosen by the module, overriding the policy.
    ExplicitNames(ExplicitNames),
    /// Tag 11: the HTTP handler functions.
    HttpHandlers(Vec<RawHttpHandlerDefV10>),
    /// Tag 12: the HTTP routes leading to those handlers.
    HttpRoutes(Vec<RawHttpRouteDefV10>),
    /// Tag 13: primary keys of views.
    ViewPrimaryKeys(Vec<RawViewPrimaryKeyDefV10>),
    /// Tag 14: modules nested in this one, each under a namespace.
    Submodules(Vec<RawSubmoduleV10>),
}
crate::__bsatn_def_sum!(RawModuleDefV10Section {
    0 => Typespace(s),
    1 => Types(s),
    2 => Tables(s),
    3 => Reducers(s),
    4 => Procedures(s),
    5 => Views(s),
    6 => Schedules(s),
    7 => LifeCycleReducers(s),
    8 => RowLevelSecurity(s),
    9 => CaseConversionPolicy(s),
    10 => ExplicitNames(s),
    11 => HttpHandlers(s),
    12 => HttpRoutes(s),
    13 => ViewPrimaryKeys(s),
    14 => Submodules(s),
});

/// Finds the first section of one kind.
macro_rules! section_accessor {
    ($(#[$doc:meta] $fn:ident => $variant:ident : $ty:ty;)+) => {$(
        #[$doc]
        pub fn $fn(&self) -> Option<&$ty> {
            self.sections.iter().find_map(|s| match s {
                RawModuleDefV10Section::$variant(x) => Some(x),
                _ => None,
            })
        }
    )+};
}

impl RawModuleDefV10 {
    section_accessor! {
        /// The typespace section, if any.
        typespace => Typespace: Typespace;
        /// The type names section, if any.
        types => Types: Vec<RawTypeDefV10>;
        /// The tables section, if any.
        tables => Tables: Vec<RawTableDefV10>;
        /// The reducers section, if any.
        reducers => Reducers: Vec<RawReducerDefV10>;
        /// The procedures section, if any.
        procedures => Procedures: Vec<RawProcedureDefV10>;
        /// The views section, if any.
        views => Views: Vec<RawViewDefV10>;
        /// The schedules section, if any.
        schedules => Schedules: Vec<RawScheduleDefV10>;
        /// The lifecycle reducers section, if any.
        lifecycle_reducers => LifeCycleReducers: Vec<RawLifeCycleReducerDefV10>;
        /// The row-level security section, if any.
        row_level_security => RowLevelSecurity: Vec<RawRowLevelSecurityDefV10>;
        /// The explicit names section, if any.
        explicit_names => ExplicitNames: ExplicitNames;
        /// The HTTP handlers section, if any.
        http_handlers => HttpHandlers: Vec<RawHttpHandlerDefV10>;
        /// The HTTP routes section, if any.
        http_routes => HttpRoutes: Vec<RawHttpRouteDefV10>;
        /// The view primary keys section, if any.
        view_primary_keys => ViewPrimaryKeys: Vec<RawViewPrimaryKeyDefV10>;
        /// The submodules section, if any.
        submodules => Submodules: Vec<RawSubmoduleV10>;
    }

    /// The case conversion policy: the section's, or [`CaseConversionPolicy::SnakeCase`] if there
    /// is none.
    pub fn case_conversion_policy(&self) -> CaseConversionPolicy {
        self.sections
            .iter()
            .find_map(|s| match s {
                RawModuleDefV10Section::CaseConversionPolicy(p) => Some(*p),
                _ => None,
            })
            .unwrap_or_default()
    }
}

/// How the host makes canonical names (of tables, columns, functions, indexes) from source names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum CaseConversionPolicy {
    /// Tag 0: canonical names are the source names unchanged.
    None,
    /// Tag 1: canonical names are the source names in snake case (type names in Pascal case, enum
    /// variants in camel case). The default.
    #[default]
    SnakeCase,
}
crate::__bsatn_def_sum!(CaseConversionPolicy { 0 => None, 1 => SnakeCase });

/// A source name and the canonical name the module chose for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NameMapping {
    /// The name in the module's code.
    pub source_name: Box<str>,
    /// The name in the database.
    pub canonical_name: Box<str>,
}
crate::__bsatn_def_product!(NameMapping { source_name, canonical_name });

/// One explicit name: which kind of thing it names, and the mapping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ExplicitNameEntry {
    /// Tag 0: a table (`#[table(accessor = .., name = "..")]`).
    Table(NameMapping),
    /// Tag 1: a reducer, procedure, view or HTTP handler.
    Function(NameMapping),
    /// Tag 2: an index, keyed by its source name.
    Index(NameMapping),
}
crate::__bsatn_def_sum!(ExplicitNameEntry { 0 => Table(m), 1 => Function(m), 2 => Index(m) });

/// Canonical names the module chose itself, overriding the [`CaseConversionPolicy`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExplicitNames {
    /// The entries, in the order given; for a source name listed twice, the host keeps the last.
    pub entries: Vec<ExplicitNameEntry>,
}
crate::__bsatn_def_product!(ExplicitNames { entries });

impl ExplicitNames {
    /// Names the table `source_name` `canonical_name`.
    pub fn insert_table(&mut self, source_name: impl Into<Box<str>>, canonical_name: impl Into<Box<str>>) {
        let m = NameMapping { source_name: source_name.into(), canonical_name: canonical_name.into() };
        self.entries.push(ExplicitNameEntry::Table(m));
    }
    /// Names the function (reducer, procedure, view, HTTP handler) `source_name` `canonical_name`.
    pub fn insert_function(&mut self, source_name: impl Into<Box<str>>, canonical_name: impl Into<Box<str>>) {
        let m = NameMapping { source_name: source_name.into(), canonical_name: canonical_name.into() };
        self.entries.push(ExplicitNameEntry::Function(m));
    }
    /// Names the index whose source name is `source_name` `canonical_name`.
    pub fn insert_index(&mut self, source_name: impl Into<Box<str>>, canonical_name: impl Into<Box<str>>) {
        let m = NameMapping { source_name: source_name.into(), canonical_name: canonical_name.into() };
        self.entries.push(ExplicitNameEntry::Index(m));
    }
    /// Appends `other`'s entries.
    pub fn merge(&mut self, other: ExplicitNames) {
        self.entries.extend(other.entries);
    }
}

/// An HTTP handler function.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawHttpHandlerDefV10 {
    /// The handler's source name.
    pub source_name: Box<str>,
}
crate::__bsatn_def_product!(RawHttpHandlerDefV10 { source_name });

/// An HTTP route: requests with this method and path go to this handler.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawHttpRouteDefV10 {
    /// The handler's source name.
    pub handler_function: Box<str>,
    /// The method matched.
    pub method: MethodOrAny,
    /// The path matched: empty, or starting with `/`.
    pub path: Box<str>,
}
crate::__bsatn_def_product!(RawHttpRouteDefV10 { handler_function, method, path });

/// The method a route matches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum MethodOrAny {
    /// Tag 0: every method.
    Any,
    /// Tag 1: this method only.
    Method(HttpMethod),
}
crate::__bsatn_def_sum!(MethodOrAny { 0 => Any, 1 => Method(m) });

/// An HTTP request method.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum HttpMethod {
    /// Tag 0: `GET`.
    Get,
    /// Tag 1: `HEAD`.
    Head,
    /// Tag 2: `POST`.
    Post,
    /// Tag 3: `PUT`.
    Put,
    /// Tag 4: `DELETE`.
    Delete,
    /// Tag 5: `CONNECT`.
    Connect,
    /// Tag 6: `OPTIONS`.
    Options,
    /// Tag 7: `TRACE`.
    Trace,
    /// Tag 8: `PATCH`.
    Patch,
    /// Tag 9: any other method, by name.
    Extension(String),
}
crate::__bsatn_sum!(HttpMethod {
    0 => Get,
    1 => Head,
    2 => Post,
    3 => Put,
    4 => Delete,
    5 => Connect,
    6 => Options,
    7 => Trace,
    8 => Patch,
    9 => Extension(name),
});

impl HttpMethod {
    /// The method's name as it appears in a request line (`GET`, …, or the extension's name).
    pub fn as_str(&self) -> &str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Head => "HEAD",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Connect => "CONNECT",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Extension(name) => name,
        }
    }

    /// The method named `name`: one of the nine standard ones (by its upper-case name), or an
    /// extension method.
    pub fn from_name(name: &str) -> HttpMethod {
        [
            HttpMethod::Get,
            HttpMethod::Head,
            HttpMethod::Post,
            HttpMethod::Put,
            HttpMethod::Delete,
            HttpMethod::Connect,
            HttpMethod::Options,
            HttpMethod::Trace,
            HttpMethod::Patch,
        ]
        .into_iter()
        .find(|m| m.as_str() == name)
        .unwrap_or_else(|| HttpMethod::Extension(name.to_owned()))
    }
}

/// A module nested in this one under a namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawSubmoduleV10 {
    /// The namespace: an identifier of at most 63 bytes.
    pub namespace: String,
    /// The nested module's definition.
    pub module: RawModuleDefV10,
}

impl Encode for RawSubmoduleV10 {
    fn encode(&self, out: &mut Vec<u8>) {
        self.namespace.encode(out);
        self.module.encode(out);
    }
}

/// How many of the decoder's [nesting levels](crate::bsatn::MAX_DEPTH) one submodule uses up.
///
/// Decoding a whole module definition takes far more stack than one level of an ordinary value,
/// so a submodule counts as this many levels: at most `MAX_DEPTH / SUBMODULE_DEPTH_WEIGHT` (32)
/// submodules can nest, and hostile bytes cannot exhaust the stack through them.
#[cfg(feature = "host")]
const SUBMODULE_DEPTH_WEIGHT: u32 = 8;

/// Runs `f` `levels` nesting levels deeper.
#[cfg(feature = "host")]
fn deeper<'de, T>(
    r: &mut Reader<'de>,
    levels: u32,
    f: fn(&mut Reader<'de>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    match levels {
        0 => f(r),
        _ => r.nested(|r| deeper(r, levels - 1, f)),
    }
}

#[cfg(feature = "host")]
impl<'de> Decode<'de> for RawSubmoduleV10 {
    const MIN_SIZE: usize = 8;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        let namespace = String::decode(r)?;
        let module = deeper(r, SUBMODULE_DEPTH_WEIGHT, RawModuleDefV10::decode)?;
        Ok(Self { namespace, module })
    }
}
