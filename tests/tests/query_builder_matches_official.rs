//! The typed query builder renders the same SQL text as the official `spacetimedb-query-builder`
//! 2.8.3 (the server parses that text, so it must agree character for character): the same
//! schema is declared for both builders by hand (what `#[table]` generates), the same queries
//! are built with each, and the texts compared.

#![allow(unreachable_pub)]

/// A schema of three tables for one query builder, `$qb`, with its library's special types.
macro_rules! schema {
    ($m:ident, $qb:path, $lib:ident) => {
        mod $m {
            use $qb::{CanBeLookupTable, Col, HasCols, HasIxCols, IxCol, Query, Table};

            pub struct Player;
            pub struct PlayerCols {
                pub id: Col<Player, u64>,
                pub name: Col<Player, String>,
                pub level: Col<Player, i32>,
                pub online: Col<Player, bool>,
                pub who: Col<Player, crate::$lib::Identity>,
                pub conn: Col<Player, crate::$lib::ConnectionId>,
                pub seen: Col<Player, crate::$lib::Timestamp>,
                pub blob: Col<Player, Vec<u8>>,
                pub big: Col<Player, crate::$lib::i256>,
                pub ubig: Col<Player, crate::$lib::u256>,
                pub ratio: Col<Player, f32>,
                pub score: Col<Player, f64>,
                pub tiny: Col<Player, u8>,
                pub huge: Col<Player, u128>,
                pub neg: Col<Player, i128>,
            }
            impl HasCols for Player {
                type Cols = PlayerCols;
                fn cols(t: &'static str) -> PlayerCols {
                    PlayerCols {
                        id: Col::new(t, "id"),
                        name: Col::new(t, "name"),
                        level: Col::new(t, "level"),
                        online: Col::new(t, "online"),
                        who: Col::new(t, "who"),
                        conn: Col::new(t, "conn"),
                        seen: Col::new(t, "seen"),
                        blob: Col::new(t, "blob"),
                        big: Col::new(t, "big"),
                        ubig: Col::new(t, "ubig"),
                        ratio: Col::new(t, "ratio"),
                        score: Col::new(t, "score"),
                        tiny: Col::new(t, "tiny"),
                        huge: Col::new(t, "huge"),
                        neg: Col::new(t, "neg"),
                    }
                }
            }
            pub struct PlayerIxCols {
                pub id: IxCol<Player, u64>,
                pub by_guild: IxCol<Player, u32>,
            }
            impl HasIxCols for Player {
                type IxCols = PlayerIxCols;
                fn ix_cols(t: &'static str) -> PlayerIxCols {
                    PlayerIxCols { id: IxCol::new(t, "id"), by_guild: IxCol::new(t, "by_guild") }
                }
            }
            impl CanBeLookupTable for Player {}

            pub struct Guild;
            pub struct GuildCols {
                pub id: Col<Guild, u32>,
                pub title: Col<Guild, String>,
            }
            impl HasCols for Guild {
                type Cols = GuildCols;
                fn cols(t: &'static str) -> GuildCols {
                    GuildCols { id: Col::new(t, "id"), title: Col::new(t, "title") }
                }
            }
            pub struct GuildIxCols {
                pub id: IxCol<Guild, u32>,
            }
            impl HasIxCols for Guild {
                type IxCols = GuildIxCols;
                fn ix_cols(t: &'static str) -> GuildIxCols {
                    GuildIxCols { id: IxCol::new(t, "id") }
                }
            }
            impl CanBeLookupTable for Guild {}

            pub struct Owner;
            pub struct OwnerCols {
                pub player: Col<Owner, u64>,
            }
            impl HasCols for Owner {
                type Cols = OwnerCols;
                fn cols(t: &'static str) -> OwnerCols {
                    OwnerCols { player: Col::new(t, "player") }
                }
            }
            pub struct OwnerIxCols {
                pub player: IxCol<Owner, u64>,
            }
            impl HasIxCols for Owner {
                type IxCols = OwnerIxCols;
                fn ix_cols(t: &'static str) -> OwnerIxCols {
                    OwnerIxCols { player: IxCol::new(t, "player") }
                }
            }
            impl CanBeLookupTable for Owner {}

            pub fn player() -> Table<Player> {
                Table::new("player")
            }
            pub fn guild() -> Table<Guild> {
                Table::new("guild")
            }
            pub fn owner() -> Table<Owner> {
                Table::new("Owner Table")
            }

            fn i256_from(bytes: [u8; 32]) -> crate::$lib::i256 {
                crate::$lib::i256::from_le_bytes(bytes)
            }
            fn u256_from(bytes: [u8; 32]) -> crate::$lib::u256 {
                crate::$lib::u256::from_le_bytes(bytes)
            }

            /// The queries, rendered: every builder form and every literal kind.
            pub fn queries() -> Vec<String> {
                let who = crate::$lib::Identity::from_byte_array(std::array::from_fn(|i| i as u8 * 7));
                let conn = crate::$lib::ConnectionId::from_u128(0x0123_4567_89ab_cdef_0011_2233_4455_6677);
                let mut big = [0xffu8; 32];
                big[0] = 0x10;
                let mut ubig = [0u8; 32];
                ubig[31] = 0x80;
                ubig[3] = 9;
                vec![
                    player().build().sql().to_owned(),
                    player().r#where(|p| p.id.eq(10u64)).build().sql().to_owned(),
                    player().r#where(|p| p.id.eq(10u64)).r#where(|p| p.level.gt(-3)).build().sql().to_owned(),
                    player().filter(|p| p.online).filter(|p| p.level.lte(30)).build().sql().to_owned(),
                    player().r#where(|p| p.level.gte(p.level)).build().sql().to_owned(),
                    player().r#where(|p| p.name.ne("it's \"quoted\" ''".to_string())).build().sql().to_owned(),
                    player()
                        .r#where(|p| p.name.eq("Ünï©ødé".to_string()).not().and(p.online.eq(false)))
                        .build()
                        .sql()
                        .to_owned(),
                    player()
                        .r#where(|p| p.id.lt(1u64).or(p.id.gt(100u64)).or(p.online.ne(true)))
                        .build()
                        .sql()
                        .to_owned(),
                    player().r#where(|_| true).build().sql().to_owned(),
                    player().r#where(|_| false).build().sql().to_owned(),
                    player().r#where(|p| p.who.eq(who)).build().sql().to_owned(),
                    player().r#where(|p| p.who.ne(crate::$lib::Identity::ZERO)).build().sql().to_owned(),
                    player().r#where(|p| p.conn.eq(conn)).build().sql().to_owned(),
                    player().r#where(|p| p.conn.eq(crate::$lib::ConnectionId::ZERO)).build().sql().to_owned(),
                    player()
                        .r#where(|p| p.seen.gte(crate::$lib::Timestamp::from_micros_since_unix_epoch(1_000)))
                        .build()
                        .sql()
                        .to_owned(),
                    player()
                        .r#where(|p| {
                            p.seen.lt(crate::$lib::Timestamp::from_micros_since_unix_epoch(1_700_000_000_123_456))
                        })
                        .build()
                        .sql()
                        .to_owned(),
                    player()
                        .r#where(|p| p.seen.lt(crate::$lib::Timestamp::from_micros_since_unix_epoch(-86_400_000_001)))
                        .build()
                        .sql()
                        .to_owned(),
                    player()
                        .r#where(|p| {
                            p.seen.eq(crate::$lib::Timestamp::from_micros_since_unix_epoch(1_700_000_000_000_000))
                        })
                        .build()
                        .sql()
                        .to_owned(),
                    player().r#where(|p| p.blob.eq(vec![0, 1, 0xab, 0xff])).build().sql().to_owned(),
                    player().r#where(|p| p.blob.eq(Vec::new())).build().sql().to_owned(),
                    player().r#where(|p| p.big.lt(i256_from(big))).build().sql().to_owned(),
                    player().r#where(|p| p.ubig.gt(u256_from(ubig))).build().sql().to_owned(),
                    player().r#where(|p| p.ratio.gt(0.1f32)).build().sql().to_owned(),
                    player().r#where(|p| p.ratio.lt(-1.5e20f32)).build().sql().to_owned(),
                    player().r#where(|p| p.score.eq(1e-7)).build().sql().to_owned(),
                    player().r#where(|p| p.score.ne(f64::NAN).and(p.score.lt(f64::INFINITY))).build().sql().to_owned(),
                    player().r#where(|p| p.score.eq(3.0)).build().sql().to_owned(),
                    player().r#where(|p| p.tiny.eq(255u8)).build().sql().to_owned(),
                    player().r#where(|p| p.huge.eq(u128::MAX)).build().sql().to_owned(),
                    player().r#where(|p| p.neg.eq(i128::MIN)).build().sql().to_owned(),
                    player().left_semijoin(owner(), |p, o| p.id.eq(o.player)).build().sql().to_owned(),
                    player()
                        .r#where(|p| p.online)
                        .left_semijoin(owner(), |p, o| p.id.eq(o.player))
                        .r#where(|p| p.level.gt(1))
                        .filter(|p| p.level.lt(9))
                        .build()
                        .sql()
                        .to_owned(),
                    player()
                        .left_semijoin(guild(), |p, g| p.by_guild.eq(g.id))
                        .r#where(|p| p.online)
                        .build()
                        .sql()
                        .to_owned(),
                    player().right_semijoin(guild(), |p, g| p.by_guild.eq(g.id)).build().sql().to_owned(),
                    player()
                        .r#where(|p| p.online)
                        .right_semijoin(guild(), |p, g| p.by_guild.eq(g.id))
                        .build()
                        .sql()
                        .to_owned(),
                    player()
                        .r#where(|p| p.online)
                        .r#where(|p| p.id.ne(0u64))
                        .right_semijoin(guild(), |p, g| p.by_guild.eq(g.id))
                        .r#where(|g| g.title.eq("x".to_string()))
                        .filter(|g| g.id.gt(3u32))
                        .build()
                        .sql()
                        .to_owned(),
                    guild()
                        .right_semijoin(player(), |g, p| g.id.eq(p.by_guild))
                        .r#where(|p| p.online)
                        .build()
                        .sql()
                        .to_owned(),
                    owner().r#where(|o| o.player.eq(3u64)).build().sql().to_owned(),
                ]
            }

            /// The same queries through `Query::into_sql`, for the builder types that implement it.
            pub fn into_sql() -> Vec<String> {
                vec![
                    Query::<Player>::into_sql(player()),
                    Query::<Player>::into_sql(player().r#where(|p| p.online)),
                    Query::<Player>::into_sql(player().left_semijoin(owner(), |p, o| p.id.eq(o.player))),
                    Query::<Guild>::into_sql(player().right_semijoin(guild(), |p, g| p.by_guild.eq(g.id))),
                    Query::<Guild>::into_sql(guild().build()),
                ]
            }
        }
    };
}

mod official_lib {
    pub use spacetimedb_lib_2::sats::{i256, u256};
    pub use spacetimedb_lib_2::{ConnectionId, Identity, Timestamp};
}
mod our_lib {
    pub use worldtube::{i256, u256, ConnectionId, Identity, Timestamp};
}

schema!(official, spacetimedb_query_builder_2, official_lib);
schema!(ours, worldtube::query_builder, our_lib);

#[test]
fn every_query_renders_the_official_sql() {
    let (theirs, mine) = (official::queries(), ours::queries());
    assert_eq!(theirs.len(), mine.len());
    for (i, (t, m)) in theirs.iter().zip(&mine).enumerate() {
        assert_eq!(m, t, "query {i} differs");
    }
    assert_eq!(official::into_sql(), ours::into_sql());
    // A few fixed points, so that a change in both is noticed too.
    assert_eq!(mine[0], r#"SELECT * FROM "player""#);
    assert_eq!(mine[2], r#"SELECT * FROM "player" WHERE (("player"."id" = 10) AND ("player"."level" > -3))"#);
    assert_eq!(
        mine[30],
        r#"SELECT "player".* FROM "player" JOIN "Owner Table" ON "player"."id" = "Owner Table"."player""#
    );
}
