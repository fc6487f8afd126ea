//! What the macros' generated code calls. Not a public API: it changes with the macros (see
//! `macros/EXPANSION.md`).

pub use crate::filterable::{FilterableValue, Private as FilterablePrivate};
pub use crate::procedure::IntoProcedureResult;
pub use crate::rt::{Describer, ModuleBuilder, ProcedureFn, ReducerFn};
pub use crate::table::MaybeError;
pub use crate::table_internal::{Column, Index, TableInternal};
pub use crate::ReducerResult;
pub use worldtube_lib::algebraic::{
    AlgebraicType, ProductType, ProductTypeElement, SpacetimeType, SumType, SumTypeVariant, TypespaceBuilder,
};
pub use worldtube_lib::bsatn::{Decode, DecodeError, DecodeErrorKind, DecodeOwned, Encode, Reader};
pub use worldtube_lib::raw_def::{Lifecycle, RawIndexAlgorithm, TableAccess, TableType};
pub use worldtube_lib::{i256, u256, ScheduleAt};

#[cfg(not(target_arch = "wasm32"))]
pub use crate::rt::native_preinit;
#[cfg(not(target_arch = "wasm32"))]
pub use linkme;

/// The describer list natively (a link-time distributed slice).
#[cfg(not(target_arch = "wasm32"))]
pub use crate::rt::describe_registry::DESCRIBERS;

/// Called by each `__preinit__20_register_describer_*` export on wasm32.
#[cfg(target_arch = "wasm32")]
pub use crate::rt::describe_registry::push as push_describer;

/// Registers a describer under `symbol`: on wasm32 an exported `__preinit__` function the host
/// calls at start-up, natively an entry in a link-time list.
#[doc(hidden)]
#[macro_export]
macro_rules! __register_describer {
    ($k:path, $symbol:literal, $describe:ident) => {
        #[cfg(target_arch = "wasm32")]
        #[export_name = $symbol]
        extern "C" fn __worldtube_preinit() {
            // A static, so that each export passes one address instead of building the struct.
            static DESCRIBER: $crate::__private::Describer = $crate::__private::Describer::new($symbol, $describe);
            $crate::__private::push_describer(&DESCRIBER);
        }
        #[cfg(not(target_arch = "wasm32"))]
        #[$crate::__private::linkme::distributed_slice($crate::__private::DESCRIBERS)]
        #[linkme(crate = $crate::__private::linkme)]
        static __WORLDTUBE_DESCRIBER: $crate::__private::Describer =
            $crate::__private::Describer::new($symbol, $describe);
    };
}
pub use crate::__register_describer as register_describer;

/// Registers the describer of a 2.x item (feature `v2`), like `register_describer!`.
#[cfg(feature = "v2")]
#[doc(hidden)]
#[macro_export]
macro_rules! __register_describer_v10 {
    ($k:path, $symbol:literal, $describe:ident) => {
        #[cfg(target_arch = "wasm32")]
        #[export_name = $symbol]
        extern "C" fn __worldtube_preinit() {
            // A static, so that each export passes one address instead of building the struct.
            static DESCRIBER: $crate::__private::Describer = $crate::__private::Describer::new_v10($symbol, $describe);
            $crate::__private::push_describer(&DESCRIBER);
        }
        #[cfg(not(target_arch = "wasm32"))]
        #[$crate::__private::linkme::distributed_slice($crate::__private::DESCRIBERS)]
        #[linkme(crate = $crate::__private::linkme)]
        static __WORLDTUBE_DESCRIBER: $crate::__private::Describer =
            $crate::__private::Describer::new_v10($symbol, $describe);
    };
}
#[cfg(feature = "v2")]
pub use crate::__register_describer_v10 as register_describer_v10;
#[cfg(feature = "v2")]
pub use worldtube_lib::raw_def::v10::{CaseConversionPolicy, ExplicitNames};
#[cfg(feature = "v2")]
pub use worldtube_lib::raw_def::RawTableDefBuilderV10;

pub use crate::rt::ReducerInfo;
#[cfg(feature = "v2")]
pub use crate::rt::ViewFn;
#[cfg(feature = "v2")]
pub use crate::view::{ViewContextArg, ViewReturn};

/// Checked at compile time for a view's `primary_key = column`: the column must be of a type
/// that can key an index lookup.
#[cfg(feature = "v2")]
pub fn assert_view_primary_key<T: ViewPrimaryKeyColumnCheck>(_: &T) {}

/// [`crate::ViewPrimaryKeyColumn`], with the diagnostic a wrong primary key column gets.
#[cfg(feature = "v2")]
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a view's primary key",
    label = "the `primary_key` of a view must be a column of a type that can key an index lookup",
    note = "key types are integers, `bool`, `String`, `Identity`, `ConnectionId`, `Uuid` and enums without payloads"
)]
pub trait ViewPrimaryKeyColumnCheck {}
#[cfg(feature = "v2")]
impl<T: crate::ViewPrimaryKeyColumn> ViewPrimaryKeyColumnCheck for T {}

