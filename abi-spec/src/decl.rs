//! The shapes of the declaration data: what one import, parameter or export looks like.

use crate::{AbiVersion, Errno};

/// A wasm value type that appears in the signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WasmType {
    /// 32-bit integer: pointers, lengths, ids, `u32`/`u16`/`i16` values.
    I32,
    /// 64-bit integer: `u64`/`i64` values.
    I64,
}

impl WasmType {
    /// The name used in wasm text format (`i32`, `i64`).
    pub const fn name(self) -> &'static str {
        match self {
            WasmType::I32 => "i32",
            WasmType::I64 => "i64",
        }
    }
}

/// What a single wasm-level parameter carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SlotKind {
    /// A plain `u32` value (id, handle, level, count).
    U32,
    /// A plain `u64` value.
    U64,
    /// A plain `i64` value.
    I64,
    /// Pointer to bytes the host only reads.
    Ptr,
    /// Pointer to bytes the host may overwrite.
    MutPtr,
    /// A byte length.
    Len,
    /// Pointer to a length cell (`u32` on wasm32) the host reads and overwrites.
    LenPtr,
    /// Pointer to a `u32` the host writes, little-endian.
    U32Ptr,
    /// Pointer to a `u64` the host writes, little-endian.
    U64Ptr,
    /// Pointer to an `i64` the host writes, little-endian.
    I64Ptr,
    /// Pointer to 32 bytes the host writes (an identity, little-endian).
    IdentityPtr,
    /// Pointer to two `u32` handles (8 bytes) the host writes, little-endian.
    SourcePairPtr,
}

impl SlotKind {
    /// The wasm type of this parameter on wasm32.
    pub const fn wasm_type(self) -> WasmType {
        match self {
            SlotKind::U64 | SlotKind::I64 => WasmType::I64,
            _ => WasmType::I32,
        }
    }

    /// The name of the Rust type a module declares for this parameter in its `extern` block:
    /// the type [`slot_type!`](crate::slot_type) gives (e.g. `*const u8` for `Ptr`).
    pub fn rust_type(self) -> &'static str {
        use std::any::type_name;
        match self {
            SlotKind::U32 => type_name::<crate::slot_type!(U32)>(),
            SlotKind::U64 => type_name::<crate::slot_type!(U64)>(),
            SlotKind::I64 => type_name::<crate::slot_type!(I64)>(),
            SlotKind::Ptr => type_name::<crate::slot_type!(Ptr)>(),
            SlotKind::MutPtr => type_name::<crate::slot_type!(MutPtr)>(),
            SlotKind::Len => type_name::<crate::slot_type!(Len)>(),
            SlotKind::LenPtr => type_name::<crate::slot_type!(LenPtr)>(),
            SlotKind::U32Ptr => type_name::<crate::slot_type!(U32Ptr)>(),
            SlotKind::U64Ptr => type_name::<crate::slot_type!(U64Ptr)>(),
            SlotKind::I64Ptr => type_name::<crate::slot_type!(I64Ptr)>(),
            SlotKind::IdentityPtr => type_name::<crate::slot_type!(IdentityPtr)>(),
            SlotKind::SourcePairPtr => type_name::<crate::slot_type!(SourcePairPtr)>(),
        }
    }

    /// Whether the value is a pointer into module memory.
    pub const fn is_pointer(self) -> bool {
        !matches!(self, SlotKind::U32 | SlotKind::U64 | SlotKind::I64 | SlotKind::Len)
    }
}

/// One wasm-level parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WasmParam {
    /// Parameter name (as in the spec and in worldtube-sys's `raw` functions).
    pub name: &'static str,
    /// What it carries.
    pub slot: SlotKind,
}

/// How a logical parameter (one or more wasm parameters) is interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamKind {
    /// `u32`: a plain value.
    Value,
    /// `i64`: a plain signed 64-bit value (e.g. a time in microseconds since the Unix epoch).
    ValueI64,
    /// `ptr`: the address of a 16-byte `ConnectionId`, little-endian, that the host reads; NULL
    /// or out-of-bounds traps.
    ConnectionId,
    /// `(ptr, len)`: a UTF-8 string; NULL, out-of-bounds or invalid UTF-8 traps.
    Str,
    /// `(ptr, len)`: a string decoded lossily (invalid UTF-8 becomes U+FFFD); NULL traps.
    LossyStr,
    /// `(ptr, len)`: like `LossyStr`, but `ptr == 0` means "absent" and does not trap.
    OptLossyStr,
    /// `u32`: a line number where `u32::MAX` means "absent".
    OptLine,
    /// `(ptr, len)`: bytes the host reads; NULL traps even when `len == 0`.
    Bytes,
    /// `(ptr, len, elems)`: BSATN of the first `elems` index key columns. `elems` is a
    /// column count and traps above `u16::MAX`; when it is 0 the pointer and length are ignored.
    IndexPrefix,
    /// `out`: the host writes a `u32` there on success.
    OutU32,
    /// `out`: the host writes a `u64` there on success.
    OutU64,
    /// `out`: the host writes an `i64` there on success.
    OutI64,
    /// `out`: the host writes 32 identity bytes there.
    OutIdentity,
    /// `(ptr, len_ptr)`: on entry `*len_ptr` bytes of a BSATN row; on success the host
    /// overwrites the buffer with the generated column values and `*len_ptr` with their length.
    RowWriteBack,
    /// `(ptr, len_ptr)`: a buffer of capacity `*len_ptr` the host fills; it writes the number
    /// of bytes produced (or, on `BUFFER_TOO_SMALL`, the size needed) to `*len_ptr`.
    FillBuffer,
    /// `(ptr, len_ptr)`: `*len_ptr` bytes the host consumes; on success it writes the number
    /// of bytes consumed to `*len_ptr`.
    DrainBuffer,
    /// `out`: two `BytesSource` handles. On success the host writes both (the response, then its
    /// body); when the call fails with `HTTP_ERROR` it writes only the first (a source holding the
    /// error); with any other errno it writes nothing.
    OutHttpSources,
}

