//! The V10 module definition against SpacetimeDB 2.8.3's own (`spacetimedb-lib =2.8.3`): the same
//! module built with our builder and theirs encodes to the same bytes and decodes on both sides;
//! random definitions converted field by field to their types encode identically; hostile bytes
//! never panic the decoder; and the V10 validator's rules.

mod oracle_v10;

use oracle_v10::{their_bytes, their_module};
use worldtube_lib::algebraic::{
    AlgebraicType, AlgebraicTypeRef, AlgebraicValue, ProductType, SpacetimeType, TypespaceBuilder,
};
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::v10::*;
use worldtube_lib::raw_def::*;

// -------------------------------------------------------------------------------------------------
// Their side: types with the official derive, module with the official builder.

mod theirs {
    use spacetimedb_lib_2::db::raw_def::v10::{
        CaseConversionPolicy, ExplicitNames, MethodOrAny, RawModuleDefV10, RawModuleDefV10Builder,
    };
    use spacetimedb_lib_2::db::raw_def::v9::{btree, direct, hash, Lifecycle, TableAccess, TableType};
    use spacetimedb_lib_2::http::Method;
    use spacetimedb_lib_2::{AlgebraicType, AlgebraicValue, Identity, ProductType, ScheduleAt, SpacetimeType};

    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib_2, name = "game.Vec2")]
    pub(crate) struct Vec2 {
        x: f32,
        y: f32,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib_2)]
    pub(crate) enum Color {
        Red,
        Green,
        Blue,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib_2)]
    pub(crate) enum Tree {
        Leaf(u32),
        Branch(Vec<Tree>),
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib_2)]
    pub(crate) struct Player {
        id: u64,
        name: String,
        pos: Vec2,
        level: u32,
        color: Color,
        owner: Identity,
        loot: Tree,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib_2)]
    pub(crate) struct TickTimer {
        scheduled_id: u64,
        scheduled_at: ScheduleAt,
    }
    #[derive(SpacetimeType)]
    #[sats(crate = spacetimedb_lib_2)]
    pub(crate) struct Explosion {
        at: Vec2,
        power: u8,
    }

    fn row<T: SpacetimeType>(b: &mut RawModuleDefV10Builder) -> spacetimedb_sats_2::AlgebraicTypeRef {
        match b.add_type::<T>() {
            AlgebraicType::Ref(r) => r,
            other => panic!("row type is not a ref: {other:?}"),
        }
    }

    pub(crate) fn build() -> RawModuleDefV10 {
        let mut b = RawModuleDefV10Builder::new();
        b.set_case_conversion_policy(CaseConversionPolicy::None);
        let player = row::<Player>(&mut b);
        b.build_table("Player", player)
            .with_type(TableType::User)
            .with_access(TableAccess::Public)
            .with_unique_constraint(0u16)
            .with_index(btree(0u16), "Player_id_idx_btree", "id")
            .with_index(hash(1u16), "Player_name_idx_hash", "name")
            .with_index_no_accessor_name(btree([3u16, 0]), "Player_level_id_idx_btree")
            .with_index(direct(4u16), "Player_color_idx_direct", "color")
            .with_primary_key(0u16)
            .with_column_sequence(0u16)
            .with_default_column_value(3u16, AlgebraicValue::U32(7))
            .with_default_column_value(1u16, AlgebraicValue::String("nobody".into()))
            .finish();
        let timer = row::<TickTimer>(&mut b);
        b.build_table("tick_timer", timer)
            .with_access(TableAccess::Private)
            .with_auto_inc_primary_key(0u16)
            .with_index(btree(0u16), "tick_timer_scheduled_id_idx_btree", "scheduled_id")
            .finish();
        let explosion = row::<Explosion>(&mut b);
        b.build_table("explosion", explosion).with_event(true).finish();
        b.add_schedule("tick_timer", 1u16, "tick");

        b.add_lifecycle_reducer(Lifecycle::Init, "init", ProductType::unit());
        b.add_lifecycle_reducer(Lifecycle::OnConnect, "on_connect", ProductType::unit());
        let timer_ty = b.add_type::<TickTimer>();
        b.add_reducer("tick", ProductType::from([("timer", timer_ty.clone())]));
        let params = [("to", b.add_type::<Vec2>()), ("path", b.add_type::<Vec<Vec2>>())];
        b.add_reducer("movePlayer", ProductType::from(params));
        b.add_lifecycle_reducer(Lifecycle::OnDisconnect, "on_disconnect", ProductType::unit());
        let who = b.add_type::<Identity>();
        b.add_procedure("fetch_score", ProductType::from([("who", who)]), AlgebraicType::U64);
        b.add_procedure("tock", ProductType::from([("timer", timer_ty)]), AlgebraicType::unit());
        b.add_schedule("tick_timer", 1u16, "tock");
        let players = b.add_type::<Vec<Player>>();
        b.add_view("all_players", 0, true, true, ProductType::unit(), players);
        let me = b.add_type::<Option<Player>>();
        b.add_view("my_player", 0, true, false, ProductType::unit(), me);
        let query = AlgebraicType::product([("__query__", AlgebraicType::Ref(player))]);
        b.add_view("high_levels", 1, false, true, ProductType::from([("min", AlgebraicType::U32)]), query);
        b.add_view_primary_key("all_players", ["id"]);
        b.add_row_level_security("SELECT * FROM Player WHERE owner = :sender");
        let mut names = ExplicitNames::default();
        names.insert_table("Player", "player");
        names.insert_function("movePlayer", "move_player");
        b.add_explicit_names(names);
        let mut names = ExplicitNames::default();
        names.insert_index("Player_name_idx_hash", "player_by_name");
        b.add_explicit_names(names);
        b.add_http_handler("hello");
        b.add_http_route("hello", MethodOrAny::Any, "/hello");
        b.add_http_route("hello", MethodOrAny::Method(Method::Extension("PURGE".into())), "/purge");
        b.add_http_route("hello", MethodOrAny::Method(Method::Patch), "");
        b.add_row_level_security("SELECT * FROM explosion");
        b.set_case_conversion_policy(CaseConversionPolicy::SnakeCase);
        b.finish()
    }
}

