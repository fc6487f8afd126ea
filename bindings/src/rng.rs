//! Deterministic randomness for reducers.

use crate::rand::distributions::{Distribution, Standard};
use crate::rand::rngs::StdRng;
use crate::rand::{RngCore, SeedableRng};
use crate::{ReducerContext, Uuid};
use std::cell::UnsafeCell;
use std::convert::Infallible;
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

    /// A new random (version 4) [`Uuid`]: 16 bytes drawn from [`rng`](Self::rng), stamped with
    /// the version and variant bits. Like the generator, it is predictable from the call's
    /// timestamp. It never fails: the `Result` (with an uninhabited error) keeps code written for
    /// the official signature, `ctx.new_uuid_v4()?` or `.unwrap()`, compiling.
    ///
    /// ```
    /// use worldtube::{reducer, table, ReducerContext, Table};
    ///
    /// #[table(name = ticket)]
    /// pub struct Ticket {
    ///     #[primary_key]
    ///     id: String,
    /// }
    ///
    /// #[reducer]
    /// pub fn issue(ctx: &ReducerContext) -> Result<(), Box<dyn std::error::Error>> {
    ///     let id = ctx.new_uuid_v4()?;
    ///     ctx.db.ticket().insert(Ticket { id: id.to_string() });
    ///     Ok(())
    /// }
    /// # let mut db = worldtube_testing::TestDb::new();
    /// # db.call::<issue>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
    /// # let id = db.read(|ctx| ctx.db.ticket().iter().next().unwrap().id);
    /// # let id: worldtube::Uuid = id.parse().unwrap();
    /// # assert_eq!(id.get_version(), Some(worldtube::sats::uuid::Version::V4));
    /// ```
    ///
    /// A `Uuid` column or index key needs the 2.x generation (`features = ["v2"]`): 1.x servers
    /// do not know the type.
    pub fn new_uuid_v4(&self) -> Result<Uuid, Infallible> {
        let mut bytes = [0u8; 16];
        self.rng().fill_bytes(&mut bytes);
        Ok(Uuid::from_random_bytes_v4(bytes))
    }

    /// A new time-ordered (version 7) [`Uuid`]: the call's [`timestamp`](Self::timestamp) in
    /// milliseconds, a counter that starts at 0 in each call and steps with every UUID made
    /// (so the UUIDs of one call sort in the order they were made), and 4 bytes drawn from
    /// [`rng`](Self::rng) (see [`Uuid::from_counter_v7`]). It never fails, as
    /// [`new_uuid_v4`](Self::new_uuid_v4).
    ///
    /// ```
    /// use worldtube::{reducer, ReducerContext};
    ///
    /// #[reducer]
    /// pub fn mint(ctx: &ReducerContext) -> Result<(), String> {
    ///     let first = ctx.new_uuid_v7().map_err(|e| e.to_string())?;
    ///     let second = ctx.new_uuid_v7().map_err(|e| e.to_string())?;
    ///     assert!(first < second);
    ///     log::info!("minted {first} and {second}");
    ///     Ok(())
    /// }
    /// # let mut db = worldtube_testing::TestDb::new();
    /// # db.call::<mint>(worldtube_testing::TestDb::identity("me"), ()).assert_ok();
    /// ```
    pub fn new_uuid_v7(&self) -> Result<Uuid, Infallible> {
        let mut random_bytes = [0u8; 4];
        self.rng().fill_bytes(&mut random_bytes);
        Uuid::from_counter_v7(&self.counter_uuid, self.timestamp, &random_bytes)
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
        self.rng.get_or_init(|| StdbRng::seed_from_timestamp(self.timestamp))
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
    /// rand 0.8's `StdRng` seeded with `timestamp`'s microseconds since the Unix epoch.
    pub(crate) fn seed_from_timestamp(timestamp: crate::Timestamp) -> Self {
        StdbRng {
            rng: UnsafeCell::new(StdRng::seed_from_u64(timestamp.to_micros_since_unix_epoch() as u64)),
            _not_sync: PhantomData,
        }
    }

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
