//! The SQL evaluator (`worldtube_host::sql`): the exact SQL the 2.x query builder renders for
//! every builder form and literal kind, run against a datastore; what a person would type; the
//! errors; and random input, which must never panic.

use std::sync::Arc;

use proptest::prelude::*;
use worldtube_host::datastore::Datastore;
use worldtube_host::schema::{Schema, TableId};
use worldtube_host::sql::{run_query, QueryRows, SqlError, MAX_NESTING};
use worldtube_lib::algebraic::{AlgebraicType, AlgebraicValue, ProductType, ProductValue};
use worldtube_lib::raw_def::v10::ExplicitNames;
use worldtube_lib::raw_def::{RawIndexAlgorithm, RawModuleDefV10Builder, RawModuleDefV9Builder};
use worldtube_lib::{i256, u256, ConnectionId, Identity, Timestamp};

const PLAYER: TableId = TableId(0);
const GUILD: TableId = TableId(1);
const OWNER: TableId = TableId(2);
const SCORE: TableId = TableId(3);

/// A 2.x module with the tables of the query builder's differential test:
/// 0 `player { id: u64, name: String, level: i32, online: bool, who: Identity,
///   conn: ConnectionId, seen: Timestamp, blob: Vec<u8>, big: i256, ubig: u256, ratio: f32,
///   score: f64, tiny: u8, huge: u128, neg: i128, by_guild: u32 }`;
/// 1 `guild { id: u32, title: String }`;
/// 2 `owner` (explicit canonical name `owner_table`) `{ player: u64, note: String }`;
/// 3 `PlayerScore` (canonical `player_score`) `{ id: u64, points: u32 }`.
fn schema() -> Arc<Schema> {
    use AlgebraicType as T;
    let mut b = RawModuleDefV10Builder::new();
    let player = ProductType::new([
        (Some("id"), T::U64),
        (Some("name"), T::String),
        (Some("level"), T::I32),
        (Some("online"), T::Bool),
        (Some("who"), T::identity()),
        (Some("conn"), T::connection_id()),
        (Some("seen"), T::timestamp()),
        (Some("blob"), T::array(T::U8)),
        (Some("big"), T::I256),
        (Some("ubig"), T::U256),
        (Some("ratio"), T::F32),
        (Some("score"), T::F64),
        (Some("tiny"), T::U8),
        (Some("huge"), T::U128),
        (Some("neg"), T::I128),
        (Some("by_guild"), T::U32),
    ]);
    b.build_table_with_new_type("player", player, true)
        .with_primary_key(0)
        .with_unique_constraint(0)
        .with_index(RawIndexAlgorithm::btree(0), "player_id_idx_btree", "id")
        .with_index(RawIndexAlgorithm::btree(15), "player_by_guild_idx_btree", "by_guild")
        .finish();
    let guild = ProductType::new([(Some("id"), T::U32), (Some("title"), T::String)]);
    b.build_table_with_new_type("guild", guild, true)
        .with_primary_key(0)
        .with_unique_constraint(0)
        .with_index(RawIndexAlgorithm::btree(0), "guild_id_idx_btree", "id")
        .finish();
    let owner = ProductType::new([(Some("player"), T::U64), (Some("note"), T::String)]);
    b.build_table_with_new_type("owner", owner, true)
        .with_index(RawIndexAlgorithm::btree(0), "owner_player_idx_btree", "player")
        .finish();
    let score = ProductType::new([(Some("id"), T::U64), (Some("points"), T::U32)]);
    b.build_table_with_new_type("PlayerScore", score, true).finish();
    let mut names = ExplicitNames::default();
    names.insert_table("owner", "owner_table");
    b.add_explicit_names(names);
    Arc::new(Schema::from_v10(&b.finish()).unwrap_or_else(|e| panic!("the test module is valid: {e}")))
}

/// The identity whose little-endian bytes are `0, 7, 14, ...` (the builder test's).
fn who() -> Identity {
    Identity::from_byte_array(std::array::from_fn(|i| i as u8 * 7))
}

fn i256_le(bytes: [u8; 32]) -> i256 {
    i256::from_le_bytes(bytes)
}

/// The builder test's big values: `-240` and `2^255 + 9 * 2^24`.
fn big() -> i256 {
    let mut b = [0xffu8; 32];
    b[0] = 0x10;
    i256_le(b)
}
fn ubig() -> u256 {
    let mut b = [0u8; 32];
    b[31] = 0x80;
    b[3] = 9;
    u256::from_le_bytes(b)
}

