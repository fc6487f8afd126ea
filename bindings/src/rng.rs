//! Deterministic randomness for reducers.

use crate::rand::distributions::{Distribution, Standard};
use crate::rand::rngs::StdRng;
use crate::rand::{RngCore, SeedableRng};
use crate::ReducerContext;
use std::cell::UnsafeCell;
use std::marker::PhantomData;

impl ReducerContext {
    /// A random value, e.g. `ctx.random::<u32>()`.
    pub fn random<T>(&self) -> T
    where
        Standard: Distribution<T>,
    {
        Standard.sample(&mut self.rng())
    }

    /// The call's random number generator, seeded from the call's timestamp: the same call at the
    /// same time draws the same numbers, on the server and in tests.
    ///
    /// ```
    /// use worldline::rand::Rng;
    /// let ctx = worldline::ReducerContext::__dummy();
    /// let roll: u8 = ctx.rng().gen_range(1..=6);
    /// assert!((1..=6).contains(&roll));
    /// ```
    pub fn rng(&self) -> &StdbRng {
        self.rng.get_or_init(|| StdbRng {
            rng: UnsafeCell::new(StdRng::seed_from_u64(self.timestamp.to_micros_since_unix_epoch() as u64)),
            _not_sync: PhantomData,
        })
    }
}

/// The generator behind [`ReducerContext::rng`]: rand 0.8's `StdRng`, usable through a shared
/// reference (`ctx.rng().gen::<u8>()`).
pub struct StdbRng {
    rng: UnsafeCell<StdRng>,
    // Not Sync: the shared-reference access below relies on one thread at a time.
    _not_sync: PhantomData<*mut ()>,
}

impl StdbRng {
    fn with<R>(&self, f: impl FnOnce(&mut StdRng) -> R) -> R {
        // SAFETY: `StdbRng` is neither `Sync` nor handing out references into the cell, and `f`
        // cannot reach this `StdbRng` again (it only sees the inner generator), so this is the only
        // live reference to the generator.
        f(unsafe { &mut *self.rng.get() })
    }
}

impl RngCore for &StdbRng {
    fn next_u32(&mut self) -> u32 {
        self.with(RngCore::next_u32)
    }
    fn next_u64(&mut self) -> u64 {
        self.with(RngCore::next_u64)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.with(|r| r.fill_bytes(dest))
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), crate::rand::Error> {
        self.with(|r| r.try_fill_bytes(dest))
    }
}

impl RngCore for StdbRng {
    fn next_u32(&mut self) -> u32 {
        (&*self).next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        (&*self).next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        (&*self).fill_bytes(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), crate::rand::Error> {
        (&*self).try_fill_bytes(dest)
    }
}