// -------------------------------------------------------------------------------------------------
// Our side: the same types with hand-written `SpacetimeType` impls (what our derive generates).

mod ours {
    use super::*;
    use std::any::TypeId;
    use worldtube_lib::algebraic::TypespaceBuilder;
    use worldtube_lib::{Identity, ScheduleAt};

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
    named!(Color = "Color", sum { Red: (), Green: (), Blue: () });
    named!(Tree = "Tree", sum { Leaf: u32, Branch: Vec<Tree> });
    named!(
        Player = "Player",
        product { id: u64, name: String, pos: Vec2, level: u32, color: Color, owner: Identity, loot: Tree }
    );
    named!(TickTimer = "TickTimer", product { scheduled_id: u64, scheduled_at: ScheduleAt });
    named!(Explosion = "Explosion", product { at: Vec2, power: u8 });

    fn row<T: SpacetimeType>(b: &mut RawModuleDefV10Builder) -> AlgebraicTypeRef {
        match b.add_type::<T>() {
            AlgebraicType::Ref(r) => r,
            other => panic!("row type is not a ref: {other:?}"),
        }
    }

    pub(crate) fn build() -> RawModuleDefV10 {
        builder().finish()
    }

    /// The builder with every call made (everything but `finish`).
    pub(crate) fn builder() -> RawModuleDefV10Builder {
        let mut b = RawModuleDefV10Builder::new();
        b.set_case_conversion_policy(CaseConversionPolicy::None);
        let player = row::<Player>(&mut b);
        b.build_table("Player", player)
            .with_type(TableType::User)
            .with_access(TableAccess::Public)
            .with_unique_constraint(0)
            .with_index(RawIndexAlgorithm::btree(0), "Player_id_idx_btree", "id")
            .with_index(RawIndexAlgorithm::Hash { columns: 1.into() }, "Player_name_idx_hash", "name")
            .with_index_no_accessor_name(RawIndexAlgorithm::btree([3, 0]), "Player_level_id_idx_btree")
            .with_index(RawIndexAlgorithm::direct(4), "Player_color_idx_direct", "color")
            .with_primary_key(0)
            .with_column_sequence(0)
            .with_default_column_value(3, &AlgebraicValue::U32(7))
            .with_default_column_value(1, &AlgebraicValue::String("nobody".into()))
            .finish();
        let timer = row::<TickTimer>(&mut b);
        b.build_table("tick_timer", timer)
            .with_access(TableAccess::Private)
            .with_auto_inc_primary_key(0)
            .with_index(RawIndexAlgorithm::btree(0), "tick_timer_scheduled_id_idx_btree", "scheduled_id")
            .finish();
        let explosion = row::<Explosion>(&mut b);
        b.build_table("explosion", explosion).with_event(true).finish();
        b.add_schedule("tick_timer", 1, "tick");

        b.add_lifecycle_reducer(Lifecycle::Init, "init", ProductType::default());
        b.add_lifecycle_reducer(Lifecycle::OnConnect, "on_connect", ProductType::default());
        let timer_ty = b.add_type::<TickTimer>();
        b.add_reducer("tick", ProductType::new([(Some("timer"), timer_ty.clone())]));
        let params = [(Some("to"), b.add_type::<Vec2>()), (Some("path"), b.add_type::<Vec<Vec2>>())];
        b.add_reducer("movePlayer", ProductType::new(params));
        b.add_lifecycle_reducer(Lifecycle::OnDisconnect, "on_disconnect", ProductType::default());
        let who = b.add_type::<Identity>();
        b.add_procedure("fetch_score", ProductType::new([(Some("who"), who)]), AlgebraicType::U64);
        b.add_procedure("tock", ProductType::new([(Some("timer"), timer_ty)]), AlgebraicType::unit());
        b.add_schedule("tick_timer", 1, "tock");
        let players = b.add_type::<Vec<Player>>();
        b.add_view("all_players", 0, true, true, ProductType::default(), players);
        let me = b.add_type::<Option<Player>>();
        b.add_view("my_player", 0, true, false, ProductType::default(), me);
        let query = AlgebraicType::product([(Some("__query__"), AlgebraicType::Ref(player))]);
        b.add_view("high_levels", 1, false, true, ProductType::new([(Some("min"), AlgebraicType::U32)]), query);
        b.add_view_primary_key("all_players", ["id"]);
        b.add_row_level_security("SELECT * FROM Player WHERE owner = :sender");
        let mut names = ExplicitNames::default();
        names.insert_table("Player", "player");
        names.insert_function("movePlayer", "move_player");
        b.add_explicit_names(names);
        let mut names = ExplicitNames::default();
        names.insert_index("Player_name_idx_hash", "player_by_name");
        b.add_explicit_names(names);
        b.add_http_handler("hello");
        b.add_http_route("hello", MethodOrAny::Any, "/hello");
        b.add_http_route("hello", MethodOrAny::Method(HttpMethod::Extension("PURGE".into())), "/purge");
        b.add_http_route("hello", MethodOrAny::Method(HttpMethod::Patch), "");
        b.add_row_level_security("SELECT * FROM explosion");
        b.set_case_conversion_policy(CaseConversionPolicy::SnakeCase);
        b
    }
}

