//! Type-checks the generated code against a minimal stand-in for the runtime's `__private`
//! API (the real one lives in `bindings/`), then runs it: the describers (collected in a link-time
//! list, as the runtime does natively) build a module definition the tests compare with what
//! `EXPANSION.md` specifies. `::worldtube` resolves to this test crate.
// The mock runtime and the test module are stand-ins, not an API: no Debug needed.
#![allow(dead_code, non_camel_case_types, missing_debug_implementations)]

extern crate self as worldtube;

use std::marker::PhantomData;
use worldtube_macros::{duration, reducer, table, Deserialize, Serialize, SpacetimeType};

pub struct Local;
pub struct ReducerContext {
    pub db: Local,
}
pub struct UniqueConstraintViolation;
pub struct AutoIncOverflow;
pub struct UniqueColumn<T, C, I>(PhantomData<(T, C, I)>);
impl<T, C, I> UniqueColumn<T, C, I> {
    pub const __NEW: Self = Self(PhantomData);
}
pub struct RangedIndex<T, C, I>(PhantomData<(T, C, I)>);
impl<T, C, I> RangedIndex<T, C, I> {
    pub const __NEW: Self = Self(PhantomData);
}
pub trait Table: __private::TableInternal {
    type Row;
    type UniqueConstraintViolation;
    type AutoIncOverflow;
}
pub type Identity = u128;

