//! The module definition against SpacetimeDB 1.3.2's own: the same module built with our builder
//! and theirs must encode to the same bytes and decode on both sides; and the validator's rules.

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicTypeRef, ProductType, SpacetimeType, TypespaceBuilder};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::*;

// -------------------------------------------------------------------------------------------------
// Their side: types with the official derive, module with the official builder.

mod theirs {
    use spacetimedb_lib::db::raw_def::v9::{
        btree, direct, Lifecycle, RawModuleDefV9, RawModuleDefV9Builder, TableAccess, TableType,
    };
    use spacetimedb_lib::{AlgebraicType, Identity, ProductType, ScheduleAt, SpacetimeType, Timestamp};

    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib, name = "game.Vec2")]
    pub(crate) struct Vec2 {
        x: f32,
        y: f32,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib)]
    pub(crate) enum Shape {
        Circle(f32),
        Rect(Vec2),
        Nothing,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib)]
    pub(crate) enum Tree {
        Leaf(u32),
        Branch(Vec<Tree>),
    }
    #[derive(SpacetimeType, Clone, Copy, Debug)]
    #[sats(crate = spacetimedb_lib)]
    pub enum Color {
        Red,
        Green,
        Blue,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib, name = "inv::Item")]
    pub(crate) struct Item {
        name: String,
        qty: u32,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib)]
    pub(crate) struct Inventory {
        items: Vec<Item>,
        best: Option<Item>,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib)]
    pub(crate) struct Player {
        id: u64,
        name: String,
        pos: Vec2,
        level: u32,
        score: i64,
        color: Color,
        owner: Identity,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib)]
    pub(crate) struct Enemy {
        id: u64,
        pos: Vec2,
        shape: Shape,
        loot: Tree,
        inv: Inventory,
        seen_at: Option<Timestamp>,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib)]
    pub(crate) struct TickTimer {
        scheduled_id: u64,
        scheduled_at: ScheduleAt,
    }

    fn row<T: SpacetimeType>(b: &mut RawModuleDefV9Builder) -> spacetimedb_lib::sats::AlgebraicTypeRef {
        match b.add_type::<T>() {
            AlgebraicType::Ref(r) => r,
            other => panic!("row type is not a ref: {other:?}"),
        }
    }

    pub(crate) fn build() -> RawModuleDefV9 {
        let mut b = RawModuleDefV9Builder::new();
        let player = row::<Player>(&mut b);
        b.build_table("player", player)
            .with_type(TableType::User)
            .with_access(TableAccess::Public)
            .with_unique_constraint(0u16)
            .with_unique_constraint(1u16)
            .with_index(btree(0u16), "id")
            .with_index(btree(1u16), "name")
            .with_index(btree([3u16, 4]), "level_score")
            .with_index(direct(5u16), "color")
            .with_primary_key(0u16)
            .with_column_sequence(0u16)
            .finish();
        let enemy = row::<Enemy>(&mut b);
        b.build_table("enemy", enemy)
            .with_type(TableType::User)
            .with_access(TableAccess::Private)
            .with_unique_constraint(0u16)
            .with_index(btree(0u16), "id")
            .with_index_no_accessor_name(btree([1u16, 0]))
            .with_primary_key(0u16)
            .finish();
        let timer = row::<TickTimer>(&mut b);
        b.build_table("tick_timer", timer)
            .with_type(TableType::User)
            .with_access(TableAccess::Private)
            .with_unique_constraint(0u16)
            .with_index(btree(0u16), "scheduled_id")
            .with_primary_key(0u16)
            .with_column_sequence(0u16)
            .with_schedule("tick", 1u16)
            .finish();

        b.add_reducer("init", ProductType::unit(), Some(Lifecycle::Init));
        b.add_reducer("identity_connected", ProductType::unit(), Some(Lifecycle::OnConnect));
        b.add_reducer("identity_disconnected", ProductType::unit(), Some(Lifecycle::OnDisconnect));
        let timer_ty = b.add_type::<TickTimer>();
        b.add_reducer("tick", ProductType::from([("timer", timer_ty)]), None);
        let params = [
            ("id", b.add_type::<u64>()),
            ("to", b.add_type::<Vec2>()),
            ("shape", b.add_type::<Option<Shape>>()),
            ("path", b.add_type::<Vec<Vec2>>()),
        ];
        b.add_reducer("move_player", ProductType::from(params), None);
        // A type first seen in a reducer.
        let color = b.add_type::<Vec<Color>>();
        b.add_reducer("paint", ProductType::from([("colors", color)]), None);
        b.add_row_level_security("SELECT * FROM player WHERE owner = :sender");
        b.finish()
    }
}

// -------------------------------------------------------------------------------------------------
// Our side: the same types with hand-written `SpacetimeType` impls (what our derive will generate).

mod ours {
    use super::*;
    use std::any::TypeId;
    use worldtube_lib::{Identity, ScheduleAt, Timestamp};

    /// `named!(Marker = "sats name", product|sum { element: Type, ... })`
    macro_rules! named {
        ($ty:ident = $name:literal, $kind:ident { $($elem:ident : $elem_ty:ty),* $(,)? }) => {
            pub(crate) struct $ty;
            impl SpacetimeType for $ty {
                fn make_type<S: TypespaceBuilder>(ts: &mut S) -> AlgebraicType {
                    ts.add(TypeId::of::<Self>(), Some($name), |ts| {
                        AlgebraicType::$kind([$((Some(stringify!($elem)), <$elem_ty>::make_type(ts))),*])
                    })
                }
            }
        };
    }
    named!(Vec2 = "game.Vec2", product { x: f32, y: f32 });
    named!(Shape = "Shape", sum { Circle: f32, Rect: Vec2, Nothing: () });
    named!(Tree = "Tree", sum { Leaf: u32, Branch: Vec<Tree> });
    named!(Color = "Color", sum { Red: (), Green: (), Blue: () });
    named!(Item = "inv::Item", product { name: String, qty: u32 });
    named!(Inventory = "Inventory", product { items: Vec<Item>, best: Option<Item> });
    named!(
        Player = "Player",
        product { id: u64, name: String, pos: Vec2, level: u32, score: i64, color: Color, owner: Identity }
    );
    named!(Enemy = "Enemy", product {
        id: u64, pos: Vec2, shape: Shape, loot: Tree, inv: Inventory, seen_at: Option<Timestamp>,
    });
    named!(TickTimer = "TickTimer", product { scheduled_id: u64, scheduled_at: ScheduleAt });