#[allow(clippy::too_many_arguments)]
fn player(
    id: u64,
    name: &str,
    level: i32,
    online: bool,
    who: Identity,
    conn: u128,
    seen_micros: i64,
    blob: &[u8],
    big: i256,
    ubig: u256,
    ratio: f32,
    score: f64,
    small: (u8, u128, i128),
    by_guild: u32,
) -> ProductValue {
    ProductValue::new([
        AlgebraicValue::U64(id),
        AlgebraicValue::from(name),
        AlgebraicValue::I32(level),
        AlgebraicValue::Bool(online),
        who.into(),
        ConnectionId::from_u128(conn).into(),
        Timestamp::from_micros_since_unix_epoch(seen_micros).into(),
        AlgebraicValue::Array(blob.iter().map(|b| AlgebraicValue::U8(*b)).collect()),
        AlgebraicValue::from(big),
        AlgebraicValue::from(ubig),
        AlgebraicValue::from(ratio),
        AlgebraicValue::from(score),
        AlgebraicValue::U8(small.0),
        AlgebraicValue::U128(small.1),
        AlgebraicValue::I128(small.2),
        AlgebraicValue::U32(by_guild),
    ])
}

/// Players 1, 10, 100, 101; guilds 1 `x`, 2 `y`, 3 `z`, 4 `x`; owner rows for players 1 (twice),
/// 10 and 555; scores for 1 and 7.
fn datastore() -> Datastore {
    let ds = Datastore::new(schema());
    let mut tx = ds.begin(Timestamp::from_micros_since_unix_epoch(0));
    let conn = 0x0123_4567_89ab_cdef_0011_2233_4455_6677;
    let rows = [
        player(
            1,
            "alice",
            5,
            true,
            who(),
            conn,
            1_000,
            &[0, 1, 0xab, 0xff],
            big(),
            ubig(),
            0.1,
            1e-7,
            (255, u128::MAX, i128::MIN),
            1,
        ),
        player(
            10,
            "it's \"quoted\" ''",
            -2,
            false,
            Identity::ZERO,
            0,
            1_700_000_000_123_456,
            &[],
            i256::ZERO,
            u256::ZERO,
            -1e30,
            f64::NAN,
            (0, 0, 0),
            2,
        ),
        player(
            100,
            "Ünï©ødé",
            30,
            true,
            Identity::ONE,
            5,
            -86_400_000_002,
            &[1],
            i256::ONE,
            u256::ONE,
            2.0,
            3.0,
            (7, 1, -1),
            1,
        ),
        player(
            101,
            "bob",
            8,
            true,
            Identity::ONE,
            9,
            1_700_000_000_000_000,
            &[2, 3],
            big_minus_one(),
            u256::MAX,
            0.2,
            f64::INFINITY,
            (8, 2, 5),
            4,
        ),
    ];
    for row in rows {
        tx.insert(PLAYER, row).unwrap();
    }
    for (id, title) in [(1u32, "x"), (2, "y"), (3, "z"), (4, "x")] {
        tx.insert(GUILD, ProductValue::new([AlgebraicValue::U32(id), AlgebraicValue::from(title)])).unwrap();
    }
    for (player, note) in [(1u64, "a"), (1, "b"), (10, "c"), (555, "d")] {
        tx.insert(OWNER, ProductValue::new([AlgebraicValue::U64(player), AlgebraicValue::from(note)])).unwrap();
    }
    for (id, points) in [(1u64, 10u32), (7, 70)] {
        tx.insert(SCORE, ProductValue::new([AlgebraicValue::U64(id), AlgebraicValue::U32(points)])).unwrap();
    }
    tx.commit().0
}

/// `-241`.
fn big_minus_one() -> i256 {
    let mut b = [0xffu8; 32];
    b[0] = 0x0f;
    i256_le(b)
}

fn run(ds: &Datastore, sql: &str) -> QueryRows {
    run_query(ds, sql).unwrap_or_else(|e| panic!("{sql}\n  failed: {e}"))
}

/// The first column of each selected row, as a `u64` (player and owner ids) or `u32` (guild
/// ids).
fn ids(rows: &QueryRows) -> Vec<u64> {
    rows.rows
        .iter()
        .map(|r| match &r.value().elements[0] {
            AlgebraicValue::U64(v) => *v,
            AlgebraicValue::U32(v) => u64::from(*v),
            other => panic!("unexpected id {other:?}"),
        })
        .collect()
}

fn err(ds: &Datastore, sql: &str) -> SqlError {
    match run_query(ds, sql) {
        Ok(rows) => panic!("{sql}\n  unexpectedly selected {:?}", ids(&rows)),
        Err(e) => e,
    }
}