pub mod __private {
    pub use super::Table;
    pub struct Reader<'de>(pub &'de [u8], pub usize);
    impl<'de> Reader<'de> {
        pub fn new(b: &'de [u8]) -> Self {
            Reader(b, 0)
        }
        pub fn offset(&self) -> usize {
            self.1
        }
    }
    #[derive(Debug)]
    pub struct DecodeError;
    pub trait Encode {
        fn encode(&self, out: &mut Vec<u8>);
    }
    pub trait Decode<'de>: Sized {
        const MIN_SIZE: usize = 0;
        fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError>;
    }
    macro_rules! prim {
        ($($t:ty),*) => {$(
            impl Encode for $t { fn encode(&self, out: &mut Vec<u8>) { out.extend_from_slice(&self.to_le_bytes()) } }
            impl<'de> Decode<'de> for $t {
                const MIN_SIZE: usize = std::mem::size_of::<$t>();
                fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
                    const N: usize = std::mem::size_of::<$t>();
                    let b = r.0.get(r.1..r.1 + N).ok_or(DecodeError)?;
                    r.1 += N;
                    Ok(<$t>::from_le_bytes(b.try_into().unwrap()))
                }
            }
            impl SpacetimeType for $t { fn make_type<S: TypespaceBuilder>(_: &mut S) -> AlgebraicType { AlgebraicType::Prim } }
            impl FilterableValue for $t { type Column = $t; }
            impl FilterableValue for &$t { type Column = $t; }
            impl SequenceValue for $t { fn is_zero(&self) -> bool { *self == 0 } }
        )*};
    }
    prim!(u8, u16, u32, u64, u128, i32);
    impl DirectIndexKey for u8 {}
    impl DirectIndexKey for u64 {}
    impl Encode for String {
        fn encode(&self, out: &mut Vec<u8>) {
            out.extend_from_slice(self.as_bytes())
        }
    }
    impl<'de> Decode<'de> for String {
        fn decode(_: &mut Reader<'de>) -> Result<Self, DecodeError> {
            Ok(String::new())
        }
    }
    impl SpacetimeType for String {
        fn make_type<S: TypespaceBuilder>(_: &mut S) -> AlgebraicType {
            AlgebraicType::Prim
        }
    }
    impl FilterableValue for &String {
        type Column = String;
    }
    pub struct ScheduleAt;
    impl Encode for ScheduleAt {
        fn encode(&self, _: &mut Vec<u8>) {}
    }
    impl<'de> Decode<'de> for ScheduleAt {
        fn decode(_: &mut Reader<'de>) -> Result<Self, DecodeError> {
            Ok(ScheduleAt)
        }
    }
    impl SpacetimeType for ScheduleAt {
        fn make_type<S: TypespaceBuilder>(_: &mut S) -> AlgebraicType {
            AlgebraicType::Prim
        }
    }

    #[derive(Debug, PartialEq)]
    pub enum AlgebraicType {
        Prim,
        Product(ProductType),
        Sum(SumType),
        Ref(u32),
    }
    impl AlgebraicType {
        pub fn unit() -> Self {
            AlgebraicType::Product(ProductType::default())
        }
    }
    #[derive(Debug, PartialEq, Default)]
    pub struct ProductType {
        pub elements: Box<[ProductTypeElement]>,
    }
    #[derive(Debug, PartialEq)]
    pub struct ProductTypeElement {
        pub name: Option<Box<str>>,
        pub algebraic_type: AlgebraicType,
    }
    impl ProductTypeElement {
        pub fn new(name: Option<&str>, algebraic_type: AlgebraicType) -> Self {
            Self { name: name.map(Into::into), algebraic_type }
        }
    }
    #[derive(Debug, PartialEq, Default)]
    pub struct SumType {
        pub variants: Box<[SumTypeVariant]>,
    }
    #[derive(Debug, PartialEq)]
    pub struct SumTypeVariant {
        pub name: Option<Box<str>>,
        pub algebraic_type: AlgebraicType,
    }
    impl SumTypeVariant {
        pub fn new(name: Option<&str>, algebraic_type: AlgebraicType) -> Self {
            Self { name: name.map(Into::into), algebraic_type }
        }
    }
    pub trait SpacetimeType {
        fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType;
    }
    impl<T: SpacetimeType> SpacetimeType for Option<T> {
        fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
            T::make_type(ts)
        }
    }
    impl<T: Encode> Encode for Option<T> {
        fn encode(&self, _: &mut Vec<u8>) {}
    }
    impl<'de, T: Decode<'de>> Decode<'de> for Option<T> {
        fn decode(_: &mut Reader<'de>) -> Result<Self, DecodeError> {
            Ok(None)
        }
    }
    pub trait TypespaceBuilder {
        fn add(
            &mut self,
            typeid: std::any::TypeId,
            name: Option<&'static str>,
            make_ty: impl FnOnce(&mut Self) -> AlgebraicType,
        ) -> AlgebraicType;
    }
    /// The named types added so far, in order: a type's `Ref` is its position.
    #[derive(Default)]
    pub struct Ts(pub Vec<(Option<&'static str>, AlgebraicType)>);
    impl TypespaceBuilder for Ts {
        fn add(
            &mut self,
            _: std::any::TypeId,
            name: Option<&'static str>,
            make_ty: impl FnOnce(&mut Self) -> AlgebraicType,
        ) -> AlgebraicType {
            if let Some(i) = self.0.iter().position(|(n, _)| *n == name) {
                return AlgebraicType::Ref(i as u32);
            }
            let ty = make_ty(self);
            self.0.push((name, ty));
            AlgebraicType::Ref(self.0.len() as u32 - 1)
        }
    }
    #[derive(Debug)]
    pub enum TableAccess {
        Public,
        Private,
    }
    pub enum TableType {
        User,
    }
    #[derive(Debug)]
    pub enum Lifecycle {
        Init,
        OnConnect,
        OnDisconnect,
    }
    #[derive(Debug)]
    pub enum RawIndexAlgorithm {
        BTree(Vec<u16>),
        Direct(u16),
    }
    impl RawIndexAlgorithm {
        pub fn btree<const N: usize>(c: [u16; N]) -> Self {
            RawIndexAlgorithm::BTree(c.to_vec())
        }
        pub fn direct(c: u16) -> Self {
            RawIndexAlgorithm::Direct(c)
        }
    }
    pub type ReducerResult = Result<(), Box<str>>;
    pub type ReducerFn = fn(&super::ReducerContext, &[u8]) -> ReducerResult;
    pub struct ModuleBuilder(pub Ts, pub Vec<String>);
    pub struct TableBuilder<'a>(&'a mut ModuleBuilder);
    impl ModuleBuilder {
        pub fn typespace(&mut self) -> &mut Ts {
            &mut self.0
        }
        pub fn build_table(&mut self, name: &str, _: AlgebraicType) -> TableBuilder<'_> {
            self.1.push(format!("table {name}"));
            TableBuilder(self)
        }
        pub fn add_reducer(&mut self, name: &str, p: ProductType, lc: Option<Lifecycle>, _: ReducerFn) {
            self.1.push(format!("reducer {name}/{} {lc:?}", p.elements.len()));
        }
        pub fn add_row_level_security(&mut self, sql: &str) {
            self.1.push(format!("rls {sql}"));
        }
    }
    impl TableBuilder<'_> {
        pub fn with_access(self, a: TableAccess) -> Self {
            self.0 .1.push(format!("  {a:?}"));
            self
        }
        pub fn with_type(self, _: TableType) -> Self {
            self
        }
        pub fn with_unique_constraint<const N: usize>(self, c: [u16; N]) -> Self {
            self.0 .1.push(format!("  unique {c:?}"));
            self
        }
        pub fn with_primary_key(self, c: u16) -> Self {
            self.0 .1.push(format!("  pk {c}"));
            self
        }
        pub fn with_index(self, algo: RawIndexAlgorithm, acc: &str) -> Self {
            self.0 .1.push(format!("  index {acc} {algo:?}"));
            self
        }
        pub fn with_column_sequence(self, c: u16) -> Self {
            self.0 .1.push(format!("  seq {c}"));
            self
        }
        pub fn with_schedule(self, r: &str, at: u16) -> Self {
            self.0 .1.push(format!("  schedule {r} {at}"));
            self
        }
        pub fn finish(self) -> u32 {
            0
        }
    }
    /// A describer, as the runtime lists them.
    pub struct Describer {
        pub symbol: &'static str,
        pub describe: fn(&mut ModuleBuilder),
    }
    /// Every registered describer (the runtime's native mechanism).
    #[linkme::distributed_slice]
    pub static DESCRIBERS: [Describer];
    #[macro_export]
    macro_rules! __register_describer {
        ($k:path, $symbol:literal, $describe:ident) => {
            #[::linkme::distributed_slice($crate::__private::DESCRIBERS)]
            static __WORLDTUBE_DESCRIBER: $crate::__private::Describer =
                $crate::__private::Describer { symbol: $symbol, describe: $describe };
        };
    }
    pub use crate::__register_describer as register_describer;

    pub trait TableInternal: Sized {
        const TABLE_NAME: &'static str;
        const TABLE_ACCESS: TableAccess = TableAccess::Private;
        fn integrate_generated_columns(row: &mut <Self as Table>::Row, generated: &[u8])
        where
            Self: Table;
    }
    pub trait Index {
        const INDEX_NAME: &'static str;
    }
    pub trait Column {
        type Table: Table;
        type ColType;
        const COLUMN_NAME: &'static str;
        fn get_field(row: &<Self::Table as Table>::Row) -> &Self::ColType;
    }
    pub trait ReducerInfo {
        const NAME: &'static str;
        type Args;
    }
    pub trait IntoReducerResult {
        fn into_reducer_result(self) -> ReducerResult;
    }
    impl IntoReducerResult for () {
        fn into_reducer_result(self) -> ReducerResult {
            Ok(())
        }
    }
    impl<E: std::fmt::Display> IntoReducerResult for Result<(), E> {
        fn into_reducer_result(self) -> ReducerResult {
            self.map_err(|e| e.to_string().into())
        }
    }
    pub fn decode_arg<'de, T: Decode<'de>>(r: &mut Reader<'de>, _: &str, _: &str) -> Result<T, Box<str>> {
        T::decode(r).map_err(|_| "bad".into())
    }
    pub fn finish_args(_: &Reader<'_>, _: &str) -> Result<(), Box<str>> {
        Ok(())
    }
    pub fn decode_generated<T: for<'de> Decode<'de>>(r: &mut Reader<'_>, _: &str, _: &str) -> T {
        T::decode(r).unwrap()
    }
    pub fn invalid_tag(_: usize, _: &str, _: u8, _: usize) -> DecodeError {
        DecodeError
    }
    pub trait SequenceValue {
        fn is_zero(&self) -> bool;
    }
    pub trait FilterablePrivate {}
    pub trait FilterableValue {
        type Column;
    }
    pub trait DirectIndexKey {}
    pub const fn assert_sequence_column<T: SequenceValue>() {}
    pub const fn assert_index_key<T>()
    where
        for<'a> &'a T: FilterableValue,
    {
    }
    pub const fn assert_direct_key<T: DirectIndexKey>() {}
    pub trait IsScheduleAt {}
    impl IsScheduleAt for ScheduleAt {}
    pub const fn assert_schedule_at<T: IsScheduleAt>() {}
    pub trait IsU64 {}
    impl IsU64 for u64 {}
    pub const fn assert_u64_primary_key<T: IsU64>() {}
    pub trait ScheduledReducer<Row> {}
    impl<R: ReducerInfo<Args = (Row,)>, Row> ScheduledReducer<Row> for R {}
    pub const fn assert_scheduled_reducer<R: ScheduledReducer<Row>, Row>() {}
}
use __private::ScheduleAt;