fn our_bytes(def: &RawModuleDefV10) -> Vec<u8> {
    bsatn::to_vec(&RawModuleDef::V10(def.clone()))
}

/// (a) byte-identical, (b) their decoder reads ours back to their def, (c) ours reads theirs back
/// to ours and re-encodes identically.
fn assert_same(ours: &RawModuleDefV10, theirs: spacetimedb_lib_2::db::raw_def::v10::RawModuleDefV10) {
    let their_debug = format!("{theirs:?}");
    let (ob, tb) = (our_bytes(ours), their_bytes(theirs));
    assert_eq!(ob, tb, "encodings differ\nours:   {ob:?}\ntheirs: {tb:?}");

    let decoded: spacetimedb_lib_2::RawModuleDef = spacetimedb_sats_2::bsatn::from_slice(&ob).unwrap();
    let spacetimedb_lib_2::RawModuleDef::V10(decoded) = decoded else { panic!("not V10") };
    // Their types implement `PartialEq` only under a test feature; compare the full debug rendering.
    assert_eq!(format!("{decoded:?}"), their_debug);

    let back: RawModuleDef = bsatn::from_slice(&tb).unwrap();
    assert_eq!(back, RawModuleDef::V10(ours.clone()));
    assert_eq!(bsatn::to_vec(&back), tb);
}

#[test]
fn full_module_matches_official_builder() {
    let ours = ours::build();
    // Sanity: the pieces we mean to cover are there.
    assert_eq!(ours.tables().map(Vec::len), Some(3));
    assert_eq!(ours.reducers().map(Vec::len), Some(5));
    assert_eq!(ours.procedures().map(Vec::len), Some(2));
    assert_eq!(ours.views().map(Vec::len), Some(3));
    assert_eq!(ours.schedules().map(Vec::len), Some(2));
    assert_eq!(ours.lifecycle_reducers().map(Vec::len), Some(3));
    assert_eq!(ours.explicit_names().map(|n| n.entries.len()), Some(3));
    assert_eq!(ours.case_conversion_policy(), CaseConversionPolicy::SnakeCase);
    // The policy set twice ends up once, last.
    assert!(matches!(ours.sections.last(), Some(RawModuleDefV10Section::CaseConversionPolicy(_))));
    assert_eq!(
        ours.sections.iter().filter(|s| matches!(s, RawModuleDefV10Section::CaseConversionPolicy(_))).count(),
        1
    );
    assert_same(&ours, theirs::build());
    // And the structural conversion agrees with their builder too.
    assert_eq!(their_bytes(their_module(&ours)), our_bytes(&ours));
}

/// The builder writes each part's bytes as it is added; what `finish_bsatn` puts together is
/// byte for byte what the official builder's definition encodes to, for every kind of section
/// the builder makes, for a few, and for none (with the case conversion policy moved last).
#[test]
fn the_builders_bytes_are_the_official_definitions_bytes() {
    let theirs = |def| {
        let bytes = their_bytes(def);
        bytes[1..].to_vec() // without `RawModuleDef`'s V10 tag
    };
    let all = ours::builder();
    assert_eq!(all.finish_bsatn(), theirs(theirs::build()));
    assert_eq!(all.finish().sections.len(), 14, "every kind of section the builder makes (all but submodules)");

    let mut few = RawModuleDefV10Builder::new();
    few.set_case_conversion_policy(CaseConversionPolicy::None);
    few.add_reducer("ping", ProductType::default());
    few.set_case_conversion_policy(CaseConversionPolicy::SnakeCase);
    let mut their_few = spacetimedb_lib_2::db::raw_def::v10::RawModuleDefV10Builder::new();
    their_few.set_case_conversion_policy(spacetimedb_lib_2::db::raw_def::v10::CaseConversionPolicy::None);
    their_few.add_reducer("ping", spacetimedb_sats_2::ProductType::unit());
    their_few.set_case_conversion_policy(spacetimedb_lib_2::db::raw_def::v10::CaseConversionPolicy::SnakeCase);
    assert_eq!(few.finish_bsatn(), theirs(their_few.finish()));
    assert_eq!(few.finish().sections.len(), 2);

    assert_eq!(RawModuleDefV10Builder::new().finish_bsatn(), [0, 0, 0, 0]);
}

/// A named type's definition is written straight from its name; it is what the
/// `RawTypeDefV10` the name splits into encodes to.
#[test]
fn named_types_are_split_into_scope_and_name() {
    for name in ["Circle", "game::shapes::Circle", "Game.Shape", "a.b::c", "", "::", "a::", ".x", "a:b", "é::ü.ß"] {
        let mut b = RawModuleDefV10Builder::new();
        let r = b.add(std::any::TypeId::of::<u8>(), Some(name), |_| AlgebraicType::U8);
        let AlgebraicType::Ref(r) = r else { panic!("{r:?}") };
        let expected =
            RawTypeDefV10 { source_name: RawScopedTypeNameV10::from_sats_name(name), ty: r, custom_ordering: true };
        assert_eq!(b.finish().types().unwrap(), &[expected], "{name:?}");
    }
}

#[test]
fn empty_module_matches() {
    let ours = RawModuleDefV10Builder::new().finish();
    assert_same(&ours, spacetimedb_lib_2::db::raw_def::v10::RawModuleDefV10Builder::new().finish());
    assert_eq!(our_bytes(&ours), [2, 0, 0, 0, 0]);
}

#[test]
fn v9_bytes_are_unchanged() {
    // The wrapper's V9 arm still writes tag 1 and the same payload as before V10 existed.
    assert_eq!(bsatn::to_vec(&RawModuleDef::V9(RawModuleDefV9::default()))[0], 1);
    assert_eq!(RawModuleDef::V9_TAG, 1);
    assert_eq!(RawModuleDef::V10_TAG, 2);
}