    fn row<T: SpacetimeType>(b: &mut RawModuleDefV9Builder) -> AlgebraicTypeRef {
        match b.add_type::<T>() {
            AlgebraicType::Ref(r) => r,
            other => panic!("row type is not a ref: {other:?}"),
        }
    }

    pub(crate) fn build() -> RawModuleDefV9 {
        let mut b = RawModuleDefV9Builder::new();
        let player = row::<Player>(&mut b);
        b.build_table("player", player)
            .with_type(TableType::User)
            .with_access(TableAccess::Public)
            .with_unique_constraint(0)
            .with_unique_constraint(1)
            .with_index(RawIndexAlgorithm::btree(0), "id")
            .with_index(RawIndexAlgorithm::btree(1), "name")
            .with_index(RawIndexAlgorithm::btree([3, 4]), "level_score")
            .with_index(RawIndexAlgorithm::direct(5), "color")
            .with_primary_key(0)
            .with_column_sequence(0)
            .finish();
        let enemy = row::<Enemy>(&mut b);
        b.build_table("enemy", enemy)
            .with_type(TableType::User)
            .with_access(TableAccess::Private)
            .with_unique_constraint(0)
            .with_index(RawIndexAlgorithm::btree(0), "id")
            .with_index_no_accessor_name(RawIndexAlgorithm::btree([1, 0]))
            .with_primary_key(0)
            .finish();
        let timer = row::<TickTimer>(&mut b);
        b.build_table("tick_timer", timer)
            .with_type(TableType::User)
            .with_access(TableAccess::Private)
            .with_unique_constraint(0)
            .with_index(RawIndexAlgorithm::btree(0), "scheduled_id")
            .with_primary_key(0)
            .with_column_sequence(0)
            .with_schedule("tick", 1)
            .finish();

        b.add_reducer("init", ProductType::default(), Some(Lifecycle::Init));
        b.add_reducer("identity_connected", ProductType::default(), Some(Lifecycle::OnConnect));
        b.add_reducer("identity_disconnected", ProductType::default(), Some(Lifecycle::OnDisconnect));
        let timer_ty = b.add_type::<TickTimer>();
        b.add_reducer("tick", ProductType::new([(Some("timer"), timer_ty)]), None);
        let params = [
            (Some("id"), b.add_type::<u64>()),
            (Some("to"), b.add_type::<Vec2>()),
            (Some("shape"), b.add_type::<Option<Shape>>()),
            (Some("path"), b.add_type::<Vec<Vec2>>()),
        ];
        b.add_reducer("move_player", ProductType::new(params), None);
        let color = b.add_type::<Vec<Color>>();
        b.add_reducer("paint", ProductType::new([(Some("colors"), color)]), None);
        b.add_row_level_security("SELECT * FROM player WHERE owner = :sender");
        b.finish()
    }
}

fn their_bytes(def: spacetimedb_lib::db::raw_def::v9::RawModuleDefV9) -> Vec<u8> {
    spacetimedb_sats::bsatn::to_vec(&spacetimedb_lib::RawModuleDef::V9(def)).unwrap()
}

fn our_bytes(def: RawModuleDefV9) -> Vec<u8> {
    bsatn::to_vec(&RawModuleDef::V9(def))
}

/// (a) byte-identical, (b) their decoder reads ours back to their def, (c) ours reads theirs back
/// to ours and re-encodes identically.
fn assert_same(ours: RawModuleDefV9, theirs: spacetimedb_lib::db::raw_def::v9::RawModuleDefV9) {
    let their_debug = format!("{theirs:?}");
    let ours_clone = ours.clone();
    let (ob, tb) = (our_bytes(ours), their_bytes(theirs));
    assert_eq!(ob, tb, "encodings differ\nours:   {ob:?}\ntheirs: {tb:?}");

    let decoded: spacetimedb_lib::RawModuleDef = spacetimedb_sats::bsatn::from_slice(&ob).unwrap();
    let spacetimedb_lib::RawModuleDef::V9(decoded) = decoded else { panic!("not V9") };
    // Their types implement `PartialEq` only under a test feature; compare the full debug rendering.
    assert_eq!(format!("{decoded:?}"), their_debug);

    let back: RawModuleDef = bsatn::from_slice(&tb).unwrap();
    assert_eq!(back, RawModuleDef::V9(ours_clone));
    assert_eq!(bsatn::to_vec(&back), tb);
}

#[test]
fn full_module_matches_official_builder() {
    let ours = ours::build();
    // Sanity: the pieces we mean to cover are there.
    assert_eq!(ours.tables.len(), 3);
    assert_eq!(ours.reducers.len(), 6);
    assert!(ours.types.iter().any(|t| &*t.name.name == "Vec2" && *t.name.scope == [Box::from("game")]));
    assert!(ours.types.iter().all(|t| t.custom_ordering));
    assert_same(ours, theirs::build());
}

