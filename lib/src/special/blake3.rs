//! BLAKE3 (the 32-byte default hash, unkeyed), for
//! [`Identity::from_claims`](super::Identity::from_claims). Small and dependency-free, as
//! [`keccak`](super::keccak) is: the `blake3` crate brings a C build (`cc`) and four more crates
//! into every 2.x module's clean build for two hashes of a few dozen bytes. Portable and
//! one-shot: the tree of chunks is walked recursively, which for the inputs this hashes is a
//! single chunk. Checked against the `blake3` crate (a dev-dependency) below.

/// The initial chaining value (SHA-256's IV).
const IV: [u32; 8] = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19];
/// The message word permutation applied between rounds.
const MSG_PERMUTATION: [usize; 16] = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
const BLOCK_LEN: usize = 64;
const CHUNK_LEN: usize = 1024;
const CHUNK_START: u32 = 1 << 0;
const CHUNK_END: u32 = 1 << 1;
const PARENT: u32 = 1 << 2;
const ROOT: u32 = 1 << 3;

/// The quarter-round on columns and diagonals.
#[allow(clippy::too_many_arguments)]
fn g(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize, mx: u32, my: u32) {
    s[a] = s[a].wrapping_add(s[b]).wrapping_add(mx);
    s[d] = (s[d] ^ s[a]).rotate_right(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_right(12);
    s[a] = s[a].wrapping_add(s[b]).wrapping_add(my);
    s[d] = (s[d] ^ s[a]).rotate_right(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_right(7);
}

/// The compression function: seven rounds over one 64-byte block.
fn compress(cv: &[u32; 8], block: &[u32; 16], counter: u64, block_len: u32, flags: u32) -> [u32; 16] {
    #[rustfmt::skip]
    let mut s = [
        cv[0], cv[1], cv[2], cv[3], cv[4], cv[5], cv[6], cv[7],
        IV[0], IV[1], IV[2], IV[3], counter as u32, (counter >> 32) as u32, block_len, flags,
    ];
    let mut m = *block;
    for round in 0..7 {
        g(&mut s, 0, 4, 8, 12, m[0], m[1]);
        g(&mut s, 1, 5, 9, 13, m[2], m[3]);
        g(&mut s, 2, 6, 10, 14, m[4], m[5]);
        g(&mut s, 3, 7, 11, 15, m[6], m[7]);
        g(&mut s, 0, 5, 10, 15, m[8], m[9]);
        g(&mut s, 1, 6, 11, 12, m[10], m[11]);
        g(&mut s, 2, 7, 8, 13, m[12], m[13]);
        g(&mut s, 3, 4, 9, 14, m[14], m[15]);
        if round < 6 {
            m = MSG_PERMUTATION.map(|i| m[i]);
        }
    }
    for i in 0..8 {
        s[i] ^= s[i + 8];
        s[i + 8] ^= cv[i];
    }
    s
}

/// The first eight words of a compression's output: a chaining value.
fn first_8(words: [u32; 16]) -> [u32; 8] {
    [words[0], words[1], words[2], words[3], words[4], words[5], words[6], words[7]]
}

/// Up to 64 bytes as little-endian words, zero-padded.
fn block_words(bytes: &[u8]) -> [u32; 16] {
    let mut block = [0u8; BLOCK_LEN];
    block[..bytes.len()].copy_from_slice(bytes);
    std::array::from_fn(|i| u32::from_le_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]))
}

/// The chaining value of one chunk (at most 1,024 bytes) at position `counter`; `root` marks
/// the compression of its last block as the root's.
fn chunk(input: &[u8], counter: u64, root: bool) -> [u32; 8] {
    let mut cv = IV;
    let blocks = input.len().div_ceil(BLOCK_LEN).max(1);
    for i in 0..blocks {
        let bytes = &input[i * BLOCK_LEN..input.len().min((i + 1) * BLOCK_LEN)];
        let mut flags = if i == 0 { CHUNK_START } else { 0 };
        if i == blocks - 1 {
            flags |= CHUNK_END | if root { ROOT } else { 0 };
        }
        cv = first_8(compress(&cv, &block_words(bytes), counter, bytes.len() as u32, flags));
    }
    cv
}

/// The chaining value of the subtree over `input`, whose first chunk is chunk `counter`.
fn subtree(input: &[u8], counter: u64, root: bool) -> [u32; 8] {
    if input.len() <= CHUNK_LEN {
        return chunk(input, counter, root);
    }
    // The left subtree takes the largest power of two of whole chunks that leaves the right
    // subtree at least one byte.
    let left_chunks = 1usize << ((input.len() - 1) / CHUNK_LEN).ilog2();
    let (left, right) = input.split_at(left_chunks * CHUNK_LEN);
    let left_cv = subtree(left, counter, false);
    let right_cv = subtree(right, counter + left_chunks as u64, false);
    let mut block = [0u32; 16];
    block[..8].copy_from_slice(&left_cv);
    block[8..].copy_from_slice(&right_cv);
    first_8(compress(&IV, &block, 0, BLOCK_LEN as u32, PARENT | if root { ROOT } else { 0 }))
}

/// The BLAKE3 hash of `input` (32 bytes, unkeyed), as `blake3::hash` computes it.
pub(crate) fn hash(input: &[u8]) -> [u8; 32] {
    let words = subtree(input, 0, true);
    let mut out = [0u8; 32];
    for (bytes, word) in out.chunks_exact_mut(4).zip(words) {
        bytes.copy_from_slice(&word.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Every length around the block, chunk and tree boundaries (up to eight chunks and a block).
    #[test]
    fn matches_the_blake3_crate_at_every_boundary() {
        let input: Vec<u8> = (0..8 * 1024 + 65).map(|i| (i % 251) as u8).collect();
        let mut lengths: Vec<usize> = (0..=130).collect();
        for n in [1024usize, 2048, 3072, 4096, 5120, 8192] {
            lengths.extend([n - 65, n - 64, n - 1, n, n + 1, n + 63, n + 64, n + 65]);
        }
        lengths.push(8 * 1024 + 1);
        for len in lengths {
            assert_eq!(super::hash(&input[..len]), *blake3::hash(&input[..len]).as_bytes(), "length {len}");
        }
    }

    proptest! {
        #[test]
        fn matches_the_blake3_crate(input in proptest::collection::vec(any::<u8>(), 0..5000)) {
            prop_assert_eq!(super::hash(&input), *blake3::hash(&input).as_bytes());
        }
    }
}
