//! [`Memory`]: how the glue reaches the module's memory, whatever the host is.

use crate::Trap;

/// The integer a host sees for pointers and lengths: `u32` for wasm32 linear memory, `usize`
/// for native process memory (worldtube-sys's in-process stand-in).
///
/// A length *cell* (the target of a `*_len_ptr`) holds one `Word`, little-endian.
pub trait Word: Copy + Eq + std::fmt::Debug {
    /// Size in bytes of a length cell.
    const SIZE: usize;

    /// Whether this pointer is NULL (address 0).
    fn is_null(self) -> bool;

    /// The value as a length; traps if it does not fit this machine's `usize`.
    fn to_usize(self) -> Result<usize, Trap>;

    /// A length as a `Word`; traps if it does not fit.
    fn from_usize(value: usize) -> Result<Self, Trap>;

    /// Decodes a length cell (`bytes.len() == SIZE`).
    fn load(bytes: &[u8]) -> Self;

    /// Encodes into a length cell (`out.len() == SIZE`).
    fn store(self, out: &mut [u8]);
}

impl Word for u32 {
    const SIZE: usize = 4;

    fn is_null(self) -> bool {
        self == 0
    }

    fn to_usize(self) -> Result<usize, Trap> {
        usize::try_from(self).map_err(|_| Trap::new("a wasm32 length does not fit in usize"))
    }

    fn from_usize(value: usize) -> Result<Self, Trap> {
        u32::try_from(value).map_err(|_| Trap::new("a length does not fit in a wasm32 word"))
    }

    fn load(bytes: &[u8]) -> Self {
        let mut cell = [0u8; 4];
        cell.copy_from_slice(bytes);
        u32::from_le_bytes(cell)
    }

    fn store(self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_le_bytes());
    }
}

impl Word for usize {
    const SIZE: usize = std::mem::size_of::<usize>();

    fn is_null(self) -> bool {
        self == 0
    }

    fn to_usize(self) -> Result<usize, Trap> {
        Ok(self)
    }

    fn from_usize(value: usize) -> Result<Self, Trap> {
        Ok(value)
    }

    fn load(bytes: &[u8]) -> Self {
        let mut cell = [0u8; std::mem::size_of::<usize>()];
        cell.copy_from_slice(bytes);
        usize::from_le_bytes(cell)
    }

    fn store(self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_le_bytes());
    }
}

/// Bounds-checked access to the module's memory.
///
/// Implementations only check bounds; the glue rejects NULL pointers itself before calling
/// them, so every host gets the same NULL rules (including the documented exceptions).
pub trait Memory {
    /// Pointer/length integer type of this memory.
    type Word: Word;

    /// The `len` bytes at `ptr`; traps if any of them is outside the memory.
    fn read(&self, ptr: Self::Word, len: usize) -> Result<&[u8], Trap>;

    /// The `len` bytes at `ptr`, writable; traps if any of them is outside the memory.
    fn read_mut(&mut self, ptr: Self::Word, len: usize) -> Result<&mut [u8], Trap>;

    /// Copies `data` to `ptr`; traps if it does not fit.
    fn write(&mut self, ptr: Self::Word, data: &[u8]) -> Result<(), Trap> {
        self.read_mut(ptr, data.len())?.copy_from_slice(data);
        Ok(())
    }
}

/// A wasm32 linear memory seen as one byte slice (what a wasm engine hands out for a memory
/// export, e.g. wasmi's `Memory::data_mut`): pointers are offsets into it.
impl Memory for [u8] {
    type Word = u32;

    fn read(&self, ptr: u32, len: usize) -> Result<&[u8], Trap> {
        let range = linear_range(self.len(), ptr, len)?;
        Ok(&self[range])
    }

    fn read_mut(&mut self, ptr: u32, len: usize) -> Result<&mut [u8], Trap> {
        let range = linear_range(self.len(), ptr, len)?;
        Ok(&mut self[range])
    }
}

fn linear_range(size: usize, ptr: u32, len: usize) -> Result<std::ops::Range<usize>, Trap> {
    let start = ptr.to_usize()?;
    match start.checked_add(len) {
        Some(end) if end <= size => Ok(start..end),
        _ => Err(Trap::new(format!("out-of-bounds memory access: {len} bytes at {ptr:#x} in a {size}-byte memory"))),
    }
}