impl ParamKind {
    /// Short name used in the spec and abi.json.
    pub const fn name(self) -> &'static str {
        match self {
            ParamKind::Value => "value",
            ParamKind::ValueI64 => "value_i64",
            ParamKind::ConnectionId => "connection_id",
            ParamKind::Str => "str",
            ParamKind::LossyStr => "lossy_str",
            ParamKind::OptLossyStr => "optional_lossy_str",
            ParamKind::OptLine => "optional_line",
            ParamKind::Bytes => "bytes",
            ParamKind::IndexPrefix => "index_prefix",
            ParamKind::OutU32 => "out_u32",
            ParamKind::OutU64 => "out_u64",
            ParamKind::OutI64 => "out_i64",
            ParamKind::OutIdentity => "out_identity",
            ParamKind::RowWriteBack => "row_write_back",
            ParamKind::FillBuffer => "fill_buffer",
            ParamKind::DrainBuffer => "drain_buffer",
            ParamKind::OutHttpSources => "out_http_sources",
        }
    }

    /// `"in"`, `"out"` (host writes only) or `"in/out"` (host reads a length or data, then
    /// writes back).
    pub const fn direction(self) -> &'static str {
        match self {
            ParamKind::OutU32
            | ParamKind::OutU64
            | ParamKind::OutI64
            | ParamKind::OutIdentity
            | ParamKind::OutHttpSources => "out",
            ParamKind::RowWriteBack | ParamKind::FillBuffer | ParamKind::DrainBuffer => "in/out",
            _ => "in",
        }
    }

    /// Whether the host writes through this parameter.
    pub const fn is_output(self) -> bool {
        matches!(
            self,
            ParamKind::OutU32
                | ParamKind::OutU64
                | ParamKind::OutI64
                | ParamKind::OutIdentity
                | ParamKind::OutHttpSources
                | ParamKind::RowWriteBack
                | ParamKind::FillBuffer
                | ParamKind::DrainBuffer
        )
    }
}

/// One logical parameter of an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamDecl {
    /// Logical name.
    pub name: &'static str,
    /// Interpretation.
    pub kind: ParamKind,
    /// What it means.
    pub doc: &'static str,
    /// The wasm parameters it occupies, in order.
    pub wasm: &'static [WasmParam],
}

/// What an import returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResultKind {
    /// `i32` holding a `u16`: 0 on success, otherwise an errno.
    Status,
    /// `i32` holding an `i16`: 0 = more data remains, -1 = exhausted (handle destroyed), any
    /// positive value = an errno.
    StatusOrExhausted,
    /// `i32` holding an `i16`: 0 on success, otherwise an errno (never negative).
    SignedStatus,
    /// `i32` holding a `u32` value; the call cannot fail with an errno.
    ValueU32,
    /// `i64` value; the call cannot fail with an errno.
    ValueI64,
    /// No result; the call cannot fail with an errno.
    Unit,
    /// No result, and nothing the module passes can make it fail: an argument the host cannot
    /// read (a NULL or out-of-bounds pointer) makes the host ignore the call instead of trapping,
    /// as the SpacetimeDB servers do for `console_log`.
    Lenient,
}

impl ResultKind {
    /// The wasm result type, if any.
    pub const fn wasm_type(self) -> Option<WasmType> {
        match self {
            ResultKind::Unit | ResultKind::Lenient => None,
            ResultKind::ValueI64 => Some(WasmType::I64),
            _ => Some(WasmType::I32),
        }
    }