#[test]
fn empty_module_matches() {
    assert_same(
        RawModuleDefV9Builder::new().finish(),
        spacetimedb_lib::db::raw_def::v9::RawModuleDefV9Builder::new().finish(),
    );
    assert_eq!(
        our_bytes(RawModuleDefV9::default()),
        [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    );
}

#[test]
fn recursive_type_refers_to_its_own_slot() {
    let mut b = RawModuleDefV9Builder::new();
    let tree = b.add_type::<ours::Tree>();
    let AlgebraicType::Ref(r) = tree else { panic!() };
    let ty = &b.typespace().types[r.idx()];
    assert_eq!(
        ty,
        &AlgebraicType::sum([
            (Some("Leaf"), AlgebraicType::U32),
            (Some("Branch"), AlgebraicType::array(AlgebraicType::Ref(r)))
        ])
    );
    // Adding again deduplicates.
    assert_eq!(b.add_type::<ours::Tree>(), tree);
    assert_eq!(b.finish().types.len(), 1);
}

#[test]
fn add_algebraic_type_and_new_type_tables_match() {
    use spacetimedb_lib::db::raw_def::v9 as t;
    let their_point = spacetimedb_sats::AlgebraicType::product([("x", spacetimedb_sats::AlgebraicType::I32)]);
    let mut tb = t::RawModuleDefV9Builder::new();
    let tp = tb.add_algebraic_type(["geo".into(), "d2".into()], "Point", their_point, false);
    tb.build_table_with_new_type(
        "points",
        spacetimedb_sats::ProductType::from([
            ("id", spacetimedb_sats::AlgebraicType::U32),
            ("p", spacetimedb_sats::AlgebraicType::Ref(tp)),
        ]),
        true,
    )
    .with_auto_inc_primary_key(0u16)
    .with_index(t::btree(0u16), "id")
    .with_access(t::TableAccess::Public);
    // Dropped without `finish`: still added.

    let mut ob = RawModuleDefV9Builder::new();
    let op = ob.add_algebraic_type(
        ["geo".into(), "d2".into()],
        "Point",
        AlgebraicType::product([(Some("x"), AlgebraicType::I32)]),
        false,
    );
    let row = ProductType::new([(Some("id"), AlgebraicType::U32), (Some("p"), AlgebraicType::Ref(op))]);
    {
        let table = ob
            .build_table_with_new_type("points", row, true)
            .with_auto_inc_primary_key(0)
            .with_index(RawIndexAlgorithm::btree(0), "id")
            .with_access(TableAccess::Public);
        assert_eq!(table.find_col_pos_by_name("p"), Some(1));
        assert_eq!(table.find_col_pos_by_name("q"), None);
    }
    assert_same(ob.finish(), tb.finish());
}

#[test]
fn every_enum_tag_matches() {
    use spacetimedb_lib::db::raw_def::v9 as t;
    assert_eq!(bsatn::to_vec(&TableType::System), spacetimedb_sats::bsatn::to_vec(&t::TableType::System).unwrap());
    assert_eq!(bsatn::to_vec(&TableType::User), spacetimedb_sats::bsatn::to_vec(&t::TableType::User).unwrap());
    assert_eq!(bsatn::to_vec(&TableAccess::Public), spacetimedb_sats::bsatn::to_vec(&t::TableAccess::Public).unwrap());
    assert_eq!(
        bsatn::to_vec(&TableAccess::Private),
        spacetimedb_sats::bsatn::to_vec(&t::TableAccess::Private).unwrap()
    );
    for (ours, theirs) in [
        (Lifecycle::Init, t::Lifecycle::Init),
        (Lifecycle::OnConnect, t::Lifecycle::OnConnect),
        (Lifecycle::OnDisconnect, t::Lifecycle::OnDisconnect),
    ] {
        assert_eq!(bsatn::to_vec(&ours), spacetimedb_sats::bsatn::to_vec(&theirs).unwrap());
    }
    let hash = RawIndexAlgorithm::Hash { columns: ColList::from([2, 1]) };
    let their_hash = t::RawIndexAlgorithm::Hash { columns: [2u16, 1].into() };
    assert_eq!(bsatn::to_vec(&hash), spacetimedb_sats::bsatn::to_vec(&their_hash).unwrap());
    assert_eq!(bsatn::from_slice::<RawIndexAlgorithm>(&bsatn::to_vec(&hash)).unwrap(), hash);
    let seq = RawSequenceDefV9 {
        name: Some("s".into()),
        column: 3,
        start: Some(-5),
        min_value: Some(i128::MIN),
        max_value: None,
        increment: -2,
    };
    let their_seq = t::RawSequenceDefV9 {
        name: Some("s".into()),
        column: 3u16.into(),
        start: Some(-5),
        min_value: Some(i128::MIN),
        max_value: None,
        increment: -2,
    };
    assert_eq!(bsatn::to_vec(&seq), spacetimedb_sats::bsatn::to_vec(&their_seq).unwrap());
    assert_eq!(bsatn::from_slice::<RawSequenceDefV9>(&bsatn::to_vec(&seq)).unwrap(), seq);
}

#[test]
fn decoding_rejects_v8_misc_exports_and_bad_tags() {
    let err = bsatn::from_slice::<RawModuleDef>(&[0, 0, 0, 0, 0]).unwrap_err();
    assert!(err.to_string().contains("module definition V8 is not supported"), "{err}");
    assert_eq!(err.offset(), 0);
    // Tag 2 is V10 (see module_def_v10.rs); 3 is the first unknown tag.
    let err = bsatn::from_slice::<RawModuleDef>(&[3]).unwrap_err();
    assert!(err.to_string().contains("RawModuleDef"), "{err}");

    // A V9 definition whose misc_exports array claims one element.
    let mut bytes = our_bytes(RawModuleDefV9::default());
    let misc_len_at = 1 + 4 * 4;
    bytes[misc_len_at] = 1;
    bytes.push(0);
    let err = bsatn::from_slice::<RawModuleDef>(&bytes).unwrap_err();
    assert!(err.to_string().contains("RawMiscModuleExportV9"), "{err}");

    let err = bsatn::from_slice::<Lifecycle>(&[3]).unwrap_err();
    assert!(err.to_string().contains("Lifecycle"), "{err}");
}

// -------------------------------------------------------------------------------------------------
// Validation.

#[test]
fn example_modules_validate_clean_with_generated_names() {
    let summary = validate(&ours::build()).unwrap_or_else(|errs| panic!("{errs:#?}"));
    let player = &summary.tables[0];
    assert_eq!(player.name, "player");
    assert_eq!(player.columns, ["id", "name", "pos", "level", "score", "color", "owner"]);
    assert_eq!(player.primary_key, Some(0));
    assert_eq!(
        player.indexes,
        ["player_id_idx_btree", "player_name_idx_btree", "player_level_score_idx_btree", "player_color_idx_direct"]
    );
    assert_eq!(player.constraints, ["player_id_key", "player_name_key"]);
    assert_eq!(player.sequences, ["player_id_seq"]);
    assert_eq!(summary.tables[1].indexes, ["enemy_id_idx_btree", "enemy_pos_id_idx_btree"]);
    assert_eq!(summary.tables[2].schedule.as_deref(), Some("tick_timer_sched"));
    assert_eq!((summary.init, summary.on_connect, summary.on_disconnect), (Some(0), Some(1), Some(2)));
    assert_eq!(summary.lifecycle_reducer(Lifecycle::OnDisconnect), Some(2));
}

/// A one-table module: row `player { id: u64, name: String, score: f32, at: ScheduleAt }`, id the
/// auto-inc primary key, plus a reducer `ok(x: u32)`. Valid as built; tests break one rule each.
fn base() -> RawModuleDefV9 {
    let mut b = RawModuleDefV9Builder::new();
    let row = ProductType::new([
        (Some("id"), AlgebraicType::U64),
        (Some("name"), AlgebraicType::String),
        (Some("score"), AlgebraicType::F32),
        (Some("at"), AlgebraicType::schedule_at()),
    ]);
    b.build_table_with_new_type("player", row, true)
        .with_unique_constraint(0)
        .with_index(RawIndexAlgorithm::btree(0), "id")
        .with_primary_key(0)
        .with_column_sequence(0)
        .finish();
    b.add_reducer("ok", ProductType::new([(Some("x"), AlgebraicType::U32)]), None);
    b.finish()
}

/// Validates `def`, expecting exactly one error of `kind` whose message contains every `needle`.
#[track_caller]
fn expect_error(def: &RawModuleDefV9, kind: ValidationErrorKind, needles: &[&str]) {
    let errors = validate(def).expect_err("expected a validation error");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].kind(), kind, "{}", errors[0]);
    for needle in needles {
        assert!(errors[0].to_string().contains(needle), "`{needle}` not in: {}", errors[0]);
    }
}