/// What a reducer function may return.
#[diagnostic::on_unimplemented(
    message = "a reducer must return `()` or `Result<(), E>` where `E: Display`, not `{Self}`",
    label = "unsupported return type"
)]
pub trait IntoReducerResult {
    /// The outcome: `Ok`, or the error's message.
    fn into_reducer_result(self) -> ReducerResult;
}
impl IntoReducerResult for () {
    #[inline]
    fn into_reducer_result(self) -> ReducerResult {
        Ok(())
    }
}
impl<E: std::fmt::Display> IntoReducerResult for Result<(), E> {
    #[inline]
    fn into_reducer_result(self) -> ReducerResult {
        self.map_err(|e| e.to_string().into_boxed_str())
    }
}

// The argument readers are generic in the argument's type and run in every entry point; their
// error paths are out of line and not generic, so each instance carries a call, not its own copy
// of the message's formatting.

/// Decodes reducer argument `arg` of `reducer`.
#[inline]
pub fn decode_arg<'de, T: Decode<'de>>(r: &mut Reader<'de>, reducer: &str, arg: &str) -> Result<T, Box<str>> {
    T::decode(r).map_err(|e| invalid_arg(reducer, arg, e))
}

/// "invalid argument `{arg}` for reducer `{reducer}`: {e}".
#[cold]
#[inline(never)]
fn invalid_arg(reducer: &str, arg: &str, e: DecodeError) -> Box<str> {
    format!("invalid argument `{arg}` for reducer `{reducer}`: {e}").into()
}

/// Decodes procedure argument `arg` of `procedure`.
///
/// # Panics
/// If the bytes are not a value of `T` (the host traps the call).
#[inline]
pub fn decode_procedure_arg<'de, T: Decode<'de>>(r: &mut Reader<'de>, procedure: &str, arg: &str) -> T {
    T::decode(r).unwrap_or_else(|e| invalid_procedure_arg(procedure, arg, e))
}

/// Panics with "invalid argument `{arg}` for procedure `{procedure}`: {e}".
#[cold]
#[inline(never)]
fn invalid_procedure_arg(procedure: &str, arg: &str, e: DecodeError) -> ! {
    panic!("invalid argument `{arg}` for procedure `{procedure}`: {e}")
}

/// Panics if bytes are left after the last argument of `procedure`.
pub fn finish_procedure_args(r: &Reader<'_>, procedure: &str) {
    if let Err(e) = r.finish() {
        panic!("invalid arguments for procedure `{procedure}`: {e}")
    }
}

/// Fails if bytes are left after the last argument of `reducer`.
pub fn finish_args(r: &Reader<'_>, reducer: &str) -> Result<(), Box<str>> {
    r.finish().map_err(|e| format!("invalid arguments for reducer `{reducer}`: {e}").into())
}

/// Decodes one generated `auto_inc` value written back by the host.
///
/// # Panics
/// If the host wrote back fewer or other bytes than the row's zero `auto_inc` columns need.
#[inline]
pub fn decode_generated<T: crate::DeserializeOwned>(r: &mut Reader<'_>, table: &str, column: &str) -> T {
    T::decode(r).unwrap_or_else(|e| invalid_generated(table, column, e))
}

/// Panics with "the host's generated value for `{table}.{column}` is invalid: {e}".
#[cold]
#[inline(never)]
fn invalid_generated(table: &str, column: &str, e: DecodeError) -> ! {
    panic!("the host's generated value for `{table}.{column}` is invalid: {e}")
}

/// The error for a sum tag that names no variant.
pub fn invalid_tag(at: usize, sum: &str, tag: u8, variants: usize) -> DecodeError {
    DecodeError::new(at, DecodeErrorKind::InvalidTag { sum: sum.into(), tag, variants })
}

/// The column types a sequence (`auto_inc`) can fill.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be `#[auto_inc]`",
    label = "auto_inc columns must be integers",
    note = "sequences generate integer values: use u8..u128, i8..i128, u256 or i256"
)]
pub trait SequenceValue {
    /// Whether this is the zero that asks the host to generate a value.
    fn is_zero(&self) -> bool;
}
macro_rules! sequence_value {
    ($($t:ty),*) => {$(
        impl SequenceValue for $t {
            #[inline]
            fn is_zero(&self) -> bool { *self == <$t>::default() }
        }
    )*};
}
sequence_value!(u8, u16, u32, u64, u128, i8, i16, i32, i64, i128, u256, i256);

/// The column types a direct index can key.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot key a direct index",
    label = "direct indexes need u8, u16, u32, u64 or an enum without payloads",
    note = "use a btree index for other types: `#[index(btree)]`"
)]
pub trait DirectIndexKey {}
impl DirectIndexKey for u8 {}
impl DirectIndexKey for u16 {}
impl DirectIndexKey for u32 {}
impl DirectIndexKey for u64 {}