/// The SQL the official query builder (and ours, which matches it character for character, see
/// `tests/tests/query_builder_matches_official.rs`) renders for every builder form and literal
/// kind of its differential test, in that test's order, with the table each selects from and
/// the ids it selects here. (That test's third table is named `Owner Table`, which no valid
/// module can call a table; here it is `owner`, the accessor of `owner_table`, as the builder
/// would write it.)
#[test]
fn every_query_the_builder_renders_runs() {
    let ds = datastore();
    let cases: &[(&str, TableId, &[u64])] = &[
        (r#"SELECT * FROM "player""#, PLAYER, &[1, 10, 100, 101]),
        (r#"SELECT * FROM "player" WHERE ("player"."id" = 10)"#, PLAYER, &[10]),
        (r#"SELECT * FROM "player" WHERE (("player"."id" = 10) AND ("player"."level" > -3))"#, PLAYER, &[10]),
        (
            r#"SELECT * FROM "player" WHERE (("player"."online" = TRUE) AND ("player"."level" <= 30))"#,
            PLAYER,
            &[1, 100, 101],
        ),
        (r#"SELECT * FROM "player" WHERE ("player"."level" >= "player"."level")"#, PLAYER, &[1, 10, 100, 101]),
        (r#"SELECT * FROM "player" WHERE ("player"."name" <> 'it''s "quoted" ''''')"#, PLAYER, &[1, 100, 101]),
        (
            r#"SELECT * FROM "player" WHERE ((NOT ("player"."name" = 'Ünï©ødé')) AND ("player"."online" = FALSE))"#,
            PLAYER,
            &[10],
        ),
        (
            r#"SELECT * FROM "player" WHERE ((("player"."id" < 1) OR ("player"."id" > 100)) OR ("player"."online" <> TRUE))"#,
            PLAYER,
            &[10, 101],
        ),
        (r#"SELECT * FROM "player" WHERE (TRUE = TRUE)"#, PLAYER, &[1, 10, 100, 101]),
        (r#"SELECT * FROM "player" WHERE (FALSE = TRUE)"#, PLAYER, &[]),
        (
            r#"SELECT * FROM "player" WHERE ("player"."who" = 0xd9d2cbc4bdb6afa8a19a938c857e777069625b544d463f38312a231c150e0700)"#,
            PLAYER,
            &[1],
        ),
        (
            r#"SELECT * FROM "player" WHERE ("player"."who" <> 0x0000000000000000000000000000000000000000000000000000000000000000)"#,
            PLAYER,
            &[1, 100, 101],
        ),
        (r#"SELECT * FROM "player" WHERE ("player"."conn" = 0x0123456789abcdef0011223344556677)"#, PLAYER, &[1]),
        (r#"SELECT * FROM "player" WHERE ("player"."conn" = 0x00000000000000000000000000000000)"#, PLAYER, &[10]),
        (r#"SELECT * FROM "player" WHERE ("player"."seen" >= '1970-01-01T00:00:00.001+00:00')"#, PLAYER, &[1, 10, 101]),
        (
            r#"SELECT * FROM "player" WHERE ("player"."seen" < '2023-11-14T22:13:20.123456+00:00')"#,
            PLAYER,
            &[1, 100, 101],
        ),
        (r#"SELECT * FROM "player" WHERE ("player"."seen" < '1969-12-30T23:59:59.999999+00:00')"#, PLAYER, &[100]),
        (r#"SELECT * FROM "player" WHERE ("player"."seen" = '2023-11-14T22:13:20+00:00')"#, PLAYER, &[101]),
        (r#"SELECT * FROM "player" WHERE ("player"."blob" = 0x0001abff)"#, PLAYER, &[1]),
        (r#"SELECT * FROM "player" WHERE ("player"."blob" = 0x)"#, PLAYER, &[10]),
        (r#"SELECT * FROM "player" WHERE ("player"."big" < -240)"#, PLAYER, &[101]),
        (
            r#"SELECT * FROM "player" WHERE ("player"."ubig" > 57896044618658097711785492504343953926634992332820282019728792003956715814912)"#,
            PLAYER,
            &[101],
        ),
        (r#"SELECT * FROM "player" WHERE ("player"."ratio" > 0.10000000149011612)"#, PLAYER, &[100, 101]),
        (r#"SELECT * FROM "player" WHERE ("player"."ratio" < -150000003006131600000)"#, PLAYER, &[10]),
        (r#"SELECT * FROM "player" WHERE ("player"."score" = 0.0000001)"#, PLAYER, &[1]),
        (r#"SELECT * FROM "player" WHERE (("player"."score" <> NaN) AND ("player"."score" < inf))"#, PLAYER, &[1, 100]),
        (r#"SELECT * FROM "player" WHERE ("player"."score" = 3)"#, PLAYER, &[100]),
        (r#"SELECT * FROM "player" WHERE ("player"."tiny" = 255)"#, PLAYER, &[1]),
        (r#"SELECT * FROM "player" WHERE ("player"."huge" = 340282366920938463463374607431768211455)"#, PLAYER, &[1]),
        (r#"SELECT * FROM "player" WHERE ("player"."neg" = -170141183460469231731687303715884105728)"#, PLAYER, &[1]),
        (r#"SELECT "player".* FROM "player" JOIN "owner" ON "player"."id" = "owner"."player""#, PLAYER, &[1, 10]),
        (
            r#"SELECT "player".* FROM "player" JOIN "owner" ON "player"."id" = "owner"."player" WHERE ((("player"."online" = TRUE) AND ("player"."level" > 1)) AND ("player"."level" < 9))"#,
            PLAYER,
            &[1],
        ),
        (
            r#"SELECT "player".* FROM "player" JOIN "guild" ON "player"."by_guild" = "guild"."id" WHERE ("player"."online" = TRUE)"#,
            PLAYER,
            &[1, 100, 101],
        ),
        (r#"SELECT "guild".* FROM "player" JOIN "guild" ON "player"."by_guild" = "guild"."id""#, GUILD, &[1, 2, 4]),
        (
            r#"SELECT "guild".* FROM "player" JOIN "guild" ON "player"."by_guild" = "guild"."id" WHERE ("player"."online" = TRUE)"#,
            GUILD,
            &[1, 4],
        ),
        (
            r#"SELECT "guild".* FROM "player" JOIN "guild" ON "player"."by_guild" = "guild"."id" WHERE (("player"."online" = TRUE) AND ("player"."id" <> 0)) AND (("guild"."title" = 'x') AND ("guild"."id" > 3))"#,
            GUILD,
            &[4],
        ),
        (
            r#"SELECT "player".* FROM "guild" JOIN "player" ON "guild"."id" = "player"."by_guild" WHERE ("player"."online" = TRUE)"#,
            PLAYER,
            &[1, 100, 101],
        ),
        (r#"SELECT * FROM "owner" WHERE ("owner"."player" = 3)"#, OWNER, &[]),
    ];
    for (sql, table, expected) in cases {
        let rows = run(&ds, sql);
        assert_eq!(rows.table, *table, "{sql}");
        assert_eq!(ids(&rows), *expected, "{sql}");
    }
}

#[test]
fn selected_rows_are_the_stored_rows_in_scan_order() {
    let ds = datastore();
    let rows = run(&ds, r#"SELECT * FROM "guild""#);
    let stored = ds.table_scan(GUILD).unwrap();
    assert_eq!(rows.rows.len(), stored.len());
    assert!(rows.rows.iter().zip(&stored).all(|(a, b)| Arc::ptr_eq(a, b)));
}

#[test]
fn a_left_row_matching_two_right_rows_appears_once() {
    let ds = datastore();
    // Player 1 has two owner rows.
    let rows = run(&ds, r#"SELECT "player".* FROM "player" JOIN "owner" ON "player"."id" = "owner"."player""#);
    assert_eq!(ids(&rows), [1, 10]);
    // Guild 1 has two players.
    let rows = run(&ds, "SELECT guild.* FROM player JOIN guild ON player.by_guild = guild.id");
    assert_eq!(ids(&rows), [1, 2, 4]);
    // And the right rows come once each when the left side has duplicates of the key.
    let rows = run(&ds, r#"SELECT "owner".* FROM "player" JOIN "owner" ON "player"."id" = "owner"."player""#);
    assert_eq!(rows.table, OWNER);
    assert_eq!(ids(&rows), [1, 1, 10]);
}

#[test]
fn join_predicates_may_use_either_side_or_both() {
    let ds = datastore();
    let on = "FROM player p JOIN guild AS g ON g.id = p.by_guild";
    // Right side only, selecting the left.
    assert_eq!(ids(&run(&ds, &format!("SELECT p.* {on} WHERE g.title = 'x'"))), [1, 100, 101]);
    // Left side only, selecting the right.
    assert_eq!(ids(&run(&ds, &format!("SELECT g.* {on} WHERE p.level >= 30"))), [1]);
    // Both sides in one disjunction: player 10 through its guild `y`, 101 by name.
    assert_eq!(ids(&run(&ds, &format!("SELECT p.* {on} WHERE p.name = 'bob' OR g.title = 'y'"))), [10, 101]);
    assert_eq!(ids(&run(&ds, &format!("SELECT g.* {on} WHERE p.name = 'bob' OR g.title = 'y'"))), [2, 4]);
    // A comparison of a column of each side.
    let rows = run(&ds, "SELECT a.* FROM guild a JOIN guild b ON a.title = b.title WHERE a.id <> b.id");
    assert_eq!(ids(&rows), [1, 4]);
    // Conditions of each side and of both together.
    let rows = run(
        &ds,
        &format!("SELECT p.* {on} WHERE p.online AND g.title = 'x' AND (p.id < 50 OR g.id > 3) AND NOT p.level = 5"),
    );
    assert_eq!(ids(&rows), [101]);
    // Nothing on the other side: nothing selected.
    assert_eq!(ids(&run(&ds, &format!("SELECT p.* {on} WHERE g.title = 'none'"))), [] as [u64; 0]);
    // A constant false predicate.
    assert_eq!(ids(&run(&ds, &format!("SELECT g.* {on} WHERE FALSE"))), [] as [u64; 0]);
}

#[test]
fn what_a_person_types_works_too() {
    let ds = datastore();
    let cases: &[(&str, &[u64])] = &[
        ("select * from player", &[1, 10, 100, 101]),
        ("SELECT * FROM player;", &[1, 10, 100, 101]),
        ("  Select *\n From player\tWhere id = 10 ;  ", &[10]),
        ("SELECT * FROM player WHERE id != 10 AND level < 10", &[1, 101]),
        ("SELECT * FROM player WHERE id = 1 OR id = 100 AND level = 30", &[1, 100]),
        ("SELECT * FROM player WHERE (id = 1 OR id = 100) AND level = 30", &[100]),
        ("SELECT * FROM player WHERE NOT id = 1 AND online", &[100, 101]),
        ("SELECT * FROM player WHERE online", &[1, 100, 101]),
        ("SELECT * FROM player WHERE NOT online", &[10]),
        ("SELECT * FROM player WHERE TRUE", &[1, 10, 100, 101]),
        ("SELECT player.* FROM player WHERE player.level > 5", &[100, 101]),
        ("SELECT p.* FROM player AS p WHERE p.level > 5", &[100, 101]),
        ("SELECT * FROM player p WHERE level > 5", &[100, 101]),
        ("SELECT * FROM player WHERE 5 < level", &[100, 101]),
        ("SELECT * FROM player WHERE -2 = level", &[10]),
        ("SELECT * FROM player WHERE level = - 2", &[10]),
        ("SELECT * FROM player WHERE score = -inf OR score = INF", &[101]),
        ("SELECT * FROM player WHERE score = nan", &[10]),
        ("SELECT * FROM player WHERE score > 1e-8 AND score < 1E1", &[1, 100]),
        ("SELECT * FROM player WHERE score = 3.0", &[100]),
        ("SELECT * FROM player WHERE ratio = 2", &[100]),
        ("SELECT * FROM player WHERE blob = 0X0001ABFF", &[1]),
        ("SELECT * FROM player WHERE who = '0x0000000000000000000000000000000000000000000000000000000000000001'", &[100, 101]),
        ("SELECT * FROM player WHERE conn = '00000000000000000000000000000005'", &[100]),
        ("SELECT * FROM player WHERE seen >= '2023-11-14T22:13:20Z'", &[10, 101]),
        ("SELECT * FROM player WHERE seen = '2023-11-15T00:13:20+02:00'", &[101]),
        ("SELECT * FROM player WHERE name = 'it''s \"quoted\" '''''", &[10]),
        ("SELECT * FROM player WHERE name >= 'b' AND name < 'c'", &[101]),
        ("SELECT * FROM player WHERE big = -241 OR ubig = 1", &[100, 101]),
        ("SELECT * FROM player WHERE ubig = 115792089237316195423570985008687907853269984665640564039457584007913129639935", &[101]),
        ("SELECT * FROM player WHERE big >= -57896044618658097711785492504343953926634992332820282019728792003956564819968", &[1, 10, 100, 101]),
        ("SELECT * FROM player WHERE 1 = 1 AND 'a' < 'b' AND 1.5 > 1 AND NOT FALSE", &[1, 10, 100, 101]),
        ("SELECT * FROM player WHERE 0x01 = 0x02", &[]),
        ("SELECT * FROM player WHERE level = level AND tiny <> tiny", &[]),
        ("SELECT p.* FROM player p JOIN guild g ON p.by_guild = g.id WHERE title = 'y'", &[10]),
        ("SELECT p.* FROM player p INNER JOIN guild g ON (p.by_guild = g.id)", &[1, 10, 100, 101]),
        ("SELECT guild.* FROM guild JOIN player ON player.by_guild = guild.id", &[1, 2, 4]),
    ];
    for (sql, expected) in cases {
        assert_eq!(ids(&run(&ds, sql)), *expected, "{sql}");
    }
}

#[test]
fn tables_are_found_by_canonical_name_then_accessor() {
    let ds = datastore();
    for sql in [
        "SELECT * FROM player_score",
        r#"SELECT * FROM "PlayerScore""#,
        "SELECT * FROM PlayerScore WHERE PlayerScore.points > 0",
        "SELECT * FROM player_score WHERE PlayerScore.points > 0",
        "SELECT * FROM PlayerScore WHERE player_score.points > 0",
    ] {
        let rows = run(&ds, sql);
        assert_eq!((rows.table, ids(&rows)), (SCORE, vec![1, 7]), "{sql}");
    }
    assert_eq!(ids(&run(&ds, "SELECT * FROM owner WHERE note = 'c'")), [10]);
    assert_eq!(ids(&run(&ds, r#"SELECT * FROM owner_table WHERE owner.note = 'c'"#)), [10]);
    // Names are case-sensitive.
    assert_eq!(err(&ds, "SELECT * FROM Player"), SqlError::UnknownTable("Player".into()));
    // An aliased table is qualified by its alias only.
    assert!(matches!(
        err(&ds, "SELECT * FROM player p WHERE player.id = 1"),
        SqlError::UnknownQualifier { qualifier, .. } if qualifier == "player"
    ));
}

/// Columns are found by alias (the field's name in the code, which the query builder writes)
/// first, then by canonical name, as 2.8.3's `get_column_by_name_or_alias`: a 2.x module whose
/// fields are not snake case (canonical `item_id`, alias `ItemId`).
#[test]
fn columns_are_found_by_alias_then_canonical_name() {
    use AlgebraicType as T;
    let mut b = RawModuleDefV10Builder::new();
    let item = ProductType::new([(Some("ItemId"), T::U64), (Some("ownerRef"), T::U32)]);
    b.build_table_with_new_type("Item", item, true).finish();
    let owner = ProductType::new([(Some("OwnerId"), T::U32), (Some("Level2"), T::U32)]);
    b.build_table_with_new_type("OwnerRow", owner, true).finish();
    let schema = Arc::new(Schema::from_v10(&b.finish()).unwrap_or_else(|e| panic!("valid: {e}")));
    let item = schema.table_id("Item").expect("by accessor");
    let names: Vec<&str> = schema.table(item).expect("item").columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["item_id", "owner_ref"], "canonical column names");
    let owner = schema.table_id("OwnerRow").expect("by accessor");
    let ds = Datastore::new(schema);
    let mut tx = ds.begin(Timestamp::from_micros_since_unix_epoch(0));
    for (id, owner_ref) in [(1u64, 1u32), (2, 2), (3, 2)] {
        tx.insert(item, ProductValue::new([AlgebraicValue::U64(id), AlgebraicValue::U32(owner_ref)])).unwrap();
    }
    for (id, level) in [(1u32, 2u32), (2, 3)] {
        tx.insert(owner, ProductValue::new([AlgebraicValue::U32(id), AlgebraicValue::U32(level)])).unwrap();
    }
    let ds = tx.commit().0;
    for sql in [
        r#"SELECT * FROM "Item" WHERE "ownerRef" = 2"#,
        "SELECT * FROM item WHERE owner_ref = 2",
        r#"SELECT * FROM item WHERE item."ownerRef" = 2"#,
    ] {
        assert_eq!(ids(&run(&ds, sql)), [2, 3], "{sql}");
    }
    // what the builder renders for a semijoin of the two, by the fields' names
    let sql = r#"SELECT "Item".* FROM "OwnerRow" JOIN "Item" ON "OwnerRow"."OwnerId" = "Item"."ownerRef" WHERE ("OwnerRow"."Level2" = 2)"#;
    assert_eq!(ids(&run(&ds, sql)), [1], "{sql}");
}

#[test]
fn a_datastore_in_a_transaction_is_queried_as_it_stands() {
    let ds = datastore();
    let mut tx = ds.begin(Timestamp::from_micros_since_unix_epoch(0));
    tx.insert(GUILD, ProductValue::new([AlgebraicValue::U32(9), AlgebraicValue::from("x")])).unwrap();
    assert_eq!(ids(&run(&tx, "SELECT * FROM guild WHERE title = 'x'")), [1, 4, 9]);
}

#[test]
fn a_v9_schema_works_the_same() {
    let mut b = RawModuleDefV9Builder::new();
    let row = ProductType::new([(Some("n"), AlgebraicType::I64), (Some("tag"), AlgebraicType::String)]);
    b.build_table_with_new_type("thing", row, true).finish();
    let mut tx = Datastore::new(Arc::new(Schema::from_def(&b.finish()).unwrap())).begin(Timestamp::UNIX_EPOCH);
    for n in [-5i64, 0, 5] {
        tx.insert(TableId(0), ProductValue::new([AlgebraicValue::I64(n), AlgebraicValue::from("t")])).unwrap();
    }
    let ds = tx.commit().0;
    let rows = run(&ds, r#"SELECT * FROM "thing" WHERE ("thing"."n" < 1)"#);
    assert_eq!(rows.rows.len(), 2);
}

#[test]
fn unknown_names_are_reported_by_name() {
    let ds = datastore();
    assert_eq!(err(&ds, "SELECT * FROM nope"), SqlError::UnknownTable("nope".into()));
    assert_eq!(err(&ds, "SELECT p.* FROM player p JOIN nope ON p.id = nope.id"), SqlError::UnknownTable("nope".into()));
    assert_eq!(
        err(&ds, r#"SELECT * FROM "player" WHERE ("player"."nope" = 1)"#),
        SqlError::UnknownColumn { table: "player".into(), column: "nope".into() }
    );
    assert_eq!(
        err(&ds, "SELECT * FROM player WHERE nope = 1"),
        SqlError::UnknownColumn { table: "player".into(), column: "nope".into() }
    );
    assert_eq!(
        err(&ds, "SELECT p.* FROM player p JOIN guild g ON p.by_guild = g.id WHERE nope = 1"),
        SqlError::UnknownColumn { table: "p` or `g".into(), column: "nope".into() }
    );
    let e = err(&ds, r#"SELECT * FROM "player" WHERE ("guild"."id" = 1)"#);
    assert_eq!(
        e,
        SqlError::UnknownQualifier { qualifier: "guild".into(), column: "id".into(), in_query: vec!["player".into()] }
    );
    assert_eq!(e.to_string(), "`guild.id`: `guild` is not a table of this query (it reads `player`)");
    assert!(matches!(err(&ds, "SELECT guild.* FROM player"), SqlError::UnknownQualifier { .. }));
    assert!(matches!(
        err(&ds, "SELECT p.* FROM player p JOIN guild g ON p.by_guild = g.id WHERE id = 1"),
        SqlError::Ambiguous { name, .. } if name == "id"
    ));
    assert!(matches!(
        err(&ds, "SELECT guild.* FROM guild JOIN guild ON guild.id = guild.id"),
        SqlError::Ambiguous { name, .. } if name == "guild"
    ));
}

#[test]
fn type_mismatches_are_refused() {
    let ds = datastore();
    let cases = [
        "SELECT * FROM player WHERE level = 'x'",
        "SELECT * FROM player WHERE tiny = 256",
        "SELECT * FROM player WHERE id = -1",
        "SELECT * FROM player WHERE level = 1.5",
        "SELECT * FROM player WHERE level = 1e3",
        "SELECT * FROM player WHERE name = 5",
        "SELECT * FROM player WHERE online = 1",
        "SELECT * FROM player WHERE who = 0x12",
        "SELECT * FROM player WHERE who = 'alice'",
        "SELECT * FROM player WHERE conn = 0x0123456789abcdef0011223344556677ff",
        "SELECT * FROM player WHERE seen = 'yesterday'",
        "SELECT * FROM player WHERE seen = 5",
        "SELECT * FROM player WHERE blob = 0x123",
        "SELECT * FROM player WHERE blob = 'ab'",
        "SELECT * FROM player WHERE score = 'NaN'",
        "SELECT * FROM player WHERE ubig = -1",
        "SELECT * FROM player WHERE ubig = 115792089237316195423570985008687907853269984665640564039457584007913129639936",
        "SELECT * FROM player WHERE id = name",
        "SELECT * FROM player WHERE level = by_guild",
        "SELECT * FROM player WHERE level",
        "SELECT * FROM player WHERE 5",
        "SELECT * FROM player WHERE TRUE = 1",
        "SELECT * FROM player WHERE 'a' = 0x01",
        "SELECT p.* FROM player p JOIN guild g ON p.id = g.id",
        "SELECT p.* FROM player p JOIN guild g ON p.by_guild = g.id WHERE p.level > g.id",
    ];
    for sql in cases {
        match err(&ds, sql) {
            SqlError::TypeMismatch { .. } => {}
            other => panic!("{sql}: expected a type mismatch, got {other:?}"),
        }
    }
    let e = err(&ds, r#"SELECT * FROM "player" WHERE ("player"."tiny" = 256)"#);
    assert_eq!(
        e.to_string(),
        "type mismatch in `player.tiny = 256`: 256 is out of range for U8 (the type of player.tiny)"
    );
    let e = err(&ds, "SELECT * FROM player WHERE id = name");
    assert_eq!(e.to_string(), "type mismatch in `id = name`: id is U64 and name is String");
}

#[test]
fn unsupported_sql_is_named() {
    let ds = datastore();
    let cases = [
        ("SELECT name FROM player", "selecting columns"),
        ("SELECT COUNT(*) FROM player", "COUNT"),
        ("SELECT * FROM player LIMIT 1", "LIMIT"),
        ("SELECT * FROM player ORDER BY id", "ORDER BY"),
        ("SELECT * FROM player WHERE id IN (1, 2)", "IN"),
        ("SELECT * FROM player WHERE name LIKE 'a%'", "LIKE"),
        ("SELECT * FROM player WHERE who = :sender", ":sender"),
        ("SELECT * FROM player p JOIN guild g ON p.by_guild = g.id", "SELECT *` over a join"),
        ("SELECT p.* FROM player p JOIN guild g ON p.by_guild < g.id", "join conditions"),
        ("SELECT p.* FROM player p JOIN guild g ON p.by_guild = g.id AND p.id = 1", "join conditions"),
        ("SELECT p.* FROM player p JOIN guild g ON p.by_guild = 1", "join conditions"),
        ("SELECT p.* FROM player p JOIN guild g ON p.by_guild = p.by_guild", "join conditions"),
        ("UPDATE player SET id = 1", "UPDATE statements"),
        ("SELECT * FROM player WHERE id = (SELECT 1)", "expected"),
        ("SELECT * FROM player WHERE blob > 0x00 OR seen = 1 OR who = 0x", ""),
    ];
    for (sql, needle) in cases {
        let e = err(&ds, sql);
        let text = e.to_string();
        if needle == "expected" {
            assert!(matches!(e, SqlError::Parse { .. }), "{sql}: {e:?}");
            continue;
        }
        if needle.is_empty() {
            continue;
        }
        assert!(matches!(e, SqlError::Unsupported(_)), "{sql}: {e:?}");
        assert!(text.contains(needle), "{sql}: {text}");
    }
    let deep =
        format!("SELECT * FROM player WHERE {}id = 1{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
    assert!(matches!(err(&ds, &deep), SqlError::Unsupported(m) if m.contains("nested")));
    let fine = format!("SELECT * FROM player WHERE {}id = 1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    assert_eq!(ids(&run(&ds, &fine)), [1]);
}

#[test]
fn syntax_errors_say_where() {
    let ds = datastore();
    let cases = [
        ("", 0),
        ("SELECT", 6),
        ("SELECT * FORM player", 9),
        ("SELECT * FROM", 13),
        ("SELECT * FROM player WHERE", 26),
        ("SELECT * FROM player WHERE id =", 31),
        ("SELECT * FROM player WHERE (id = 1", 34),
        ("SELECT * FROM player WHERE id = 1)", 33),
        ("SELECT * FROM player WHERE id = 1 = 2", 34),
        ("SELECT * FROM player WHERE name = 'open", 34),
        ("SELECT * FROM player WHERE id = 1 garbage", 34),
        ("SELECT p.* FROM player p JOIN guild g", 37),
        ("SELECT * FROM player;;", 21),
        ("SELECT * FROM player WHERE id = --1", 33),
    ];
    for (sql, at) in cases {
        match err(&ds, sql) {
            SqlError::Parse { at: got, message } => assert_eq!(got, at, "{sql}: {message}"),
            other => panic!("{sql}: expected a syntax error, got {other:?}"),
        }
    }
    assert_eq!(err(&ds, "SELECT * FORM player").to_string(), "SQL syntax error at byte 9: expected FROM, found `FORM`");
}

#[test]
fn long_inputs_are_handled_without_deep_recursion() {
    let ds = datastore();
    let chain = vec!["(id <> 7)"; 20_000].join(" AND ");
    assert_eq!(ids(&run(&ds, &format!("SELECT * FROM player WHERE {chain}"))).len(), 4);
    let chain = vec!["id = 7"; 20_000].join(" OR ");
    assert_eq!(ids(&run(&ds, &format!("SELECT * FROM player WHERE {chain} OR id = 1"))), [1]);
    let nots = format!("SELECT * FROM player WHERE {}online", "NOT ".repeat(200_000));
    assert!(matches!(err(&ds, &nots), SqlError::Unsupported(_)));
    let parens = format!("SELECT * FROM player WHERE {}", "(".repeat(500_000));
    assert!(matches!(err(&ds, &parens), SqlError::Unsupported(_)));
}

/// Fragments of SQL, to build token soup from that gets further into the parser and binder than
/// random characters do.
const FRAGMENTS: &[&str] = &[
    "SELECT",
    "*",
    "FROM",
    "WHERE",
    "JOIN",
    "ON",
    "AND",
    "OR",
    "NOT",
    "AS",
    "(",
    ")",
    ".",
    "=",
    "<>",
    "!=",
    "<",
    ">=",
    "\"player\"",
    "\"guild\"",
    "player",
    "guild",
    "p",
    "g",
    "id",
    "\"id\"",
    "level",
    "online",
    "who",
    "seen",
    "blob",
    "score",
    "by_guild",
    "title",
    "TRUE",
    "FALSE",
    "0",
    "-3",
    "1.5",
    "NaN",
    "-inf",
    "'x'",
    "'1970-01-01T00:00:00Z'",
    "0x",
    "0x00ff",
    "-",
    ";",
    ",",
    "LIMIT",
    ":sender",
    "\"owner\"",
    "NULL",
    "IN",
    "''",
    "\"",
];

/// One datastore for the property tests (built once).
fn shared() -> &'static Datastore {
    static DS: std::sync::OnceLock<Datastore> = std::sync::OnceLock::new();
    DS.get_or_init(datastore)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(sql in ".{0,200}") {
        let _ = run_query(shared(), &sql);
    }

    #[test]
    fn random_token_soup_never_panics(parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..40)) {
        let ds = shared();
        let sql = parts.join(" ");
        if let Err(e) = run_query(ds, &sql) {
            // Every error renders as a sentence.
            prop_assert!(!e.to_string().is_empty());
        }
        let glued = parts.concat();
        let _ = run_query(ds, &glued);
    }

    #[test]
    fn builder_shaped_queries_agree_with_a_direct_filter(level in -40i32..40, id in 0u64..120, op in 0usize..6) {
        let ds = shared();
        let ops = ["=", "<>", "<", ">", "<=", ">="];
        let sql = format!(
            r#"SELECT * FROM "player" WHERE (("player"."level" {o} {level}) OR (NOT ("player"."id" {o} {id})))"#,
            o = ops[op]
        );
        let holds = |a: i128, b: i128| match op {
            0 => a == b,
            1 => a != b,
            2 => a < b,
            3 => a > b,
            4 => a <= b,
            _ => a >= b,
        };
        let expected: Vec<u64> = ds
            .table_scan(PLAYER)
            .unwrap()
            .iter()
            .filter(|r| {
                let AlgebraicValue::I32(l) = r.value().elements[2] else { unreachable!() };
                let AlgebraicValue::U64(i) = r.value().elements[0] else { unreachable!() };
                holds(l.into(), level.into()) || !holds(i.into(), id.into())
            })
            .map(|r| match r.value().elements[0] { AlgebraicValue::U64(i) => i, _ => unreachable!() })
            .collect();
        prop_assert_eq!(ids(&run(ds, &sql)), expected);
    }
}