fn row_mut(def: &mut RawModuleDefV9) -> &mut ProductType {
    let r = def.tables[0].product_type_ref;
    match &mut def.typespace.types[r.idx()] {
        AlgebraicType::Product(p) => p,
        _ => unreachable!(),
    }
}

#[test]
fn base_is_valid() {
    validate(&base()).unwrap();
}

#[test]
fn table_names() {
    let mut def = base();
    def.tables[0].name = "2player".into();
    expect_error(&def, ValidationErrorKind::InvalidIdentifier, &["table `2player`", "start with a letter"]);
    def.tables[0].name = "high-score".into();
    expect_error(&def, ValidationErrorKind::InvalidIdentifier, &["`high-score`", "only letters"]);
    def.tables[0].name = "".into();
    expect_error(&def, ValidationErrorKind::InvalidIdentifier, &["empty"]);
    def.tables[0].name = "jugador_ñ".into();
    validate(&def).unwrap();

    let mut def = base();
    def.tables[0].name = "st_player".into();
    expect_error(&def, ValidationErrorKind::ReservedTableName, &["table `st_player`", "st_"]);
    def.tables[0].table_type = TableType::System;
    validate(&def).unwrap();
}

#[test]
fn duplicate_names_across_the_global_namespace() {
    let mut def = base();
    def.tables.push(def.tables[0].clone());
    let errors = validate(&def).unwrap_err();
    // Index, constraint, sequence and table all collide.
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(errors.iter().all(|e| e.kind() == ValidationErrorKind::DuplicateName));
    assert!(errors.iter().any(|e| e.to_string().contains("`player_id_idx_btree`")));
    assert!(errors.iter().any(|e| e.to_string().contains("table `player` has the name `player`")));

    // A table named like another table's generated index name.
    let mut def = base();
    let mut other = def.tables[0].clone();
    other.name = "player_id_idx_btree".into();
    other.indexes.clear();
    other.constraints.clear();
    other.sequences.clear();
    other.primary_key = ColList::empty();
    def.tables.push(other);
    expect_error(
        &def,
        ValidationErrorKind::DuplicateName,
        &["table `player_id_idx_btree`", "index `player_id_idx_btree` of table `player`"],
    );

    // Two identical indexes.
    let mut def = base();
    let dup = def.tables[0].indexes[0].clone();
    def.tables[0].indexes.push(dup);
    expect_error(&def, ValidationErrorKind::DuplicateName, &["`player_id_idx_btree`"]);
}

#[test]
fn row_type_must_be_a_named_product() {
    let mut def = base();
    def.tables[0].product_type_ref = AlgebraicTypeRef(42);
    expect_error(&def, ValidationErrorKind::InvalidRowType, &["table `player`", "&42", "does not exist"]);
    let mut def = base();
    def.typespace.types.push(AlgebraicType::U8);
    def.tables[0].product_type_ref = AlgebraicTypeRef(1);
    expect_error(&def, ValidationErrorKind::InvalidRowType, &["table `player`", "U8"]);

    let mut def = base();
    let mut elements = row_mut(&mut def).elements.to_vec();
    elements[1].name = None;
    row_mut(&mut def).elements = elements.into();
    // Unnamed column 1; the generated names don't involve it.
    expect_error(&def, ValidationErrorKind::Unnamed, &["table `player`", "column 1 has no name"]);

    let mut def = base();
    let mut elements = row_mut(&mut def).elements.to_vec();
    elements[1].name = Some("the name".into());
    row_mut(&mut def).elements = elements.into();
    expect_error(&def, ValidationErrorKind::InvalidIdentifier, &["table `player`: column 1", "`the name`"]);
}

