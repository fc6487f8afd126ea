//! Lifecycle rules, with a module of their own defined here: `init` runs once as the owner, a
//! connection that `client_connected` rejects leaves no trace, `client_disconnected` sees the
//! connection, a panicking reducer's writes are rolled back, and a leaked row iterator is
//! reported.
// The module defined here is written as module authors write it (tables without Debug).
#![allow(missing_debug_implementations)]

use worldtube::{reducer, table, ConnectionId, Identity, ReducerContext, Table};
use worldtube_testing::TestDb;

#[table(name = setup)]
pub struct Setup {
    #[primary_key]
    id: u32,
    owner: Identity,
    runs: u32,
}

#[table(name = banned)]
pub struct Banned {
    #[primary_key]
    identity: Identity,
}

#[table(name = visit, public)]
pub struct Visit {
    #[primary_key]
    #[auto_inc]
    id: u64,
    who: Identity,
    connection: Option<ConnectionId>,
    arrived: bool,
}

#[reducer(init)]
pub fn init(ctx: &ReducerContext) {
    let runs = ctx.db.setup().id().find(0).map_or(0, |s| s.runs);
    ctx.db.setup().id().delete(0);
    ctx.db.setup().insert(Setup { id: 0, owner: ctx.sender, runs: runs + 1 });
}

#[reducer(client_connected)]
pub fn arrive(ctx: &ReducerContext) -> Result<(), String> {
    // Written before the check, so that a rejection has something to roll back.
    ctx.db.visit().insert(Visit { id: 0, who: ctx.sender, connection: ctx.connection_id, arrived: true });
    if ctx.db.banned().identity().find(ctx.sender).is_some() {
        return Err("you are banned".into());
    }
    Ok(())
}

#[reducer(client_disconnected)]
pub fn leave(ctx: &ReducerContext) {
    ctx.db.visit().insert(Visit { id: 0, who: ctx.sender, connection: ctx.connection_id, arrived: false });
}

#[reducer]
pub fn ban(ctx: &ReducerContext, who: Identity) {
    ctx.db.banned().insert(Banned { identity: who });
}

#[reducer]
pub fn write_then_panic(ctx: &ReducerContext) {
    ctx.db.visit().insert(Visit { id: 0, who: ctx.sender, connection: None, arrived: true });
    panic!("something broke after writing");
}

#[reducer]
pub fn leak_iterator(ctx: &ReducerContext) {
    std::mem::forget(ctx.db.visit().iter());
}

#[test]
fn a_reducer_that_leaks_a_row_iterator_is_warned_about() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let leaky = db.call::<leak_iterator>(&alice, ());
    leaky.assert_ok();
    assert!(leaky.logged("left 1 row iterator(s) open"), "{:?}", leaky.logs());
    // Iterating normally leaves nothing open.
    let fine = db.call::<write_then_panic>(&alice, ());
    assert!(!fine.logged("row iterator"));
}

#[test]
fn init_runs_once_as_the_owner() {
    let mut db = TestDb::builder().owner("olivia").build();
    let setup = db.read(|ctx| ctx.db.setup().id().find(0)).expect("init wrote its row");
    assert_eq!(setup.runs, 1);
    assert_eq!(setup.owner, TestDb::identity("olivia"));
    // Calling `init` like an ordinary reducer is refused, as by the server.
    assert!(db.try_call_json(TestDb::identity("olivia"), "init", "[]").is_err());
    assert_eq!(db.read(|ctx| ctx.db.setup().id().find(0)).unwrap().runs, 1);
}

#[test]
fn a_rejected_connection_leaves_no_trace() {
    let mut db = TestDb::new();
    db.call::<ban>(TestDb::identity("owner"), (TestDb::identity("mallory"),)).assert_ok();
    let before = db.table_json("visit");

    let rejected = db.try_connect("mallory").expect_err("mallory is banned");

    rejected.assert_err_eq("you are banned");
    assert!(rejected.is::<arrive>());
    assert_eq!(db.table_json("visit"), before, "the visit row written before the rejection is gone");
    let alice = db.connect("alice");
    assert_eq!(db.count("visit"), 1);
    db.disconnect(&alice).assert_ok();
}

#[test]
fn connect_and_disconnect_see_the_client_and_its_connection() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let left = db.disconnect(&alice);

    left.assert_ok();
    let visits: Vec<Visit> = db.rows("visit");
    assert_eq!(visits.len(), 2);
    for v in &visits {
        assert_eq!(v.who, alice.identity());
        assert_eq!(v.connection, Some(alice.connection_id()));
    }
    assert_eq!((visits[0].arrived, visits[1].arrived), (true, false));
}

#[test]
fn a_panicking_reducer_rolls_back_what_it_wrote() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let before = db.table_json("visit");

    let outcome = db.call::<write_then_panic>(&alice, ());

    assert!(outcome.panicked() && outcome.is::<write_then_panic>());
    outcome.assert_err_eq("something broke after writing");
    assert!(outcome.inserted_json("visit").as_array().unwrap().is_empty());
    assert_eq!(db.table_json("visit"), before);
    // The auto_inc value the failed call used is not handed out again, as on the server.
    db.connect("bob");
    let ids: Vec<u64> = db.rows::<Visit>("visit").iter().map(|v| v.id).collect();
    assert_eq!(ids, [1, 3]);
}