#[test]
fn dropped_table_builder_adds_nothing() {
    let mut b = RawModuleDefV10Builder::new();
    let row = ProductType::new([(Some("a"), AlgebraicType::U8)]);
    let _ = b.build_table_with_new_type("t", row, true);
    let def = b.finish();
    assert!(def.tables().is_none());
    assert_eq!(def.types().map(Vec::len), Some(1));
}

#[test]
fn every_section_tag_matches() {
    use RawModuleDefV10Section as S;
    let sections = [
        S::Typespace(Default::default()),
        S::Types(vec![]),
        S::Tables(vec![]),
        S::Reducers(vec![]),
        S::Procedures(vec![]),
        S::Views(vec![]),
        S::Schedules(vec![]),
        S::LifeCycleReducers(vec![]),
        S::RowLevelSecurity(vec![]),
        S::CaseConversionPolicy(CaseConversionPolicy::None),
        S::ExplicitNames(Default::default()),
        S::HttpHandlers(vec![]),
        S::HttpRoutes(vec![]),
        S::ViewPrimaryKeys(vec![]),
        S::Submodules(vec![]),
    ];
    for (tag, section) in sections.into_iter().enumerate() {
        let def = RawModuleDefV10 { sections: vec![section] };
        let ob = our_bytes(&def);
        assert_eq!(usize::from(ob[5]), tag);
        assert_eq!(ob, their_bytes(their_module(&def)), "section {tag}");
    }
    for (tag, m) in [
        HttpMethod::Get,
        HttpMethod::Head,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Delete,
        HttpMethod::Connect,
        HttpMethod::Options,
        HttpMethod::Trace,
        HttpMethod::Patch,
        HttpMethod::Extension("X".into()),
    ]
    .iter()
    .enumerate()
    {
        let theirs = spacetimedb_sats_2::bsatn::to_vec(&oracle_v10::http_method(m)).unwrap();
        assert_eq!(bsatn::to_vec(m), theirs);
        assert_eq!(usize::from(theirs[0]), tag);
    }
    for l in Lifecycle::ALL {
        let theirs = spacetimedb_sats_2::bsatn::to_vec(&oracle_v10::lifecycle(l)).unwrap();
        assert_eq!(bsatn::to_vec(&l), theirs);
    }
}

#[test]
fn decoding_rejects_bad_tags_and_deep_nesting() {
    let err = bsatn::from_slice::<RawModuleDef>(&[3]).unwrap_err();
    assert!(err.to_string().contains("RawModuleDef"), "{err}");
    let err = bsatn::from_slice::<RawModuleDef>(&[2, 1, 0, 0, 0, 15]).unwrap_err();
    assert!(err.to_string().contains("RawModuleDefV10Section"), "{err}");
    let err = bsatn::from_slice::<RawModuleDef>(&[2, 1, 0, 0, 0, 9, 2]).unwrap_err();
    assert!(err.to_string().contains("CaseConversionPolicy"), "{err}");

    // Submodules nested far deeper than the decoder allows: an error, not a stack overflow.
    let mut def = RawModuleDefV10::default();
    for _ in 0..300 {
        def = RawModuleDefV10 {
            sections: vec![RawModuleDefV10Section::Submodules(vec![RawSubmoduleV10 {
                namespace: "m".into(),
                module: def,
            }])],
        };
    }
    let bytes = bsatn::to_vec(&def);
    let err = bsatn::from_slice::<RawModuleDefV10>(&bytes).unwrap_err();
    assert!(err.to_string().contains("nests deeper"), "{err}");
    // Dropping 300 nested modules is fine; so is a modest depth decoding cleanly.
    let mut def = RawModuleDefV10::default();
    for _ in 0..8 {
        def = RawModuleDefV10 {
            sections: vec![RawModuleDefV10Section::Submodules(vec![RawSubmoduleV10 {
                namespace: "m".into(),
                module: def,
            }])],
        };
    }
    assert_eq!(bsatn::from_slice::<RawModuleDefV10>(&bsatn::to_vec(&def)).unwrap(), def);
    assert_eq!(bsatn::to_vec(&def), {
        let b = their_bytes(their_module(&def));
        b[1..].to_vec()
    });
}

// -------------------------------------------------------------------------------------------------
// Random definitions, converted field by field to the official types.

mod random {
    use super::*;
    use proptest::prelude::*;

    fn name() -> impl Strategy<Value = Box<str>> {
        "[a-zA-Z_][a-zA-Z0-9_é]{0,6}".prop_map(Into::into)
    }