#[test]
fn columns_must_exist() {
    let mut def = base();
    def.tables[0].indexes.push(RawIndexDefV9 {
        name: None,
        accessor_name: None,
        algorithm: RawIndexAlgorithm::btree([1, 9]),
    });
    expect_error(
        &def,
        ValidationErrorKind::ColumnNotFound,
        &["table `player`", "player_name_col_9_idx_btree", "column 9", "only 4"],
    );
    let mut def = base();
    def.tables[0].sequences[0].column = 7;
    expect_error(&def, ValidationErrorKind::ColumnNotFound, &["table `player`", "player_col_7_seq"]);
}

#[test]
fn unique_constraints_need_a_matching_index() {
    let mut def = base();
    def.tables[0].constraints.push(RawConstraintDefV9 {
        name: None,
        data: RawConstraintDataV9::Unique(RawUniqueConstraintDataV9 { columns: ColList::from([1, 0]) }),
    });
    expect_error(
        &def,
        ValidationErrorKind::UniqueWithoutIndex,
        &["table `player`", "player_name_id_key", "column `name`, column `id`"],
    );
    // An index over the same set, in another order, satisfies it.
    def.tables[0].indexes.push(RawIndexDefV9 {
        name: None,
        accessor_name: None,
        algorithm: RawIndexAlgorithm::btree([0, 1]),
    });
    validate(&def).unwrap();
}

#[test]
fn primary_key_rules() {
    let mut def = base();
    def.tables[0].primary_key = ColList::from([0, 1]);
    expect_error(&def, ValidationErrorKind::CompositePrimaryKey, &["table `player`", "2 columns"]);
    let mut def = base();
    def.tables[0].primary_key = ColList::new(1);
    expect_error(
        &def,
        ValidationErrorKind::PrimaryKeyNotUnique,
        &["table `player`", "column `name`", "unique constraint"],
    );
}

#[test]
fn sequence_rules() {
    let mut def = base();
    def.tables[0].sequences[0].column = 2;
    expect_error(
        &def,
        ValidationErrorKind::SequenceNotInteger,
        &["table `player`: column `score` is F32, which cannot be auto_inc: sequences need an integer column"],
    );
    let mut def = base();
    let dup = RawSequenceDefV9 { name: Some("other_seq".into()), ..def.tables[0].sequences[0].clone() };
    def.tables[0].sequences.push(dup);
    expect_error(
        &def,
        ValidationErrorKind::DuplicateSequence,
        &["table `player`", "column `id`", "more than one sequence"],
    );
    let mut def = base();
    def.tables[0].sequences[0].start = Some(10);
    def.tables[0].sequences[0].max_value = Some(5);
    expect_error(&def, ValidationErrorKind::SequenceRange, &["table `player`", "player_id_seq", "start 10, max 5"]);
    def.tables[0].sequences[0].start = None;
    def.tables[0].sequences[0].min_value = Some(6);
    expect_error(&def, ValidationErrorKind::SequenceRange, &["min 6, start default, max 5"]);
}

#[test]
fn index_kinds() {
    let mut def = base();
    def.tables[0].indexes.push(RawIndexDefV9 {
        name: None,
        accessor_name: Some("by_name".into()),
        algorithm: RawIndexAlgorithm::direct(1),
    });
    expect_error(
        &def,
        ValidationErrorKind::DirectIndexType,
        &["table `player`", "player_name_idx_direct", "column `name`", "String"],
    );

    let mut def = base();
    def.tables[0].indexes.push(RawIndexDefV9 {
        name: None,
        accessor_name: None,
        algorithm: RawIndexAlgorithm::Hash { columns: ColList::new(1) },
    });
    expect_error(&def, ValidationErrorKind::HashIndex, &["table `player`", "player_name_idx_hash"]);

    let mut def = base();
    def.tables[0].indexes[0].accessor_name = Some("by id".into());
    expect_error(&def, ValidationErrorKind::InvalidIdentifier, &["table `player`", "accessor name", "`by id`"]);

    // Direct indexes accept u8..u64 and payload-free enums, inline or by reference.
    let mut b = RawModuleDefV9Builder::new();
    let color = b.add_algebraic_type([], "Color", AlgebraicType::sum([(Some("Red"), AlgebraicType::unit())]), true);
    let row = ProductType::new([(Some("a"), AlgebraicType::U8), (Some("c"), AlgebraicType::Ref(color))]);
    b.build_table_with_new_type("t", row, true)
        .with_index(RawIndexAlgorithm::direct(0), "a")
        .with_index(RawIndexAlgorithm::direct(1), "c")
        .finish();
    validate(&b.finish()).unwrap();
}

#[test]
fn schedule_rules() {
    let scheduled = || {
        let mut def = base();
        def.tables[0].schedule =
            Some(RawScheduleDefV9 { name: None, reducer_name: "run".into(), scheduled_at_column: 3 });
        let row = AlgebraicType::Ref(def.tables[0].product_type_ref);
        def.reducers.push(RawReducerDefV9 {
            name: "run".into(),
            params: ProductType::new([(Some("row"), row)]),
            lifecycle: None,
        });
        def
    };
    validate(&scheduled()).unwrap();

    let mut def = scheduled();
    def.tables[0].schedule.as_mut().unwrap().scheduled_at_column = 2;
    expect_error(
        &def,
        ValidationErrorKind::ScheduleAtColumn,
        &["table `player`", "column `score`", "F32", "ScheduleAt"],
    );

    let mut def = scheduled();
    def.tables[0].primary_key = ColList::empty();
    expect_error(&def, ValidationErrorKind::SchedulePrimaryKey, &["table `player`", "u64 primary key", "has none"]);

    let mut def = scheduled();
    def.tables[0].schedule.as_mut().unwrap().reducer_name = "nope".into();
    expect_error(&def, ValidationErrorKind::ScheduledReducerMissing, &["table `player`", "reducer `nope`"]);

    let mut def = scheduled();
    def.reducers[1].params = ProductType::new([(Some("id"), AlgebraicType::U64)]);
    expect_error(
        &def,
        ValidationErrorKind::ScheduledReducerParams,
        &["reducer `run`", "table `player`", "(&0)", "(U64)"],
    );
}

