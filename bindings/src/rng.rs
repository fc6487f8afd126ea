//! Deterministic randomness for reducers.

use crate::rand::distributions::{Distribution, Standard};
use crate::rand::rngs::StdRng;
use crate::rand::{RngCore, SeedableRng};
use crate::ReducerContext;
use std::cell::UnsafeCell;
use std::marker::PhantomData;

impl ReducerContext {
    /// A random value, e.g. `ctx.random::<u32>()`: a draw from [`rng`](Self::rng) with rand's
    /// `Standard` distribution (integers over their whole range, floats in `[0, 1)`).
    pub fn random<T>(&self) -> T
    where
        Standard: Distribution<T>,
    {
        Standard.sample(&mut self.rng())
    }

    /// The call's random number generator, seeded from the call's timestamp: the same call at the
    /// same time draws the same numbers, on the server and in tests.
    ///
    /// It is rand 0.8's `StdRng` seeded with [`timestamp`](Self::timestamp)'s microseconds since
    /// the Unix epoch, as in the official crate, created on first use; `rng()` and
    /// [`random`](Self::random) draw from the same generator. Use it with the [`rand`](crate::rand)
    /// re-export's traits (`use worldtube::rand::Rng;`). Being predictable from the timestamp,
    /// it is fine for gameplay (loot, spawns) but not for secrets.
    ///
    /// ```
    /// use worldtube::rand::rngs::StdRng;
    /// use worldtube::rand::{Rng, SeedableRng};
    /// use worldtube::{reducer, table, ReducerContext, Table};
    ///
    /// #[table(name = loot)]
    /// pub struct Loot {
    ///     roll: u8,
    ///     seed: u64,
    /// }
    ///
    /// #[reducer]
    /// pub fn open_chest(ctx: &ReducerContext) {
    ///     let roll = ctx.rng().gen_range(1..=6);
    ///     let seed = ctx.random::<u64>();
    ///     ctx.db.loot().insert(Loot { roll, seed });
    ///
    ///     // The same draws as a generator seeded from the call's time.
    ///     let mut same = StdRng::seed_from_u64(ctx.timestamp.to_micros_since_unix_epoch() as u64);
    ///     assert_eq!((roll, seed), (same.gen_range(1..=6), same.gen::<u64>()));
    /// }
    /// # use worldtube_testing::TestDb;
    /// # let run = || {
    /// #     let mut db = TestDb::new();
    /// #     db.call::<open_chest>(TestDb::identity("me"), ()).assert_ok();
    /// #     db.read(|ctx| ctx.db.loot().iter().map(|l| (l.roll, l.seed)).collect::<Vec<_>>())
    /// # };
    /// # let first = run();
    /// # assert!((1..=6).contains(&first[0].0));
    /// # assert_eq!(first, run()); // a fresh database, the same clock: the same draws
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
///
/// It implements [`RngCore`] (so also rand's `Rng` with all its methods), both by value and as
/// `&StdbRng`. It is neither `Send` nor `Sync`: it belongs to its reducer call.
pub struct StdbRng {
    rng: UnsafeCell<StdRng>,
    // Not Sync: the shared-reference access below relies on one thread at a time.
    _not_sync: PhantomData<*mut ()>,
}

impl std::fmt::Debug for StdbRng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StdbRng").finish_non_exhaustive()
    }
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