    fn ty() -> impl Strategy<Value = AlgebraicType> {
        let leaf = prop_oneof![
            Just(AlgebraicType::Bool),
            Just(AlgebraicType::U8),
            Just(AlgebraicType::I32),
            Just(AlgebraicType::U64),
            Just(AlgebraicType::I128),
            Just(AlgebraicType::U256),
            Just(AlgebraicType::F32),
            Just(AlgebraicType::String),
            Just(AlgebraicType::identity()),
            Just(AlgebraicType::schedule_at()),
            (0u32..6).prop_map(|r| AlgebraicType::Ref(AlgebraicTypeRef(r))),
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                inner.clone().prop_map(AlgebraicType::array),
                inner.clone().prop_map(AlgebraicType::option),
                prop::collection::vec((prop::option::of(name()), inner.clone()), 0..3)
                    .prop_map(|e| AlgebraicType::Product(ProductType::new(e))),
                prop::collection::vec((prop::option::of(name()), inner), 0..3).prop_map(AlgebraicType::sum),
            ]
        })
    }

    fn product() -> impl Strategy<Value = ProductType> {
        prop::collection::vec((prop::option::of(name()), ty()), 0..3).prop_map(ProductType::new)
    }

    fn cols() -> impl Strategy<Value = ColList> {
        prop::collection::vec(0u16..70, 0..4).prop_map(ColList::from)
    }

    fn algorithm() -> impl Strategy<Value = RawIndexAlgorithm> {
        prop_oneof![
            cols().prop_map(|columns| RawIndexAlgorithm::BTree { columns }),
            cols().prop_map(|columns| RawIndexAlgorithm::Hash { columns }),
            any::<u16>().prop_map(|column| RawIndexAlgorithm::Direct { column }),
        ]
    }

    fn opt_i128() -> impl Strategy<Value = Option<i128>> {
        prop::option::of(any::<i128>())
    }

    fn table() -> impl Strategy<Value = RawTableDefV10> {
        let index = (prop::option::of(name()), prop::option::of(name()), algorithm()).prop_map(
            |(source_name, accessor_name, algorithm)| RawIndexDefV10 { source_name, accessor_name, algorithm },
        );
        let constraint = (prop::option::of(name()), cols()).prop_map(|(source_name, columns)| RawConstraintDefV10 {
            source_name,
            data: RawConstraintDataV10::Unique(RawUniqueConstraintDataV10 { columns }),
        });
        let sequence = (prop::option::of(name()), any::<u16>(), opt_i128(), opt_i128(), opt_i128(), any::<i128>())
            .prop_map(|(source_name, column, start, min_value, max_value, increment)| RawSequenceDefV10 {
                source_name,
                column,
                start,
                min_value,
                max_value,
                increment,
            });
        let default = (any::<u16>(), prop::collection::vec(any::<u8>(), 0..6))
            .prop_map(|(col_id, value)| RawColumnDefaultValueV10 { col_id, value: value.into() });
        (
            (name(), any::<u32>(), cols()),
            prop::collection::vec(index, 0..3),
            prop::collection::vec(constraint, 0..3),
            prop::collection::vec(sequence, 0..2),
            (any::<bool>(), any::<bool>(), any::<bool>()),
            prop::collection::vec(default, 0..2),
        )
            .prop_map(
                |(
                    (source_name, r, primary_key),
                    indexes,
                    constraints,
                    sequences,
                    (system, private, is_event),
                    default_values,
                )| {
                    RawTableDefV10 {
                        source_name,
                        product_type_ref: AlgebraicTypeRef(r),
                        primary_key,
                        indexes,
                        constraints,
                        sequences,
                        table_type: if system { TableType::System } else { TableType::User },
                        table_access: if private { TableAccess::Private } else { TableAccess::Public },
                        default_values,
                        is_event,
                    }
                },
            )
    }

    fn visibility() -> impl Strategy<Value = FunctionVisibility> {
        prop_oneof![Just(FunctionVisibility::Private), Just(FunctionVisibility::ClientCallable)]
    }

    fn lifecycle() -> impl Strategy<Value = Lifecycle> {
        (0usize..3).prop_map(|i| Lifecycle::ALL[i])
    }

    fn method() -> impl Strategy<Value = MethodOrAny> {
        prop_oneof![
            Just(MethodOrAny::Any),
            (0u8..9).prop_map(|i| MethodOrAny::Method(
                [
                    HttpMethod::Get,
                    HttpMethod::Head,
                    HttpMethod::Post,
                    HttpMethod::Put,
                    HttpMethod::Delete,
                    HttpMethod::Connect,
                    HttpMethod::Options,
                    HttpMethod::Trace,
                    HttpMethod::Patch
                ][usize::from(i)]
                .clone()
            )),
            "[A-Z]{0,6}".prop_map(|e| MethodOrAny::Method(HttpMethod::Extension(e))),
        ]
    }

    fn mapping() -> impl Strategy<Value = NameMapping> {
        (name(), name()).prop_map(|(source_name, canonical_name)| NameMapping { source_name, canonical_name })
    }

    fn section() -> impl Strategy<Value = RawModuleDefV10Section> {
        use RawModuleDefV10Section as S;
        let v = |n| 0..n;
        prop_oneof![
            prop::collection::vec(ty(), v(4)).prop_map(|t| S::Typespace(worldtube_lib::algebraic::Typespace::new(t))),
            prop::collection::vec(
                (prop::collection::vec(name(), 0..3), name(), any::<u32>(), any::<bool>()).prop_map(
                    |(scope, source_name, r, custom_ordering)| RawTypeDefV10 {
                        source_name: RawScopedTypeNameV10 { scope: scope.into(), source_name },
                        ty: AlgebraicTypeRef(r),
                        custom_ordering,
                    }
                ),
                v(3)
            )
            .prop_map(S::Types),
            prop::collection::vec(table(), v(3)).prop_map(S::Tables),
            prop::collection::vec(
                (name(), product(), visibility(), ty(), ty()).prop_map(
                    |(source_name, params, visibility, ok_return_type, err_return_type)| RawReducerDefV10 {
                        source_name,
                        params,
                        visibility,
                        ok_return_type,
                        err_return_type,
                    }
                ),
                v(3)
            )
            .prop_map(S::Reducers),
            prop::collection::vec(
                (name(), product(), ty(), visibility()).prop_map(|(source_name, params, return_type, visibility)| {
                    RawProcedureDefV10 { source_name, params, return_type, visibility }
                }),
                v(3)
            )
            .prop_map(S::Procedures),
            prop::collection::vec(
                (name(), any::<u32>(), any::<bool>(), any::<bool>(), product(), ty()).prop_map(
                    |(source_name, index, is_public, is_anonymous, params, return_type)| RawViewDefV10 {
                        source_name,
                        index,
                        is_public,
                        is_anonymous,
                        params,
                        return_type,
                    }
                ),
                v(3)
            )
            .prop_map(S::Views),
            prop::collection::vec(
                (prop::option::of(name()), name(), any::<u16>(), name()).prop_map(
                    |(source_name, table_name, schedule_at_col, function_name)| RawScheduleDefV10 {
                        source_name,
                        table_name,
                        schedule_at_col,
                        function_name,
                    }
                ),
                v(3)
            )
            .prop_map(S::Schedules),
            prop::collection::vec(
                (lifecycle(), name()).prop_map(|(lifecycle_spec, function_name)| RawLifeCycleReducerDefV10 {
                    lifecycle_spec,
                    function_name
                }),
                v(3)
            )
            .prop_map(S::LifeCycleReducers),
            prop::collection::vec("\\PC{0,12}".prop_map(|sql| RawRowLevelSecurityDefV10 { sql: sql.into() }), v(3))
                .prop_map(S::RowLevelSecurity),
            any::<bool>().prop_map(|snake| S::CaseConversionPolicy(if snake {
                CaseConversionPolicy::SnakeCase
            } else {
                CaseConversionPolicy::None
            })),
            prop::collection::vec(
                prop_oneof![
                    mapping().prop_map(ExplicitNameEntry::Table),
                    mapping().prop_map(ExplicitNameEntry::Function),
                    mapping().prop_map(ExplicitNameEntry::Index),
                ],
                v(4)
            )
            .prop_map(|entries| S::ExplicitNames(ExplicitNames { entries })),
            prop::collection::vec(name().prop_map(|source_name| RawHttpHandlerDefV10 { source_name }), v(3))
                .prop_map(S::HttpHandlers),
            prop::collection::vec(
                (name(), method(), "(/[a-z]{0,4}){0,2}").prop_map(|(handler_function, method, path)| {
                    RawHttpRouteDefV10 { handler_function, method, path: path.into() }
                }),
                v(3)
            )
            .prop_map(S::HttpRoutes),
            prop::collection::vec(
                (name(), prop::collection::vec(name(), 0..3))
                    .prop_map(|(view_source_name, columns)| RawViewPrimaryKeyDefV10 { view_source_name, columns }),
                v(3)
            )
            .prop_map(S::ViewPrimaryKeys),
        ]
    }

    pub(super) fn module() -> impl Strategy<Value = RawModuleDefV10> {
        let leaf = || prop::collection::vec(section(), 0..6).prop_map(|sections| RawModuleDefV10 { sections });
        (leaf(), prop::collection::vec(("[a-z]{1,4}", leaf()), 0..2)).prop_map(|(mut def, subs)| {
            if !subs.is_empty() {
                let subs = subs.into_iter().map(|(namespace, module)| RawSubmoduleV10 { namespace, module }).collect();
                def.sections.push(RawModuleDefV10Section::Submodules(subs));
            }
            def
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn random_definitions_match_official(def in module()) {
            // The validator must never panic, whatever the shape.
            let _ = validate_v10(&def);
            assert_same(&def, their_module(&def));
        }
    }
}

// -------------------------------------------------------------------------------------------------
// Hostile bytes.

mod hostile {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

        /// A real definition with bytes overwritten, cut, inserted or flipped never panics our
        /// decoder or validator; what does decode re-encodes to the bytes it consumed, and their
        /// decoder accepts exactly the same prefixes.
        #[test]
        fn mutated_definitions_never_panic(edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)) {
            let mut bytes = our_bytes(&ours::build());
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
            let mut r = bsatn::Reader::new(&bytes);
            let ours = <RawModuleDef as bsatn::Decode>::decode(&mut r);
            let mut rest = &bytes[..];
            let theirs: Result<spacetimedb_lib_2::RawModuleDef, _> =
                spacetimedb_sats_2::de::Deserialize::deserialize(spacetimedb_sats_2::bsatn::Deserializer::new(&mut rest));
            prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "ours: {:?}", ours.as_ref().err());
            if let Ok(def) = ours {
                prop_assert_eq!(bsatn::to_vec(&def), bytes[..r.offset()].to_vec());
                prop_assert_eq!(r.offset(), bytes.len() - rest.len());
                if let RawModuleDef::V10(v10) = &def {
                    let _ = validate_v10(v10);
                }
            }
        }

        /// Every truncation of a real definition is an error, never a panic.
        #[test]
        fn truncated_definitions_are_errors(cut in any::<prop::sample::Index>()) {
            let bytes = our_bytes(&ours::build());
            let at = cut.index(bytes.len());
            prop_assert!(bsatn::from_slice::<RawModuleDef>(&bytes[..at]).is_err());
        }

        /// Random bytes after the V10 tag never panic the decoder.
        #[test]
        fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let mut v = vec![2];
            v.extend_from_slice(&bytes);
            let _ = bsatn::from_slice::<RawModuleDef>(&v);
            let _ = bsatn::from_slice::<RawModuleDefV10>(&bytes);
        }
    }
}