/// Checked at compile time for `auto_inc` columns.
pub const fn assert_sequence_column<T: SequenceValue>() {}
/// Checked at compile time for direct index columns.
pub const fn assert_direct_key<T: DirectIndexKey>() {}

/// The at-column of a scheduled table must be a `ScheduleAt`.
#[diagnostic::on_unimplemented(
    message = "the scheduled-at column must be a `ScheduleAt`, not `{Self}`",
    label = "scheduled tables need a `scheduled_at: ScheduleAt` column (or name another with `at = column`)"
)]
pub trait IsScheduleAt {}
impl IsScheduleAt for ScheduleAt {}
/// Checked at compile time for scheduled tables.
pub const fn assert_schedule_at<T: IsScheduleAt>() {}

/// The primary key of a scheduled table must be a `u64`.
#[diagnostic::on_unimplemented(
    message = "the primary key of a scheduled table must be `u64`, not `{Self}`",
    label = "use `#[primary_key] #[auto_inc] scheduled_id: u64`"
)]
pub trait IsU64 {}
impl IsU64 for u64 {}
/// Checked at compile time for scheduled tables.
pub const fn assert_u64_primary_key<T: IsU64>() {}

/// A scheduled table's reducer must take exactly the row.
#[diagnostic::on_unimplemented(
    message = "reducer `{Self}` cannot be scheduled by a table of `{Row}`",
    label = "a scheduled reducer takes the context and one argument: the scheduled table's row",
    note = "declare it as `fn {Self}(ctx: &ReducerContext, arg: {Row})`"
)]
pub trait ScheduledReducer<Row> {}
impl<R: ReducerInfo<Args = (Row,)>, Row> ScheduledReducer<Row> for R {}
/// Checked at compile time for scheduled tables.
pub const fn assert_scheduled_reducer<R: ScheduledReducer<Row>, Row>() {}

/// Queues a reducer call outside the current transaction (`volatile_nonatomic_schedule_immediate!`).
#[cfg(feature = "unstable")]
pub fn schedule_immediate<R: ReducerInfo<Args = A>, A: Encode>(args: &A) {
    crate::sys::volatile_nonatomic_schedule_immediate(R::NAME, &worldtube_lib::bsatn::to_vec(args));
}

/// The first parameter of an HTTP handler.
#[cfg(feature = "v2")]
#[diagnostic::on_unimplemented(
    message = "the first parameter of an HTTP handler must be `&mut HandlerContext`, not `{Self}`",
    label = "not `&mut HandlerContext`"
)]
pub trait HttpHandlerContextArg<'a> {
    /// The handler's argument made from the context the host gave.
    fn from_context(ctx: &'a mut crate::http::HandlerContext) -> Self;
}
#[cfg(feature = "v2")]
impl<'a> HttpHandlerContextArg<'a> for &'a mut crate::http::HandlerContext {
    fn from_context(ctx: &'a mut crate::http::HandlerContext) -> Self {
        ctx
    }
}

/// The second parameter of an HTTP handler.
#[cfg(feature = "v2")]
#[diagnostic::on_unimplemented(
    message = "the second parameter of an HTTP handler must be `spacetimedb::http::Request`, not `{Self}`",
    label = "not `Request`"
)]
pub trait HttpHandlerRequestArg {
    /// The handler's argument made from the request.
    fn from_request(request: crate::http::Request) -> Self;
}
#[cfg(feature = "v2")]
impl HttpHandlerRequestArg for crate::http::Request {
    fn from_request(request: crate::http::Request) -> Self {
        request
    }
}

/// The return type of an HTTP handler.
#[cfg(feature = "v2")]
#[diagnostic::on_unimplemented(
    message = "an HTTP handler must return `spacetimedb::http::Response`, not `{Self}`",
    label = "not `Response`"
)]
pub trait HttpHandlerReturn {
    /// The response the handler's value is.
    fn into_response(self) -> crate::http::Response;
}
#[cfg(feature = "v2")]
impl HttpHandlerReturn for crate::http::Response {
    fn into_response(self) -> crate::http::Response {
        self
    }
}

/// Calls HTTP handler `f`, whose parameter and return types the macro names as `C`, `Q` and `R`
/// (spanned at the handler's own types): a handler with other types fails one bound here, with
/// one message at the type to change, and nothing else fails with it.
#[cfg(feature = "v2")]
pub fn invoke_http_handler<'a, C: HttpHandlerContextArg<'a>, Q: HttpHandlerRequestArg, R: HttpHandlerReturn>(
    f: impl FnOnce(C, Q) -> R,
    ctx: &'a mut crate::http::HandlerContext,
    request: crate::http::Request,
) -> crate::http::Response {
    f(C::from_context(ctx), Q::from_request(request)).into_response()
}
