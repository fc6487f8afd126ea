//! BSATN encode/decode throughput: Worldtube (`worldtube_lib::bsatn`) against the official
//! `spacetimedb-sats` (issue #2), side by side in one run.
//!
//! Every workload is one criterion group with two functions, `worldtube` and `sats`, reporting
//! throughput in encoded bytes. The Rust types are declared once (in `model!` below) and expanded
//! into two identical modules, `ours` (`#[inline]` impls from `__bsatn_product!`/`__bsatn_sum!`,
//! the shape the SDK's derive generates) and `theirs` (sats' `Serialize`/`Deserialize` derives), so the field lists
//! cannot drift. Before measuring, `main` checks that both sides produce identical bytes for every
//! workload and that each side decodes the other's bytes back to the same value.
//!
//! Run with `cargo bench -p worldtube-lib --bench bsatn` or `scripts/bench-bsatn.sh`, which also
//! prints the ratio table.

use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

/// Declares the benchmark's structs and enums once and expands them into `ours` and `theirs`.
///
/// Enum variants carry at most one payload, written `Variant(binding: Type)`; tags must count up
/// from 0 in declaration order (sats numbers variants by position).
macro_rules! model {
    (
        $(struct $s:ident { $($f:ident : $ft:ty),* $(,)? })*
        $(enum $e:ident { $($tag:literal => $v:ident $(($b:ident : $vt:ty))?),+ $(,)? })*
    ) => {
        pub mod ours {
            $(
                #[derive(Debug, Clone, PartialEq)]
                pub struct $s { $(pub $f: $ft),* }
                worldtube_lib::__bsatn_product!(#[inline] $s { $($f),* });
            )*
            $(
                #[derive(Debug, Clone, PartialEq)]
                pub enum $e { $($v $(($vt))?),+ }
                worldtube_lib::__bsatn_sum!(#[inline] $e { $($tag => $v $(($b))?),+ });
            )*
        }
        pub mod theirs {
            $(
                #[derive(Debug, Clone, PartialEq, spacetimedb_sats::Serialize, spacetimedb_sats::Deserialize)]
                #[sats(crate = spacetimedb_sats)]
                pub struct $s { $(pub $f: $ft),* }
            )*
            $(
                #[derive(Debug, Clone, PartialEq, spacetimedb_sats::Serialize, spacetimedb_sats::Deserialize)]
                #[sats(crate = spacetimedb_sats)]
                pub enum $e { $($v $(($vt))?),+ }
            )*
        }
    };
}

model! {
    // Workload 1: an all-primitive row (37 bytes).
    struct Position { entity_id: u64, x: f32, y: f32, z: f32, vx: f32, vy: f32, vz: f32, tick: u32, flags: u8 }
    // Workload 2: strings, options and a fixed-size byte array.
    struct Player { identity: [u8; 32], name: String, bio: Option<String>, clan: Option<String>, score: i64, online: bool }
    // Workload 3: nested sums.
    struct Point { x: f32, y: f32 }
    struct RectDims { origin: Point, w: f32, h: f32 }
    enum Shape { 0 => Circle(r: f32), 1 => Rect(d: RectDims), 2 => Poly(p: Vec<Point>) }
    enum Event { 0 => Move(p: Point), 1 => Spawn(s: Shape), 2 => Despawn, 3 => Chat(m: String) }
}

const N: usize = 1_000;

/// A tiny deterministic PRNG (xorshift64*), so the data is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn f32(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32 * 2000.0 - 1000.0
    }
    /// A string of 5..=40 chars; about one in four contains non-ASCII characters.
    fn string(&mut self) -> String {
        const ASCII: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-";
        const UNICODE: &[char] = &['é', 'ü', 'ß', 'ø', 'ñ', 'λ', 'Ж', '中', '日', '한', '🙂', '🚀'];
        let len = 5 + self.below(36) as usize;
        let unicode = self.below(4) == 0;
        (0..len)
            .map(|_| {
                if unicode && self.below(3) == 0 {
                    UNICODE[self.below(UNICODE.len() as u64) as usize]
                } else {
                    ASCII[self.below(ASCII.len() as u64) as usize] as char
                }
            })
            .collect()
    }
}

fn positions(rng: &mut Rng) -> Vec<ours::Position> {
    (0..N)
        .map(|i| ours::Position {
            entity_id: i as u64 * 7919 + rng.below(1000),
            x: rng.f32(),
            y: rng.f32(),
            z: rng.f32(),
            vx: rng.f32(),
            vy: rng.f32(),
            vz: rng.f32(),
            tick: rng.next() as u32,
            flags: rng.next() as u8,
        })
        .collect()
}