#[test]
fn reducer_rules() {
    let mut def = base();
    def.reducers[0].params = ProductType::new([(None::<&str>, AlgebraicType::U32)]);
    expect_error(&def, ValidationErrorKind::Unnamed, &["reducer `ok`", "parameter 0 has no name"]);

    let mut def = base();
    def.reducers.push(def.reducers[0].clone());
    expect_error(&def, ValidationErrorKind::DuplicateReducer, &["reducer `ok`", "more than once"]);

    let mut def = base();
    def.reducers[0].name = "bad name".into();
    expect_error(&def, ValidationErrorKind::InvalidIdentifier, &["reducer `bad name`"]);

    let mut def = base();
    for name in ["a", "b"] {
        def.reducers.push(RawReducerDefV9 {
            name: name.into(),
            params: ProductType::default(),
            lifecycle: Some(Lifecycle::OnConnect),
        });
    }
    expect_error(&def, ValidationErrorKind::DuplicateLifecycle, &["reducers `a` and `b`", "client_connected"]);
}

#[test]
fn type_use_rules() {
    // A struct written inline in a column.
    let mut def = base();
    let mut elements = row_mut(&mut def).elements.to_vec();
    elements[1].algebraic_type = AlgebraicType::product([(Some("x"), AlgebraicType::U8)]);
    row_mut(&mut def).elements = elements.into();
    expect_error(&def, ValidationErrorKind::InlineCompoundType, &["table `player`: column `name`", "inline product"]);

    // An enum written inline in a reducer parameter, under an option and an array.
    let mut def = base();
    let inline_sum = AlgebraicType::sum([(Some("A"), AlgebraicType::U8), (Some("B"), AlgebraicType::unit())]);
    def.reducers[0].params = ProductType::new([(Some("x"), AlgebraicType::option(AlgebraicType::array(inline_sum)))]);
    expect_error(&def, ValidationErrorKind::InlineCompoundType, &["reducer `ok`: parameter `x`", "sum"]);

    // Special types, unit, options and arrays of them are fine inline.
    let mut def = base();
    def.reducers[0].params = ProductType::new([
        (Some("who"), AlgebraicType::identity()),
        (Some("when"), AlgebraicType::option(AlgebraicType::timestamp())),
        (Some("nothing"), AlgebraicType::unit()),
        (Some("ids"), AlgebraicType::array(AlgebraicType::connection_id())),
        (Some("at"), AlgebraicType::schedule_at()),
    ]);
    validate(&def).unwrap();

    // A dangling reference.
    let mut def = base();
    def.reducers[0].params = ProductType::new([(Some("x"), AlgebraicType::Ref(AlgebraicTypeRef(99)))]);
    expect_error(&def, ValidationErrorKind::DanglingTypeRef, &["reducer `ok`: parameter `x`", "&99"]);

    // A reference loop through unnamed entries.
    let mut def = base();
    def.typespace.types.push(AlgebraicType::Ref(AlgebraicTypeRef(2)));
    def.typespace.types.push(AlgebraicType::Ref(AlgebraicTypeRef(1)));
    def.reducers[0].params = ProductType::new([(Some("x"), AlgebraicType::Ref(AlgebraicTypeRef(1)))]);
    expect_error(&def, ValidationErrorKind::RecursiveTypeRef, &["reducer `ok`: parameter `x`", "&1"]);

    // A reference to an unnamed entry holding a valid use is fine; to an unnamed struct is not.
    let mut def = base();
    def.typespace.types.push(AlgebraicType::array(AlgebraicType::String));
    def.typespace.types.push(AlgebraicType::product([(Some("a"), AlgebraicType::U8)]));
    def.reducers[0].params = ProductType::new([(Some("x"), AlgebraicType::Ref(AlgebraicTypeRef(1)))]);
    validate(&def).unwrap();
    def.reducers[0].params = ProductType::new([(Some("x"), AlgebraicType::Ref(AlgebraicTypeRef(2)))]);
    expect_error(&def, ValidationErrorKind::InlineCompoundType, &["reducer `ok`: parameter `x`", "product"]);
}

#[test]
fn type_definition_rules() {
    let mut b = RawModuleDefV9Builder::new();
    b.add_algebraic_type(["game".into()], "Pos", AlgebraicType::product([(Some("x"), AlgebraicType::U8)]), true);
    b.add_algebraic_type(["game".into()], "Pos", AlgebraicType::product([(Some("y"), AlgebraicType::U8)]), true);
    expect_error(&b.finish(), ValidationErrorKind::DuplicateTypeName, &["type `game::Pos`", "&0 and &1"]);

    let mut b = RawModuleDefV9Builder::new();
    b.add_algebraic_type([], "Id", AlgebraicType::U64, true);
    expect_error(&b.finish(), ValidationErrorKind::NotProductOrSum, &["type `Id`", "U64"]);

    let mut b = RawModuleDefV9Builder::new();
    b.add_algebraic_type(["bad scope".into()], "T", AlgebraicType::unit(), true);
    expect_error(&b.finish(), ValidationErrorKind::InvalidIdentifier, &["type `bad scope::T`", "`bad scope`"]);

    let mut b = RawModuleDefV9Builder::new();
    b.add_algebraic_type([], "E", AlgebraicType::sum([(None::<&str>, AlgebraicType::U8)]), true);
    expect_error(&b.finish(), ValidationErrorKind::Unnamed, &["type `E`", "variant 0 has no name"]);

    let mut b = RawModuleDefV9Builder::new();
    let inner = AlgebraicType::product([(Some("a"), AlgebraicType::U8)]);
    b.add_algebraic_type([], "Outer", AlgebraicType::product([(Some("inner"), inner)]), true);
    expect_error(&b.finish(), ValidationErrorKind::InlineCompoundType, &["type `Outer`: field `inner`"]);

    let mut def = base();
    def.types[0].ty = AlgebraicTypeRef(5);
    let errors = validate(&def).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.kind() == ValidationErrorKind::DanglingTypeRef && e.to_string().contains("type `player`")),
        "{errors:#?}"
    );
}