// -------------------------------------------------------------------------------------------------
// Canonical names: our case conversion against the crate the 2.x host uses (convert_case 0.6).

mod case_conversion {
    use convert_case_06::{Case, Casing};
    use proptest::prelude::*;
    use worldtube_lib::raw_def::v10::{to_camel_case, to_pascal_case, to_snake_case};

    #[test]
    fn known_names() {
        for (source, snake) in [
            ("movePlayer", "move_player"),
            ("MovePlayer", "move_player"),
            ("player2", "player_2"),
            ("HTTPServer", "http_server"),
            ("already_snake", "already_snake"),
            ("__x__y", "x_y"),
            ("ABC", "abc"),
            ("a1B2", "a_1_b_2"),
        ] {
            assert_eq!(to_snake_case(source), snake, "{source}");
            assert_eq!(source.to_case(Case::Snake), snake, "{source}: the oracle");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        #[test]
        fn matches_convert_case(name in "[a-zA-Z0-9_ ÉéßΣσ-]{0,14}") {
            prop_assert_eq!(to_snake_case(&name), name.to_case(Case::Snake));
            prop_assert_eq!(to_camel_case(&name), name.to_case(Case::Camel));
            prop_assert_eq!(to_pascal_case(&name), name.to_case(Case::Pascal));
        }
    }
}

// -------------------------------------------------------------------------------------------------
// Validation.

fn base() -> RawModuleDefV10 {
    let mut b = RawModuleDefV10Builder::new();
    let row = ProductType::new([
        (Some("id"), AlgebraicType::U64),
        (Some("displayName"), AlgebraicType::String),
        (Some("at"), AlgebraicType::schedule_at()),
    ]);
    b.build_table_with_new_type("Player", row, true)
        .with_auto_inc_primary_key(0)
        .with_index(RawIndexAlgorithm::btree(0), "Player_id_idx_btree", "id")
        .with_default_column_value(1, &AlgebraicValue::String("anon".into()))
        .finish();
    let row_ty = AlgebraicType::Ref(AlgebraicTypeRef(0));
    b.add_schedule("Player", 2, "tick");
    b.add_lifecycle_reducer(Lifecycle::Init, "init", ProductType::default());
    b.add_reducer("tick", ProductType::new([(Some("row"), row_ty.clone())]));
    b.add_procedure("fetchThings", ProductType::default(), AlgebraicType::U32);
    b.add_view("allPlayers", 0, true, true, ProductType::default(), AlgebraicType::array(row_ty));
    b.add_view_primary_key("allPlayers", ["id"]);
    b.add_http_handler("hello");
    b.add_http_route("hello", MethodOrAny::Any, "/hello");
    b.finish()
}

fn expect_error(def: &RawModuleDefV10, kind: ValidationErrorKind, needles: &[&str]) {
    let errors = validate_v10(def).expect_err("the definition should be invalid");
    let found = errors.iter().find(|e| e.kind() == kind);
    let Some(e) = found else { panic!("no {kind:?} error among {errors:#?}") };
    for needle in needles {
        assert!(e.message().contains(needle), "{kind:?} error {:?} lacks {needle:?}", e.message());
    }
}

fn section_mut<T>(def: &mut RawModuleDefV10, pick: fn(&mut RawModuleDefV10Section) -> Option<&mut T>) -> &mut T {
    def.sections.iter_mut().find_map(pick).expect("section present")
}

fn tables(def: &mut RawModuleDefV10) -> &mut Vec<RawTableDefV10> {
    section_mut(def, |s| match s {
        RawModuleDefV10Section::Tables(t) => Some(t),
        _ => None,
    })
}

#[test]
fn base_is_valid_with_canonical_names() {
    let summary = validate_v10(&base()).unwrap();
    let t = &summary.tables[0];
    assert_eq!(t.name, "player");
    assert_eq!(t.columns, ["id", "display_name", "at"]);
    assert_eq!(t.indexes, ["player_id_idx_btree"]);
    assert_eq!(t.constraints, ["player_id_key"]);
    assert_eq!(t.sequences, ["player_id_seq"]);
    assert_eq!(summary.reducers, ["init", "tick"]);
    assert_eq!(summary.procedures, ["fetch_things"]);
    assert_eq!(summary.views, ["all_players"]);
    assert_eq!(summary.init, Some(0));

    // With no conversion the names stay as written.
    let mut def = base();
    def.sections.push(RawModuleDefV10Section::CaseConversionPolicy(CaseConversionPolicy::None));
    let summary = validate_v10(&def).unwrap();
    assert_eq!(summary.tables[0].name, "Player");
    assert_eq!(summary.tables[0].indexes, ["Player_id_idx_btree"]);
}

#[test]
fn golden_module_breaks_only_the_one_schedule_per_table_rule() {
    let errors = validate_v10(&ours::build()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].kind(), ValidationErrorKind::DuplicateSchedule);
    assert!(errors[0].message().contains("tick_timer"));
}

