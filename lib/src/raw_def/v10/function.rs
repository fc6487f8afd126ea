//! V10 functions: reducers, procedures and views, and the sections that refer to them
//! (schedules, lifecycle reducers, view primary keys).

use crate::algebraic::{AlgebraicType, ProductType};
use crate::raw_def::Lifecycle;

/// A reducer in a V10 definition.
///
/// Unlike V9, a reducer says who may call it and what it returns, and no longer carries its
/// lifecycle event: that is a [`RawLifeCycleReducerDefV10`] in its own section. Fields are in wire
/// order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawReducerDefV10 {
    /// The name the module's code gives the reducer; the canonical name derives from it.
    pub source_name: Box<str>,
    /// Its arguments after the context, as an inline product whose elements must all be named.
    pub params: ProductType,
    /// Whether clients may call it.
    pub visibility: FunctionVisibility,
    /// The type of a successful result; the host accepts only the unit type.
    pub ok_return_type: AlgebraicType,
    /// The type of an error; the host accepts only `String`.
    pub err_return_type: AlgebraicType,
}
crate::__bsatn_def_product!(RawReducerDefV10 { source_name, params, visibility, ok_return_type, err_return_type });

impl RawReducerDefV10 {
    /// The only `ok_return_type` a 2.x host accepts: the unit type.
    pub fn default_ok_return_type() -> AlgebraicType {
        AlgebraicType::unit()
    }
    /// The only `err_return_type` a 2.x host accepts: `String`.
    pub fn default_err_return_type() -> AlgebraicType {
        AlgebraicType::String
    }
}

/// Who may call a reducer or procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum FunctionVisibility {
    /// Tag 0: only the module and the host (lifecycle reducers, scheduled functions).
    Private,
    /// Tag 1: clients too.
    ClientCallable,
}
crate::__bsatn_def_sum!(FunctionVisibility { 0 => Private, 1 => ClientCallable });

/// A procedure: a function that runs outside a transaction (it may open its own), can wait and
/// make HTTP requests, and returns a value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawProcedureDefV10 {
    /// The name the module's code gives the procedure; the canonical name derives from it.
    pub source_name: Box<str>,
    /// Its arguments after the context, as an inline product whose elements must all be named.
    pub params: ProductType,
    /// The type of its result.
    pub return_type: AlgebraicType,
    /// Whether clients may call it.
    pub visibility: FunctionVisibility,
}
crate::__bsatn_def_product!(RawProcedureDefV10 { source_name, params, return_type, visibility });

/// A view: a read-only function whose result rows clients can subscribe to like a table's.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawViewDefV10 {
    /// The name the module's code gives the view; the canonical name derives from it.
    pub source_name: Box<str>,
    /// The view's position among the module's views of its kind (anonymous or per-sender): the id
    /// the host calls it by.
    pub index: u32,
    /// Whether clients may subscribe to it.
    pub is_public: bool,
    /// Whether it is anonymous (one result for every caller) rather than computed per sender.
    pub is_anonymous: bool,
    /// Its arguments after the context.
    pub params: ProductType,
    /// Its result: `Vec<T>` or `Option<T>` with `T` a `Ref` to a product (a procedural view), or a
    /// one-element product whose element `__query__` is such a `Ref` (a query view).
    pub return_type: AlgebraicType,
}
crate::__bsatn_def_product!(RawViewDefV10 { source_name, index, is_public, is_anonymous, params, return_type });

/// The name of the one element of a query view's result type (`{ __query__: Ref(T) }`).
pub const VIEW_QUERY_ELEMENT: &str = "__query__";

impl RawViewDefV10 {
    /// The typespace entry of the view's row type: `T` of `Vec<T>`, `Option<T>` or
    /// `{ __query__: T }`, if the return type has one of those shapes with `T` a `Ref`.
    pub fn row_type_ref(&self) -> Option<crate::algebraic::AlgebraicTypeRef> {
        if let Some(r) = self.query_row_type_ref() {
            return Some(r);
        }
        let inner = match &self.return_type {
            AlgebraicType::Array(a) => &*a.elem_ty,
            other => other.as_option()?,
        };
        match inner {
            AlgebraicType::Ref(r) => Some(*r),
            _ => None,
        }
    }

    /// For a query view (one whose result is SQL the host runs): its row type's entry.
    pub fn query_row_type_ref(&self) -> Option<crate::algebraic::AlgebraicTypeRef> {
        match &*self.return_type.as_product()?.elements {
            [only] if only.name.as_deref() == Some(VIEW_QUERY_ELEMENT) => match only.algebraic_type {
                AlgebraicType::Ref(r) => Some(r),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The primary key of a view's rows, by column name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawViewPrimaryKeyDefV10 {
    /// The view's source name.
    pub view_source_name: Box<str>,
    /// The key column's name; the host supports at most one.
    pub columns: Vec<Box<str>>,
}
crate::__bsatn_def_product!(RawViewPrimaryKeyDefV10 { view_source_name, columns });

/// Makes a table a schedule table: each row says when to call `function_name` with that row.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawScheduleDefV10 {
    /// Ignored by the host, which names schedules
    /// [`generated_schedule_name`](crate::raw_def::generated_schedule_name); the SDK sends `None`.
    pub source_name: Option<Box<str>>,
    /// The source name of the schedule table.
    pub table_name: Box<str>,
    /// The column of type `ScheduleAt` saying when.
    pub schedule_at_col: u16,
    /// The reducer or procedure to call (source name); it must take exactly one argument, the
    /// table's row type.
    pub function_name: Box<str>,
}
crate::__bsatn_def_product!(RawScheduleDefV10 { source_name, table_name, schedule_at_col, function_name });

/// Marks a reducer as the one the host calls at a lifecycle event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawLifeCycleReducerDefV10 {
    /// The event.
    pub lifecycle_spec: Lifecycle,
    /// The reducer's source name.
    pub function_name: Box<str>,
}
crate::__bsatn_def_product!(RawLifeCycleReducerDefV10 { lifecycle_spec, function_name });