#[test]
fn all_errors_are_collected() {
    let mut def = base();
    def.tables[0].name = "st_x".into();
    def.tables[0].sequences[0].column = 2;
    def.reducers[0].params = ProductType::new([(None::<&str>, AlgebraicType::U32)]);
    def.tables[0].schedule =
        Some(RawScheduleDefV9 { name: None, reducer_name: "missing".into(), scheduled_at_column: 3 });
    let errors = validate(&def).unwrap_err();
    let kinds: Vec<_> = errors.iter().map(ValidationError::kind).collect();
    assert_eq!(
        kinds,
        [
            ValidationErrorKind::ReservedTableName,
            ValidationErrorKind::SequenceNotInteger,
            ValidationErrorKind::Unnamed,
            ValidationErrorKind::ScheduledReducerMissing
        ],
        "{errors:#?}"
    );
}

#[test]
fn name_generators() {
    let row =
        ProductType::new([(Some("a"), AlgebraicType::U8), (None, AlgebraicType::U8), (Some("c"), AlgebraicType::U8)]);
    assert_eq!(generated_index_name("t", &row, &RawIndexAlgorithm::btree([2, 1, 0])), "t_c_col_1_a_idx_btree");
    assert_eq!(generated_index_name("t", &row, &RawIndexAlgorithm::Hash { columns: ColList::new(0) }), "t_a_idx_hash");
    assert_eq!(generated_unique_constraint_name("t", &row, &ColList::from([0, 2])), "t_a_c_key");
    assert_eq!(generated_sequence_name("t", &row, 1), "t_col_1_seq");
    assert_eq!(generated_schedule_name("t"), "t_sched");
    assert_eq!(
        RawScopedTypeNameV9::from_sats_name("Plain"),
        RawScopedTypeNameV9 { scope: Box::new([]), name: "Plain".into() }
    );
}

// -------------------------------------------------------------------------------------------------
// Random module shapes: both builders, same calls, same bytes.

mod random {
    use super::*;
    use proptest::prelude::*;
    use spacetimedb_lib::db::raw_def::v9 as t;
    use spacetimedb_sats::AlgebraicType as TheirType;