    /// Short name used in the spec and abi.json.
    pub const fn name(self) -> &'static str {
        match self {
            ResultKind::Status => "status",
            ResultKind::StatusOrExhausted => "status_or_exhausted",
            ResultKind::SignedStatus => "signed_status",
            ResultKind::ValueU32 => "u32",
            ResultKind::ValueI64 => "i64",
            ResultKind::Unit => "none",
            ResultKind::Lenient => "none_lenient",
        }
    }

    /// The name of the Rust return type of the import in an `extern` block: the type
    /// [`result_type!`](crate::result_type) gives (e.g. `u16` for `Status`).
    pub fn rust_type(self) -> &'static str {
        use std::any::type_name;
        match self {
            ResultKind::Status => type_name::<crate::result_type!(Status)>(),
            ResultKind::StatusOrExhausted => type_name::<crate::result_type!(StatusOrExhausted)>(),
            ResultKind::SignedStatus => type_name::<crate::result_type!(SignedStatus)>(),
            ResultKind::ValueU32 => type_name::<crate::result_type!(ValueU32)>(),
            ResultKind::ValueI64 => type_name::<crate::result_type!(ValueI64)>(),
            ResultKind::Unit => type_name::<crate::result_type!(Unit)>(),
            ResultKind::Lenient => type_name::<crate::result_type!(Lenient)>(),
        }
    }
}

/// An errno an import can return, and in which situation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrnoUse {
    /// The code.
    pub errno: Errno,
    /// When the host returns it.
    pub when: &'static str,
}

/// One import of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportDecl {
    /// Import field name.
    pub name: &'static str,
    /// Import module name, `spacetime_MAJOR.MINOR`: the ABI version that introduced the import. A
    /// module that imports it needs a host that provides this version (or a later minor).
    pub module: &'static str,
    /// The ABI version of [`module`](ImportDecl::module).
    pub version: AbiVersion,
    /// The [`Host`](crate::Host) method that implements it.
    pub host_method: &'static str,
    /// What the call does.
    pub doc: &'static str,
    /// Logical parameters in wasm order (inputs first, then the output, if any).
    pub params: &'static [ParamDecl],
    /// What it returns.
    pub result: ResultKind,
    /// Errnos it can return.
    pub errnos: &'static [ErrnoUse],
    /// Situations in which the host aborts the instance instead of returning.
    pub traps: &'static [&'static str],
    /// Who owns which buffer, and for how long.
    pub ownership: &'static str,
    /// For a deprecated alias, the import whose behaviour it shares.
    pub deprecated_alias_of: Option<&'static str>,
}

impl ImportDecl {
    /// The flat wasm parameter list.
    pub fn wasm_params(&self) -> impl Iterator<Item = &'static WasmParam> + '_ {
        self.params.iter().flat_map(|param| param.wasm.iter())
    }

    /// The wasm parameter types, in order.
    pub fn wasm_param_types(&self) -> Vec<WasmType> {
        self.wasm_params().map(|param| param.slot.wasm_type()).collect()
    }

    /// The wasm result types (empty, or one `i32` or `i64`).
    pub fn wasm_result_types(&self) -> Vec<WasmType> {
        self.result.wasm_type().into_iter().collect()
    }

    /// The signature in wasm text style, e.g. `(i32, i32, i32) -> i32`.
    pub fn wasm_signature(&self) -> String {
        let params: Vec<&str> = self.wasm_params().map(|p| p.slot.wasm_type().name()).collect();
        let result = self.result.wasm_type().map_or("()", WasmType::name);
        format!("({}) -> {}", params.join(", "), result)
    }
}

/// Whether an export is memory or a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportKind {
    /// A linear memory.
    Memory,
    /// A function.
    Function,
}

/// One parameter of an exported function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportParam {
    /// Name used in the spec.
    pub name: &'static str,
    /// Wasm type.
    pub ty: WasmType,
    /// Meaning.
    pub doc: &'static str,
}

/// Something the module exports for the host to call or use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportDecl {
    /// Export name, or the name prefix when [`ExportDecl::is_prefix`] is set.
    pub name: &'static str,
    /// Whether any export whose name starts with `name` matches (e.g. `__preinit__*`).
    pub is_prefix: bool,
    /// Memory or function.
    pub kind: ExportKind,
    /// Whether the host rejects a module without it.
    pub required: bool,
    /// Whether its signature is still changing between servers (the official crate has it
    /// behind its `unstable` feature): a module exporting it with another signature is not
    /// refused; the host just cannot call it.
    pub unstable: bool,
    /// The ABI version of the first hosts that call it: a module that exports it for the host to
    /// call needs a host that provides this version (or a later minor).
    pub version: AbiVersion,
    /// Function parameters (empty for memory).
    pub params: &'static [ExportParam],
    /// Function results (empty for memory).
    pub results: &'static [WasmType],
    /// When the host calls it and what it must do.
    pub doc: &'static str,
    /// Meaning of the return value, if any.
    pub returns: &'static str,
}

impl ExportDecl {
    /// The signature in wasm text style, or `memory`.
    pub fn wasm_signature(&self) -> String {
        match self.kind {
            ExportKind::Memory => "memory".to_owned(),
            ExportKind::Function => {
                let params: Vec<&str> = self.params.iter().map(|p| p.ty.name()).collect();
                let results: Vec<&str> = self.results.iter().map(|t| t.name()).collect();
                let result = match results.len() {
                    0 => "()".to_owned(),
                    _ => results.join(", "),
                };
                format!("({}) -> {}", params.join(", "), result)
            }
        }
    }
}