fn players(rng: &mut Rng) -> Vec<ours::Player> {
    (0..N)
        .map(|_| {
            let mut identity = [0u8; 32];
            for chunk in identity.chunks_mut(8) {
                chunk.copy_from_slice(&rng.next().to_le_bytes());
            }
            ours::Player {
                identity,
                name: rng.string(),
                bio: (rng.below(2) == 0).then(|| rng.string()),
                clan: (rng.below(3) == 0).then(|| rng.string()),
                score: rng.next() as i64 / 1024,
                online: rng.below(2) == 0,
            }
        })
        .collect()
}

fn events(rng: &mut Rng) -> Vec<ours::Event> {
    use ours::{Event, Point, RectDims, Shape};
    let point = |rng: &mut Rng| Point { x: rng.f32(), y: rng.f32() };
    (0..N)
        .map(|_| match rng.below(10) {
            0..=3 => Event::Move(point(rng)),
            4 => Event::Spawn(Shape::Circle(rng.f32())),
            5 => Event::Spawn(Shape::Rect(RectDims { origin: point(rng), w: rng.f32(), h: rng.f32() })),
            6 => Event::Spawn(Shape::Poly((0..3 + rng.below(6)).map(|_| point(rng)).collect())),
            7 => Event::Despawn,
            _ => Event::Chat(rng.string()),
        })
        .collect()
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .configure_from_args()
}

/// One workload: an `encode` and a `decode` group, each with `worldtube` and `sats`.
///
/// `ours_value` is converted to the sats twin through its bytes, after checking that both sides
/// encode it identically and decode each other's output.
fn workload<O, T>(c: &mut Criterion, name: &str, ours_value: &O)
where
    O: worldtube_lib::bsatn::Encode + worldtube_lib::bsatn::DecodeOwned + PartialEq + std::fmt::Debug,
    T: spacetimedb_sats::Serialize + spacetimedb_sats::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    use spacetimedb_sats::bsatn as sats;
    use worldtube_lib::bsatn as wl;

    let bytes = wl::to_vec(ours_value);
    let theirs_value: T = sats::from_slice(&bytes).expect("sats decodes Worldtube's bytes");
    let sats_bytes = sats::to_vec(&theirs_value).expect("sats encodes");
    assert!(bytes == sats_bytes, "{name}: Worldtube and sats encode differently");
    let back: O = wl::from_slice(&sats_bytes).expect("Worldtube decodes sats' bytes");
    assert_eq!(&back, ours_value, "{name}: Worldtube round trip");
    assert_eq!(sats::from_slice::<T>(&bytes).unwrap(), theirs_value, "{name}: sats round trip");

    let mut group = c.benchmark_group(format!("{name}_encode"));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("worldtube", |b| b.iter(|| wl::to_vec(black_box(ours_value))));
    group.bench_function("sats", |b| b.iter(|| sats::to_vec(black_box(&theirs_value)).unwrap()));
    group.finish();

    let mut group = c.benchmark_group(format!("{name}_decode"));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("worldtube", |b| b.iter(|| wl::from_slice::<O>(black_box(&bytes)).unwrap()));
    group.bench_function("sats", |b| b.iter(|| sats::from_slice::<T>(black_box(&bytes)).unwrap()));
    group.finish();
}

fn main() {
    let mut c = config();
    let mut rng = Rng(0x5EED_0000_B5A7);

    workload::<_, Vec<theirs::Position>>(&mut c, "position_rows", &positions(&mut rng));
    workload::<_, Vec<theirs::Player>>(&mut c, "player_rows", &players(&mut rng));
    workload::<_, Vec<theirs::Event>>(&mut c, "event_enums", &events(&mut rng));

    let u32s: Vec<u32> = (0..N).map(|_| rng.next() as u32).collect();
    workload::<_, Vec<u32>>(&mut c, "vec_u32", &u32s);
    let f64s: Vec<f64> = (0..N).map(|_| rng.f32() as f64 * std::f64::consts::PI).collect();
    workload::<_, Vec<f64>>(&mut c, "vec_f64", &f64s);
    let u8s: Vec<u8> = (0..N).map(|_| rng.next() as u8).collect();
    workload::<_, Vec<u8>>(&mut c, "vec_u8", &u8s);
    let strings: Vec<String> = (0..N).map(|_| rng.string()).collect();
    workload::<_, Vec<String>>(&mut c, "vec_string", &strings);

    c.final_summary();
}