    fn prim(i: u8) -> (AlgebraicType, TheirType) {
        match i % 14 {
            0 => (AlgebraicType::Bool, TheirType::Bool),
            1 => (AlgebraicType::U8, TheirType::U8),
            2 => (AlgebraicType::I16, TheirType::I16),
            3 => (AlgebraicType::U32, TheirType::U32),
            4 => (AlgebraicType::I64, TheirType::I64),
            5 => (AlgebraicType::U128, TheirType::U128),
            6 => (AlgebraicType::I256, TheirType::I256),
            7 => (AlgebraicType::F64, TheirType::F64),
            8 => (AlgebraicType::String, TheirType::String),
            9 => (AlgebraicType::array(AlgebraicType::U8), TheirType::bytes()),
            10 => (AlgebraicType::identity(), TheirType::identity()),
            11 => (AlgebraicType::option(AlgebraicType::timestamp()), TheirType::option(TheirType::timestamp())),
            12 => (AlgebraicType::schedule_at(), spacetimedb_lib::ScheduleAt::get_type()),
            _ => (AlgebraicType::Ref(AlgebraicTypeRef(0)), TheirType::Ref(spacetimedb_sats::AlgebraicTypeRef(0))),
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Unique(Vec<u16>),
        BTree(Vec<u16>, Option<String>),
        Direct(u16),
        Pk(u16),
        Seq(u16),
        Schedule(String, u16),
        Access(bool),
    }

    #[derive(Debug, Clone)]
    struct Table {
        name: String,
        columns: Vec<(Option<String>, u8)>,
        ops: Vec<Op>,
    }

    fn name() -> impl Strategy<Value = String> {
        "[a-zA-Z_][a-zA-Z0-9_é]{0,8}"
    }

    fn op() -> impl Strategy<Value = Op> {
        let cols = || prop::collection::vec(0u16..12, 0..4);
        prop_oneof![
            cols().prop_map(Op::Unique),
            (cols(), prop::option::of(name())).prop_map(|(c, n)| Op::BTree(c, n)),
            (0u16..12).prop_map(Op::Direct),
            (0u16..12).prop_map(Op::Pk),
            (0u16..12).prop_map(Op::Seq),
            (name(), 0u16..12).prop_map(|(r, c)| Op::Schedule(r, c)),
            any::<bool>().prop_map(Op::Access),
        ]
    }

    fn table() -> impl Strategy<Value = Table> {
        (
            name(),
            prop::collection::vec((prop::option::of(name()), any::<u8>()), 0..8),
            prop::collection::vec(op(), 0..8),
        )
            .prop_map(|(name, columns, ops)| Table { name, columns, ops })
    }

    type Reducer = (String, Vec<(Option<String>, u8)>, Option<u8>);

    fn reducer() -> impl Strategy<Value = Reducer> {
        (name(), prop::collection::vec((prop::option::of(name()), any::<u8>()), 0..4), prop::option::of(0u8..3))
    }

    fn build_ours(tables: &[Table], reducers: &[Reducer], rls: &[String]) -> RawModuleDefV9 {
        let mut b = RawModuleDefV9Builder::new();
        b.add_algebraic_type([], "Shared", AlgebraicType::product([(Some("v"), AlgebraicType::U8)]), true);
        for t in tables {
            let row = ProductType::new(t.columns.iter().map(|(n, ty)| (n.clone(), prim(*ty).0)));
            let mut tb = b.build_table_with_new_type(t.name.as_str(), row, true);
            for op in &t.ops {
                tb = match op.clone() {
                    Op::Unique(c) => tb.with_unique_constraint(c),
                    Op::BTree(c, Some(n)) => tb.with_index(RawIndexAlgorithm::btree(c), n),
                    Op::BTree(c, None) => tb.with_index_no_accessor_name(RawIndexAlgorithm::btree(c)),
                    Op::Direct(c) => tb.with_index(RawIndexAlgorithm::direct(c), "d"),
                    Op::Pk(c) => tb.with_primary_key(c),
                    Op::Seq(c) => tb.with_column_sequence(c),
                    Op::Schedule(r, c) => tb.with_schedule(r, c),
                    Op::Access(p) => tb.with_access(if p { TableAccess::Public } else { TableAccess::Private }),
                };
            }
            tb.finish();
        }
        for (name, params, lifecycle) in reducers {
            let params = ProductType::new(params.iter().map(|(n, ty)| (n.clone(), prim(*ty).0)));
            b.add_reducer(name.as_str(), params, lifecycle.map(|l| Lifecycle::ALL[usize::from(l)]));
        }
        for sql in rls {
            b.add_row_level_security(sql);
        }
        b.finish()
    }

    fn build_theirs(tables: &[Table], reducers: &[Reducer], rls: &[String]) -> t::RawModuleDefV9 {
        let mut b = t::RawModuleDefV9Builder::new();
        b.add_algebraic_type([], "Shared", TheirType::product([("v", TheirType::U8)]), true);
        for tab in tables {
            let row: Vec<spacetimedb_sats::ProductTypeElement> = tab
                .columns
                .iter()
                .map(|(n, ty)| spacetimedb_sats::ProductTypeElement::new(prim(*ty).1, n.as_deref().map(Into::into)))
                .collect();
            let mut tb = b.build_table_with_new_type(
                tab.name.as_str(),
                spacetimedb_sats::ProductType::from(row.into_boxed_slice()),
                true,
            );
            for op in &tab.ops {
                tb = match op.clone() {
                    // `ColList` isn't re-exported; let the field types name it.
                    Op::Unique(c) => {
                        let data = t::RawUniqueConstraintDataV9 { columns: c.into_iter().collect() };
                        tb.with_unique_constraint(data.columns)
                    }
                    Op::BTree(c, Some(n)) => {
                        tb.with_index(t::RawIndexAlgorithm::BTree { columns: c.into_iter().collect() }, n)
                    }
                    Op::BTree(c, None) => {
                        tb.with_index_no_accessor_name(t::RawIndexAlgorithm::BTree { columns: c.into_iter().collect() })
                    }
                    Op::Direct(c) => tb.with_index(t::direct(c), "d"),
                    Op::Pk(c) => tb.with_primary_key(c),
                    Op::Seq(c) => tb.with_column_sequence(c),
                    Op::Schedule(r, c) => tb.with_schedule(r, c),
                    Op::Access(p) => tb.with_access(if p { t::TableAccess::Public } else { t::TableAccess::Private }),
                };
            }
            tb.finish();
        }
        for (name, params, lifecycle) in reducers {
            let params: spacetimedb_sats::ProductType = params
                .iter()
                .map(|(n, ty)| spacetimedb_sats::ProductTypeElement::new(prim(*ty).1, n.as_deref().map(Into::into)))
                .collect();
            let lifecycle = lifecycle
                .map(|l| [t::Lifecycle::Init, t::Lifecycle::OnConnect, t::Lifecycle::OnDisconnect][usize::from(l)]);
            b.add_reducer(name.as_str(), params, lifecycle);
        }
        for sql in rls {
            b.add_row_level_security(sql);
        }
        b.finish()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn random_modules_match_official(
            tables in prop::collection::vec(table(), 0..4),
            reducers in prop::collection::vec(reducer(), 0..4),
            rls in prop::collection::vec("\\PC{0,16}", 0..3),
        ) {
            let ours = build_ours(&tables, &reducers, &rls);
            // The validator must never panic, whatever the shape.
            let _ = validate(&ours);
            assert_same(ours, build_theirs(&tables, &reducers, &rls));
        }
    }
}

mod hostile {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// Hostile module definitions: a real definition with bytes overwritten, cut, inserted or
        /// flipped never panics our decoder or validator; what does decode re-encodes to the bytes it
        /// consumed.
        #[test]
        fn mutated_definitions_never_panic(edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)) {
            let mut bytes = our_bytes(ours::build());
            for (pos, kind, byte) in edits {
                if bytes.is_empty() { break; }
                let i = pos % bytes.len();
                match kind % 4 {
                    0 => bytes[i] = byte,
                    1 => bytes.truncate(i),
                    2 => bytes.insert(i, byte),
                    _ => bytes[i] ^= 1 << (byte % 8),
                }
            }
            let mut r = worldtube_lib::bsatn::Reader::new(&bytes);
            if let Ok(def) = <RawModuleDef as worldtube_lib::bsatn::Decode>::decode(&mut r) {
                prop_assert_eq!(worldtube_lib::bsatn::to_vec(&def), bytes[..r.offset()].to_vec());
                if let RawModuleDef::V9(v9) = &def {
                    let _ = worldtube_lib::raw_def::validate(v9);
                }
            }
        }

        /// Random bytes never panic the decoder.
        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = worldtube_lib::bsatn::from_slice::<RawModuleDef>(&bytes);
        }
    }
}
