//! The Rust types of the table's kinds, each mapping written once: [`slot_type!`](crate::slot_type)
//! (wasm parameter), [`result_type!`](crate::result_type) (raw result), and the host-side types
//! of parameters and results used by the [`Host`](crate::Host) traits and [`Call`](crate::Call).
//! [`SlotKind::rust_type`](crate::SlotKind::rust_type) and
//! [`ResultKind::rust_type`](crate::ResultKind::rust_type) name these same types.

/// The Rust type of a raw import parameter of [`SlotKind`](crate::SlotKind) `$kind`, as a module
/// declares it in its `extern` block (wasm32: pointers and `usize` are 32 bits).
///
/// ```
/// let cell: worldtube_abi::slot_type!(LenPtr) = std::ptr::null_mut::<usize>();
/// # let _ = cell;
/// ```
#[macro_export]
macro_rules! slot_type {
    (U32) => { u32 };
    (U64) => { u64 };
    (I64) => { i64 };
    (Ptr) => { *const u8 };
    (MutPtr) => { *mut u8 };
    (Len) => { usize };
    (LenPtr) => { *mut usize };
    (U32Ptr) => { *mut u32 };
    (U64Ptr) => { *mut u64 };
    (I64Ptr) => { *mut i64 };
    (IdentityPtr) => { *mut [u8; 32] };
    (SourcePairPtr) => { *mut [u32; 2] };
}

/// The Rust type of a raw import result of [`ResultKind`](crate::ResultKind) `$kind`.
///
/// ```
/// let status: worldtube_abi::result_type!(StatusOrExhausted) = -1i16;
/// # let _ = status;
/// ```
#[macro_export]
macro_rules! result_type {
    (Status) => {
        u16
    };
    (StatusOrExhausted) => {
        i16
    };
    (SignedStatus) => {
        i16
    };
    (ValueU32) => {
        u32
    };
    (ValueI64) => {
        i64
    };
    (Unit) => {
        ()
    };
    (Lenient) => {
        ()
    };
}

/// The type a [`Host`](crate::Host) method takes for a parameter of
/// [`ParamKind`](crate::ParamKind) `$kind`, borrowing for `$lt`. Output kinds the host does not
/// see (`OutU32`, `OutU64`, `OutI64`, `OutIdentity`, `OutHttpSources`) have none: their value is the method's result.
#[doc(hidden)]
#[macro_export]
macro_rules! __host_arg_type {
    ($lt:lifetime Value) => { u32 };
    ($lt:lifetime ValueI64) => { i64 };
    ($lt:lifetime ConnectionId) => { [u8; 16] };
    ($lt:lifetime OptLine) => { ::std::option::Option<u32> };
    ($lt:lifetime Str) => { &$lt str };
    ($lt:lifetime LossyStr) => { &$lt str };
    ($lt:lifetime OptLossyStr) => { ::std::option::Option<&$lt str> };
    ($lt:lifetime Bytes) => { &$lt [u8] };
    ($lt:lifetime IndexPrefix) => { $crate::IndexPrefix<$lt> };
    ($lt:lifetime RowWriteBack) => { &$lt [u8] };
    ($lt:lifetime DrainBuffer) => { &$lt [u8] };
    ($lt:lifetime FillBuffer) => { &$lt mut [u8] };
}

/// The full return type of a [`Host`](crate::Host) method: imports with a status can return an
/// errno ([`HostResult`](crate::HostResult)), the others can only trap.
#[doc(hidden)]
#[macro_export]
macro_rules! __host_return_type {
    (Status $ok:ty) => { $crate::HostResult<$ok> };
    (StatusOrExhausted $ok:ty) => { $crate::HostResult<$ok> };
    (SignedStatus $ok:ty) => { $crate::HostResult<$ok> };
    (ValueU32 $ok:ty) => { ::std::result::Result<$ok, $crate::Trap> };
    (ValueI64 $ok:ty) => { ::std::result::Result<$ok, $crate::Trap> };
    (Unit $ok:ty) => { ::std::result::Result<$ok, $crate::Trap> };
    (Lenient $ok:ty) => { ::std::result::Result<$ok, $crate::Trap> };
}

/// A raw parameter type (what [`slot_type!`](crate::slot_type) names) and what the
/// [`glue`](crate::glue) takes for it: plain values stay as they are, addresses and lengths become
/// the [`Memory`](crate::Memory)'s word (`u32` offsets in a wasm memory, `usize` addresses in
/// process memory).
pub trait RawParam: Copy {
    /// The glue's type for this parameter over a memory whose word is `W`.
    type Glue<W>;

    /// This value as the glue takes it over process memory (a pointer becomes its address).
    fn into_native(self) -> Self::Glue<usize>;
}

impl RawParam for u32 {
    type Glue<W> = u32;

    fn into_native(self) -> u32 {
        self
    }
}

impl RawParam for u64 {
    type Glue<W> = u64;

    fn into_native(self) -> u64 {
        self
    }
}

impl RawParam for i64 {
    type Glue<W> = i64;

    fn into_native(self) -> i64 {
        self
    }
}

impl RawParam for usize {
    type Glue<W> = W;

    fn into_native(self) -> usize {
        self
    }
}

impl<T> RawParam for *const T {
    type Glue<W> = W;

    fn into_native(self) -> usize {
        self as usize
    }
}

impl<T> RawParam for *mut T {
    type Glue<W> = W;

    fn into_native(self) -> usize {
        self as usize
    }
}