#[test]
fn function_rules() {
    let mut def = base();
    def.sections.push(RawModuleDefV10Section::Reducers(vec![])); // a second section is ignored
    let reducers = section_mut(&mut def, |s| match s {
        RawModuleDefV10Section::Reducers(r) => Some(r),
        _ => None,
    });
    reducers[1].err_return_type = AlgebraicType::U8;
    reducers.push(RawReducerDefV10 {
        source_name: "fetch_things".into(),
        params: ProductType::default(),
        visibility: FunctionVisibility::ClientCallable,
        ok_return_type: AlgebraicType::unit(),
        err_return_type: AlgebraicType::String,
    });
    expect_error(&def, ValidationErrorKind::ReducerReturnType, &["reducer `tick`", "Result<(), String>"]);
    expect_error(&def, ValidationErrorKind::DuplicateReducer, &["`fetch_things`", "fetchThings"]);
}

#[test]
fn table_rules() {
    let mut def = base();
    let t = &mut tables(&mut def)[0];
    t.indexes[0].source_name = None;
    t.default_values.push(RawColumnDefaultValueV10 { col_id: 9, value: Box::new([]) });
    t.default_values.push(RawColumnDefaultValueV10 { col_id: 0, value: Box::new([1, 2]) });
    expect_error(&def, ValidationErrorKind::IndexWithoutSourceName, &["table `Player`", "player_id_idx_btree"]);
    expect_error(&def, ValidationErrorKind::ColumnNotFound, &["default value", "column 9"]);
    expect_error(&def, ValidationErrorKind::DefaultValueMalformed, &["column `id`", "U64"]);

    let mut def = base();
    let mut names = ExplicitNames::default();
    names.insert_table("Player", "st_player");
    def.sections.push(RawModuleDefV10Section::ExplicitNames(names));
    expect_error(&def, ValidationErrorKind::ReservedTableName, &["`st_player`"]);

    // The explicit index name and the generated one collide with other names.
    let mut def = base();
    let t = &mut tables(&mut def)[0];
    t.indexes.push(RawIndexDefV10 {
        source_name: Some("Player".into()),
        accessor_name: Some("bad name".into()),
        algorithm: RawIndexAlgorithm::Hash { columns: ColList::from([1]) },
    });
    expect_error(&def, ValidationErrorKind::DuplicateName, &["`Player`"]);
    expect_error(&def, ValidationErrorKind::InvalidIdentifier, &["accessor name", "`bad name`"]);
}