// ---- the user's module ----

#[derive(SpacetimeType, Clone, Copy, PartialEq, Debug)]
pub enum Color {
    Red,
    Green,
}

#[derive(SpacetimeType)]
#[sats(name = "Game.Shape")]
pub enum Shape {
    Point,
    Circle(u32),
    Rect { wh: u64 },
}

#[derive(SpacetimeType)]
pub struct Unit;

#[derive(SpacetimeType)]
pub struct Pair(u8, u16);

#[derive(Serialize, Deserialize)]
pub struct Halves {
    a: u8,
}

#[table(name = player, public, index(name = by_level_name, btree(columns = [level, name])))]
#[table(name = archived_player)]
pub struct Player {
    #[primary_key]
    #[auto_inc]
    id: u64,
    #[unique]
    identity: Identity,
    name: String,
    level: u32,
    #[unique]
    #[index(direct)]
    color: Color,
}

#[table(name = jobs, scheduled(run_job))]
pub struct Job {
    #[primary_key]
    #[auto_inc]
    scheduled_id: u64,
    scheduled_at: ScheduleAt,
    payload: Option<String>,
}

#[reducer]
pub fn run_job(_ctx: &ReducerContext, _job: Job) {}

#[reducer(init)]
pub fn setup(_ctx: &ReducerContext) -> Result<(), String> {
    Ok(())
}

#[reducer(name = "say")]
fn send_message(ctx: &ReducerContext, __r: String, to: Option<Identity>, mut n: u32) {
    use player as _;
    let _ = ctx.db.player().id();
    let _ = ctx.db.player().by_level_name();
    let _ = ctx.db.archived_player().color();
    n += 1;
    let _ = (__r, to, n);
}

/// Runs every describer in symbol order (the order a host calls the `__preinit__` exports).
fn describe_module() -> __private::ModuleBuilder {
    let mut describers: Vec<&__private::Describer> = __private::DESCRIBERS.iter().collect();
    describers.sort_by_key(|d| d.symbol);
    let mut m = __private::ModuleBuilder(Default::default(), Vec::new());
    for d in describers {
        (d.describe)(&mut m);
    }
    m
}

#[test]
fn describers_build_the_module_definition() {
    let m = describe_module();
    use __private::RawIndexAlgorithm::{BTree, Direct};
    let expected = [
        // `archived_player` (the second attribute on `Player`): `color`'s declared direct index
        // serves the unique column; auto btrees for `id` and `identity`.
        "table archived_player".to_string(),
        "  Private".into(),
        "  unique [0]".into(),
        "  unique [1]".into(),
        "  unique [4]".into(),
        "  pk 0".into(),
        format!("  index color {:?}", Direct(4)),
        format!("  index id {:?}", BTree(vec![0])),
        format!("  index identity {:?}", BTree(vec![1])),
        "  seq 0".into(),
        "table jobs".into(),
        "  Private".into(),
        "  unique [0]".into(),
        "  pk 0".into(),
        format!("  index scheduled_id {:?}", BTree(vec![0])),
        "  seq 0".into(),
        "  schedule run_job 1".into(),
        // `player`: unique-serving indexes first, then the declared btree over (level, name).
        "table player".into(),
        "  Public".into(),
        "  unique [0]".into(),
        "  unique [1]".into(),
        "  unique [4]".into(),
        "  pk 0".into(),
        format!("  index color {:?}", Direct(4)),
        format!("  index id {:?}", BTree(vec![0])),
        format!("  index identity {:?}", BTree(vec![1])),
        format!("  index by_level_name {:?}", BTree(vec![3, 2])),
        "  seq 0".into(),
        "reducer run_job/1 None".into(),
        // `send_message` is registered under its `name = "say"`.
        "reducer say/3 None".into(),
        "reducer setup/0 Some(Init)".into(),
    ];
    assert_eq!(m.1, expected);
}