#[test]
fn schedule_lifecycle_and_view_rules() {
    let mut def = base();
    def.sections.push(RawModuleDefV10Section::Schedules(vec![]));
    let schedules = section_mut(&mut def, |s| match s {
        RawModuleDefV10Section::Schedules(x) => Some(x),
        _ => None,
    });
    schedules[0].function_name = "fetchThings".into();
    schedules.push(RawScheduleDefV10 {
        source_name: None,
        table_name: "Ghost".into(),
        schedule_at_col: 0,
        function_name: "tick".into(),
    });
    expect_error(&def, ValidationErrorKind::ScheduledReducerParams, &["fetchThings", "Player"]);
    expect_error(&def, ValidationErrorKind::ScheduleTableMissing, &["`Ghost`"]);

    let mut def = base();
    def.sections.push(RawModuleDefV10Section::LifeCycleReducers(vec![]));
    let lc = section_mut(&mut def, |s| match s {
        RawModuleDefV10Section::LifeCycleReducers(x) => Some(x),
        _ => None,
    });
    lc.push(RawLifeCycleReducerDefV10 { lifecycle_spec: Lifecycle::OnConnect, function_name: "nope".into() });
    lc.push(RawLifeCycleReducerDefV10 { lifecycle_spec: Lifecycle::Init, function_name: "tick".into() });
    expect_error(&def, ValidationErrorKind::LifecycleWithoutReducer, &["`nope`", "client_connected"]);
    expect_error(&def, ValidationErrorKind::DuplicateLifecycle, &["`init`"]);

    let mut def = base();
    let views = section_mut(&mut def, |s| match s {
        RawModuleDefV10Section::Views(x) => Some(x),
        _ => None,
    });
    views[0].return_type = AlgebraicType::U32;
    let pks = section_mut(&mut def, |s| match s {
        RawModuleDefV10Section::ViewPrimaryKeys(x) => Some(x),
        _ => None,
    });
    pks.push(RawViewPrimaryKeyDefV10 { view_source_name: "missing".into(), columns: vec!["id".into()] });
    expect_error(&def, ValidationErrorKind::ViewReturnType, &["view `allPlayers`", "U32"]);
    expect_error(&def, ValidationErrorKind::ViewPrimaryKey, &["view `missing`"]);
}

#[test]
fn http_and_submodule_rules() {
    let mut def = base();
    let routes = section_mut(&mut def, |s| match s {
        RawModuleDefV10Section::HttpRoutes(x) => Some(x),
        _ => None,
    });
    routes.push(RawHttpRouteDefV10 {
        handler_function: "hello".into(),
        method: MethodOrAny::Method(HttpMethod::Get),
        path: "/hello".into(),
    });
    routes.push(RawHttpRouteDefV10 { handler_function: "hello".into(), method: MethodOrAny::Any, path: "/Up".into() });
    routes.push(RawHttpRouteDefV10 { handler_function: "bye".into(), method: MethodOrAny::Any, path: "/bye".into() });
    let errors = validate_v10(&def).unwrap_err();
    let http: Vec<&str> =
        errors.iter().filter(|e| e.kind() == ValidationErrorKind::HttpRoute).map(|e| e.message()).collect();
    assert_eq!(http.len(), 3, "{errors:#?}");
    assert!(http[0].contains("earlier route") && http[1].contains("`/Up`") && http[2].contains("`bye`"), "{http:?}");

    let mut def = base();
    let mut sub = base();
    sub.sections.retain(|s| !matches!(s, RawModuleDefV10Section::ExplicitNames(_)));
    def.sections.push(RawModuleDefV10Section::Submodules(vec![
        RawSubmoduleV10 { namespace: "inner".into(), module: sub },
        RawSubmoduleV10 { namespace: "x".repeat(64), module: RawModuleDefV10::default() },
    ]));
    expect_error(&def, ValidationErrorKind::Submodule, &["submodule `inner`", "`init`"]);
    let errors = validate_v10(&def).unwrap_err();
    assert!(errors.iter().any(|e| e.message().contains("64 bytes long")), "{errors:#?}");
}

#[test]
fn all_errors_are_collected() {
    let mut def = base();
    let t = &mut tables(&mut def)[0];
    t.primary_key = ColList::from([0, 1]);
    t.sequences[0].column = 1;
    t.indexes[0].algorithm = RawIndexAlgorithm::direct(1);
    let kinds: Vec<ValidationErrorKind> = validate_v10(&def).unwrap_err().iter().map(|e| e.kind()).collect();
    for kind in [
        ValidationErrorKind::CompositePrimaryKey,
        ValidationErrorKind::SequenceNotInteger,
        ValidationErrorKind::DirectIndexType,
        ValidationErrorKind::UniqueWithoutIndex,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} missing from {kinds:?}");
    }
}