#[test]
fn row_and_derived_types_are_named_in_the_typespace() {
    use __private::*;
    let mut ts = Ts::default();
    let shape = <Shape as SpacetimeType>::make_type(&mut ts);
    let unit = <Unit as SpacetimeType>::make_type(&mut ts);
    let pair = <Pair as SpacetimeType>::make_type(&mut ts);
    assert_eq!((shape, unit, pair), (AlgebraicType::Ref(0), AlgebraicType::Ref(1), AlgebraicType::Ref(2)));
    let names: Vec<Option<&str>> = ts.0.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, [Some("Game.Shape"), Some("Unit"), Some("Pair")]);
    let AlgebraicType::Sum(sum) = &ts.0[0].1 else { panic!("{:?}", ts.0[0].1) };
    let variant_names: Vec<Option<&str>> = sum.variants.iter().map(|v| v.name.as_deref()).collect();
    assert_eq!(variant_names, [Some("Point"), Some("Circle"), Some("Rect")]);
    assert_eq!(sum.variants[0].algebraic_type, AlgebraicType::unit());
    assert_eq!(ts.0[1].1, AlgebraicType::unit());
    let AlgebraicType::Product(pair) = &ts.0[2].1 else { panic!("{:?}", ts.0[2].1) };
    assert!(pair.elements.len() == 2 && pair.elements.iter().all(|e| e.name.is_none()));
    // A second request for a known type is a reference to it.
    assert_eq!(<Shape as SpacetimeType>::make_type(&mut ts), AlgebraicType::Ref(0));
}

#[test]
fn names_accessors_and_generated_columns() {
    use __private::*;
    assert_eq!(<player__TableHandle as TableInternal>::TABLE_NAME, "player");
    assert_eq!(<__player_by_level_name_index as Index>::INDEX_NAME, "player_level_name_idx_btree");
    assert_eq!(<__player_color_index as Index>::INDEX_NAME, "player_color_idx_direct");
    assert_eq!(<__archived_player_id_index as Column>::COLUMN_NAME, "id");
    assert_eq!(<send_message as ReducerInfo>::NAME, "say");
    assert_eq!(<run_job as ReducerInfo>::NAME, "run_job");

    let mut row = Player { id: 0, identity: 1, name: String::new(), level: 2, color: Color::Green };
    <player__TableHandle as TableInternal>::integrate_generated_columns(&mut row, &7u64.to_le_bytes());
    assert_eq!(row.id, 7);
    // A non-zero value is the caller's and stays.
    <player__TableHandle as TableInternal>::integrate_generated_columns(&mut row, &9u64.to_le_bytes());
    assert_eq!(row.id, 7);
}

#[test]
fn durations() {
    assert_eq!(duration!("1h 30m"), std::time::Duration::from_secs(5400));
    assert_eq!(duration!(1500ms), std::time::Duration::from_millis(1500));
}

#[test]
fn bsatn_round_trip() {
    use __private::*;
    let mut out = Vec::new();
    Shape::Circle(5).encode(&mut out);
    assert_eq!(out, [1, 5, 0, 0, 0]);
    let mut r = Reader::new(&out);
    assert!(matches!(Shape::decode(&mut r), Ok(Shape::Circle(5))));
    let mut r = Reader::new(&[9]);
    assert!(Shape::decode(&mut r).is_err());
    let mut out = Vec::new();
    Color::Green.encode(&mut out);
    assert_eq!(out, [1]);
    assert_eq!(<Pair as Decode>::MIN_SIZE, 3);
    let mut out = Vec::new();
    Halves { a: 4 }.encode(&mut out);
    let mut r = Reader::new(&out);
    assert!(matches!(Halves::decode(&mut r), Ok(Halves { a: 4 })));
}
